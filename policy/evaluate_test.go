package policy

import (
	"slices"
	"testing"
)

func TestDecisionNames(t *testing.T) {
	for _, d := range []Decision{Allowed, ExplicitDeny, ImplicitDeny} {
		t.Run(d.String(), func(t *testing.T) {
			got, ok := ParseDecision(d.String())
			if !ok || got != d {
				t.Fatalf("ParseDecision(%q) = %v, %v", d.String(), got, ok)
			}
		})
	}
	if _, ok := ParseDecision("Allowed"); ok {
		t.Fatalf("ParseDecision accepted a wrongly cased name")
	}
}

func TestEvaluateAcrossPolicies(t *testing.T) {
	allow := Source{ID: "allow", Doc: mustParse(t, `{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"}}`)}
	deny := Source{ID: "deny", Doc: mustParse(t, `{"Version":"2012-10-17","Statement":{"Sid":"D","Effect":"Deny","Action":"s3:Delete*","Resource":"*"}}`)}
	t.Run("a deny in another policy wins over an allow", func(t *testing.T) {
		r := Evaluate(Request{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/k"}, allow, deny)
		if got, want := r.Decision, ExplicitDeny; got != want {
			t.Fatalf("decision = %s, want %s", got, want)
		}
		if got, want := r.Matched[0].SourceID+"/"+r.Matched[0].Sid, "deny/D"; got != want {
			t.Fatalf("matched = %s, want %s", got, want)
		}
	})
	t.Run("policies are unioned for allows", func(t *testing.T) {
		r := Evaluate(Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, deny, allow)
		if got, want := r.Decision, Allowed; got != want {
			t.Fatalf("decision = %s, want %s", got, want)
		}
	})
	t.Run("no policies is an implicit deny", func(t *testing.T) {
		if got, want := Evaluate(Request{Action: "s3:GetObject", Resource: "*"}).Decision, ImplicitDeny; got != want {
			t.Fatalf("decision = %s, want %s", got, want)
		}
	})
	t.Run("missing keys cover the whole policy, not the deciding statement", func(t *testing.T) {
		r := Evaluate(Request{Action: "iam:GetAccountPasswordPolicy", Resource: "*"}, seedSource())
		if got, want := r.MissingContextKeys, []string{"aws:MultiFactorAuthPresent", "aws:username"}; !slices.Equal(got, want) {
			t.Fatalf("missing = %q, want %q", got, want)
		}
	})
}

func TestVariables(t *testing.T) {
	ctx := reqContext{"aws:username": {"test"}, "aws:calledvia": {"a", "b"}}
	cases := []struct {
		pattern, want string
		ok            bool
	}{
		{"user/${aws:username}", "user/test", true},
		{"user/${AWS:UserName}", "user/test", true},
		{"user/${ aws:username }", "user/test", true},
		{"user/${aws:PrincipalTag/x, 'it''s'}", "user/it's", true},
		{"user/${aws:PrincipalTag/x,'d'}", "user/d", true},
		{"a${*}b${?}c${$}", "a*b?c$", true},
		{"user/${aws:CalledVia}", "", false},
		{"user/${aws:PrincipalTag/x}", "", false},
		{"user/${aws:username", "user/${aws:username", true},
		{"user/${aws:PrincipalTag/x, unquoted}", "user/${aws:PrincipalTag/x, unquoted}", true},
	}
	for _, c := range cases {
		t.Run(c.pattern, func(t *testing.T) {
			p, ok, _ := compileValue(c.pattern, ctx, true)
			if ok != c.ok {
				t.Fatalf("resolved = %v, want %v", ok, c.ok)
			}
			if ok && patternString(p) != c.want {
				t.Fatalf("substituted = %q, want %q", patternString(p), c.want)
			}
		})
	}
	t.Run("substituted wildcards are literal", func(t *testing.T) {
		p, _, _ := compileValue("${k:v}", reqContext{"k:v": {"a*"}}, true)
		if globMatch(p, "abc", false) || !globMatch(p, "a*", false) {
			t.Fatalf("a substituted '*' acted as a wildcard")
		}
	})
}

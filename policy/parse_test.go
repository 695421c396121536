package policy

import (
	"errors"
	"strings"
	"testing"
)

// TestStructuralCases runs the structural golden cases of
// docs/policy-evaluation.md#golden-tests; M10 and M11 are condition cases and
// live in TestConditionOperators.
func TestStructuralCases(t *testing.T) {
	const user = "arn:aws:iam::123456789012:user/test"
	ctx := map[string][]string{"aws:username": {"test"}}
	cases := []struct {
		id, doc, action, resource string
		want                      Decision
	}{
		{"M1 no Version keeps variables literal",
			`{"Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:username}"}]}`,
			"iam:GetUser", user, ImplicitDeny},
		{"M2 Version 2008 keeps variables literal",
			`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:username}"}]}`,
			"iam:GetUser", user, ImplicitDeny},
		{"M3 question mark matches one character",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:?etUser","Resource":"*"}]}`,
			"iam:GetUser", user, Allowed},
		{"M4 NotResource outside the pattern applies",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","NotResource":"arn:aws:iam::*:user/admin*"}]}`,
			"iam:GetUser", user, Allowed},
		{"M5 NotResource inside the pattern does not apply",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","NotResource":"arn:aws:iam::*:user/te*"}]}`,
			"iam:GetUser", user, ImplicitDeny},
		{"M6 variable default is used when the tag is absent",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:PrincipalTag/owner, 'test'}"}]}`,
			"iam:GetUser", user, Allowed},
		{"M7 escaped star is a literal star",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/te${*}"}]}`,
			"iam:GetUser", user, ImplicitDeny},
		{"M8 Deny NotAction with JSON boolean false",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:GetUser","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":false}}}]}`,
			"iam:ListUsers", "*", ExplicitDeny},
		{"M9 single statement object",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}}`,
			"iam:GetUser", user, Allowed},
		{"escaped star matches a literal star",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/te${*}"}}`,
			"iam:GetUser", "arn:aws:iam::123456789012:user/te*", Allowed},
		{"resource matching is case-sensitive",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/Test"}}`,
			"iam:GetUser", user, ImplicitDeny},
		{"star in a resource crosses slashes",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/*/${aws:username}"}}`,
			"iam:GetUser", "arn:aws:iam::123456789012:user/eng/team/test", Allowed},
		{"star in the account does not cross colons",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*user/test:x"}}`,
			"iam:GetUser", user, ImplicitDeny},
		{"action wildcard across the name",
			`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"*"}}`,
			"iam:ListAccessKeys", "*", Allowed},
		{"deny beats allow in another policy order",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
			"iam:GetUser", user, ExplicitDeny},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			doc, err := Parse(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			r := Evaluate(Request{Action: c.action, Resource: c.resource, Context: ctx}, Source{ID: "p", Doc: doc})
			if got := r.Decision; got != c.want {
				t.Fatalf("decision = %s, want %s", got, c.want)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	stmt := func(body string) string {
		return `{"Version":"2012-10-17","Statement":[{` + body + `}]}`
	}
	ok := `"Effect":"Allow","Action":"iam:GetUser","Resource":"*"`
	cases := []struct {
		name, doc, wantMsg string
		wantPos            Position
	}{
		{"lower-case effect key", stmt(`"effect":"Allow","Action":"iam:GetUser","Resource":"*"`), `must be spelled "Effect"`, Position{1, 39}},
		{"duplicate key", stmt(ok + `,"Effect":"Deny"`), "duplicate key", Position{1, 94}},
		{"case-variant duplicate key", `{"Version":"2012-10-17","version":"2012-10-17","Statement":[]}`, "duplicate key", Position{1, 25}},
		{"unknown statement key", stmt(ok + `,"Foo":1`), `unknown key "Foo"`, Position{}},
		{"unknown top-level key", `{"Version":"2012-10-17","Statment":[]}`, `unknown key "Statment"`, Position{}},
		{"both Action and NotAction", stmt(ok + `,"NotAction":"iam:ListUsers"`), "both Action and NotAction", Position{}},
		{"both Resource and NotResource", stmt(ok + `,"NotResource":"*"`), "both Resource and NotResource", Position{}},
		{"neither Action nor NotAction", stmt(`"Effect":"Allow","Resource":"*"`), "needs Action or NotAction", Position{}},
		{"missing Effect", stmt(`"Action":"iam:GetUser","Resource":"*"`), "no Effect", Position{}},
		{"bad Effect", stmt(`"Effect":"allow","Action":"iam:GetUser","Resource":"*"`), "Effect must be", Position{}},
		{"Sid with a dash", stmt(`"Sid":"Allow-Own",` + ok), "Sid must be", Position{}},
		{"Principal in identity policy", stmt(ok + `,"Principal":"*"`), "not allowed in an identity policy", Position{}},
		{"NotPrincipal in identity policy", stmt(ok + `,"NotPrincipal":{"AWS":"*"}`), "not allowed in an identity policy", Position{}},
		{"Id in identity policy", `{"Id":"x","Version":"2012-10-17","Statement":{` + ok + `}}`, "not allowed in an identity policy", Position{}},
		{"syntax error inside a string", `{"Version":"2012-10-17","Statement":"\x"}`, "invalid JSON", Position{1, 39}},
		{"unknown condition operator", stmt(ok + `,"Condition":{"StringEqual":{"k:k":"v"}}`), "unknown condition operator", Position{}},
		{"Null with IfExists", stmt(ok + `,"Condition":{"NullIfExists":{"k:k":"true"}}`), "Null cannot take IfExists", Position{}},
		{"bad set qualifier", stmt(ok + `,"Condition":{"ForSomeValues:StringEquals":{"k:k":"v"}}`), "unknown set qualifier", Position{}},
		{"bad Version", `{"Version":"2012-10-18","Statement":{` + ok + `}}`, "Version must be", Position{}},
		{"no Statement", `{"Version":"2012-10-17"}`, "no Statement", Position{}},
		{"empty Statement list", `{"Version":"2012-10-17","Statement":[]}`, "Statement list is empty", Position{}},
		{"empty Action list", stmt(`"Effect":"Allow","Action":[],"Resource":"*"`), "must not be an empty list", Position{}},
		{"number as Action", stmt(`"Effect":"Allow","Action":3,"Resource":"*"`), "must be a string", Position{}},
		{"action without service", stmt(`"Effect":"Allow","Action":"GetUser","Resource":"*"`), "service:Action", Position{}},
		{"resource that is no ARN", stmt(`"Effect":"Allow","Action":"iam:GetUser","Resource":"user/test"`), "ARN", Position{}},
		{"trailing data", `{"Version":"2012-10-17","Statement":{` + ok + `}} {}`, "after the policy document", Position{}},
		{"syntax error reports its line", "{\n\"Version\":\"2012-10-17\",\n\"Statement\": [,]}", "invalid JSON", Position{3, 15}},
		{"truncated document", `{"Version":"2012-10-17","Statement":[`, "unexpected end", Position{}},
		{"array at the top", `[]`, "must be a JSON object", Position{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.doc)
			if err == nil {
				t.Fatalf("Parse accepted %s", c.doc)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			if !strings.Contains(err.Error(), c.wantMsg) {
				t.Fatalf("error %q does not mention %q", err, c.wantMsg)
			}
			if c.wantPos != (Position{}) && pe.Pos != c.wantPos {
				t.Fatalf("error at %v, want %v (%v)", pe.Pos, c.wantPos, err)
			}
		})
	}
}

func TestParseErrorRules(t *testing.T) {
	stmt := func(body string) string { return `{"Version":"2012-10-17","Statement":{` + body + `}}` }
	for _, c := range []struct {
		name, doc string
		rule      Rule
		value     string
	}{
		{"action without service", stmt(`"Effect":"Allow","Action":"GetUser","Resource":"*"`), RuleActionFormat, "GetUser"},
		{"NotAction without service", stmt(`"Effect":"Allow","NotAction":["iam:GetUser","GetUser"],"Resource":"*"`), RuleActionFormat, "GetUser"},
		{"resource that is no ARN", stmt(`"Effect":"Allow","Action":"iam:GetUser","Resource":"user/test"`), RuleResourceFormat, "user/test"},
		{"no resource", stmt(`"Effect":"Allow","Action":"iam:GetUser"`), RuleNoResource, ""},
		{"anything else", stmt(`"Effect":"allow","Action":"iam:GetUser","Resource":"*"`), RuleSyntax, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var pe *ParseError
			if _, err := Parse(c.doc); !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Rule != c.rule || pe.Value != c.value {
				t.Fatalf("rule %d value %q, want %d %q", pe.Rule, pe.Value, c.rule, c.value)
			}
		})
	}
}

func TestParsePositions(t *testing.T) {
	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"},\n    {\n      \"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"\n    }\n  ]\n}"
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("one-line statement spans its braces", func(t *testing.T) {
		s := d.Statements[0]
		if got, want := [2]Position{s.Start, s.End}, [2]Position{{4, 5}, {4, 55}}; got != want {
			t.Fatalf("span = %v, want %v", got, want)
		}
	})
	t.Run("multi-line statement spans its braces", func(t *testing.T) {
		s := d.Statements[1]
		if got, want := [2]Position{s.Start, s.End}, [2]Position{{5, 5}, {7, 5}}; got != want {
			t.Fatalf("span = %v, want %v", got, want)
		}
	})
	t.Run("condition values keep JSON literals as text", func(t *testing.T) {
		d, err := Parse(`{"Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NumericGreaterThan":{"aws:MultiFactorAuthAge":3600},"Bool":{"aws:SecureTransport":[false]}}}}`)
		if err != nil {
			t.Fatal(err)
		}
		c := d.Statements[0].Conditions
		if got, want := c[0].Values[0]+","+c[1].Values[0], "3600,false"; got != want {
			t.Fatalf("values = %s, want %s", got, want)
		}
	})
}

package policy

import (
	"strings"
	"testing"
)

// FuzzParseEvaluate feeds arbitrary documents and requests through the
// parser, the evaluator, Normalize/Diff and Lint. Beyond "no panic" it checks
// invariants: normalized text parses back to an equal document, a document
// has no differences from itself, and a decision agrees with its statements.
func FuzzParseEvaluate(f *testing.F) {
	f.Add(Seed, "iam:ChangePassword", "arn:aws:iam::123456789012:user/test", "aws:MultiFactorAuthPresent", "true")
	f.Add(Seed, "IAM:createaccesskey", "arn:aws:iam::123456789012:user/dev+ops", "aws:username", "dev+ops")
	f.Add(`{"Statement":{"Effect":"Deny","NotAction":"iam:GetUser","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":false}}}}`,
		"iam:ListUsers", "*", "aws:MultiFactorAuthPresent", "false")
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:?et*","NotResource":"arn:aws:iam::*:user/${aws:PrincipalTag/owner, 'te''st'}${*}"}]}`,
		"iam:GetUser", "arn:aws:iam::1:user/te'st*", "aws:PrincipalTag/owner", "x")
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:NumericLessThanIfExists":{"k:n":["1e3","2.5"]},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"DateGreaterThan":{"aws:CurrentTime":"1700000000"}}}}`,
		"s3:GetObject", "arn:aws:s3:::b/k", "k:n", "1e999999999")
	f.Add(`{"Version":"2012-10-17","version":"x"}`, "a:b", "*", "", "")
	f.Add(`{"Statement":[{"Effect":"Allow","Action":"a:*","Resource":"arn:aws:s3:::*:*:*:*"}]}`, "a:b", "arn:aws:s3:::x:y:z", "k", "v")
	f.Fuzz(func(t *testing.T, doc, action, resource, key, value string) {
		d, err := Parse(doc)
		if err != nil {
			if d != nil {
				t.Fatalf("Parse returned a document and an error")
			}
			return
		}
		norm := Normalize(d)
		back, err := Parse(norm)
		if err != nil {
			t.Fatalf("normalized text does not parse: %v\n%s", err, norm)
		}
		if !Equal(d, back) {
			t.Fatalf("normalized document differs:\n%s\n%s", norm, Normalize(back))
		}
		if diff := Diff(d, d); diff != nil {
			t.Fatalf("document differs from itself: %v", diff)
		}
		ctx := map[string][]string{key: {value}, "aws:username": {"test"}}
		r := Evaluate(Request{Action: action, Resource: resource, Context: ctx}, Source{ID: "f", Doc: d})
		for _, m := range r.Matched {
			eff := d.Statements[m.Index].Effect
			if (r.Decision == ExplicitDeny) != (eff == Deny) {
				t.Fatalf("decision %s matched a %s statement", r.Decision, eff)
			}
		}
		if (r.Decision == ImplicitDeny) != (len(r.Matched) == 0) {
			t.Fatalf("decision %s with %d matched statements", r.Decision, len(r.Matched))
		}
		if strings.Count(doc, "{") < 64 { // Lint runs ~30 evaluations; keep iterations quick
			_ = Lint(d, LintOptions{UserPath: "/p/", PasswordResetRequired: true})
		}
	})
}

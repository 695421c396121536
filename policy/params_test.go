package policy

import (
	"strings"
	"testing"
)

// Every finding carries exactly the Params FindingIDs declares, so the
// portal can word each one in Japanese; and every declared ID can occur.
func TestFindingParams(t *testing.T) {
	seed := MustParseSeed()
	parse := func(doc string) *Document {
		d, err := Parse(doc)
		if err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		return d
	}
	var found []Finding
	found = append(found, Lint(seed, LintOptions{UserPath: "/eng/", PasswordResetRequired: true, UserName: "test", AccountID: "123456789012"})...)
	found = append(found, Lint(parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`), LintOptions{AccountID: "123456789012"})...)
	found = append(found, Lint(parse(`{"Version":"2008-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::*:user/${aws:username}"},{"Sid":"A","Effect":"Deny","NotAction":"iam:GetUser","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`), LintOptions{AccountID: "123456789012"})...)
	found = append(found, CheckUserName(strings.Repeat("x", 65)+" !")...)
	found = append(found, CheckPath(nil, "no-slashes")...)
	seen := map[string]bool{}
	for _, f := range found {
		want, ok := FindingIDs[f.ID]
		if !ok {
			t.Errorf("finding %q is not listed in FindingIDs", f.ID)
			continue
		}
		if len(f.Params) != want {
			t.Errorf("finding %q has %d params %q, FindingIDs says %d", f.ID, len(f.Params), f.Params, want)
		}
		seen[f.ID] = true
	}
	for id := range FindingIDs {
		if !seen[id] {
			t.Errorf("finding %q never occurred in this test", id)
		}
	}
}

package portal_test

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The member-account role (docs/gatehouse-member-role.yaml, the StackSet
// template, and its JSON policy) grants exactly the permissions the README
// lists for Gatehouse's own identity: one document in three places.
func TestMemberRoleHasTheReadmePermissions(t *testing.T) {
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	parse := func(what, doc string) any {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindStringSubmatch(read("README.md"))
	if m == nil {
		t.Fatal("README.md has no JSON policy")
	}
	want := parse("README", m[1])
	if got := parse("docs/gatehouse-member-role-policy.json", read("docs/gatehouse-member-role-policy.json")); !reflect.DeepEqual(got, want) {
		t.Errorf("docs/gatehouse-member-role-policy.json differs from the README's policy")
	}
	// The template carries the policy as JSON (which YAML reads as is),
	// indented under PolicyDocument.
	tmpl := read("docs/gatehouse-member-role.yaml")
	_, after, ok := strings.Cut(tmpl, " PolicyDocument:\n")
	if !ok {
		t.Fatal("the template has no PolicyDocument")
	}
	var doc []string
	for _, line := range strings.Split(after, "\n") {
		if strings.TrimSpace(line) == "" {
			break
		}
		doc = append(doc, line)
	}
	if got := parse("the template's PolicyDocument", strings.Join(doc, "\n")); !reflect.DeepEqual(got, want) {
		t.Errorf("the template's PolicyDocument differs from the README's policy")
	}
	for _, must := range []string{"RoleName: GatehouseAdmin", "sts:ExternalId: !Ref ExternalId", "AWS: !Ref HubPrincipalArn"} {
		if !strings.Contains(tmpl, must) {
			t.Errorf("the template lacks %q", must)
		}
	}
}

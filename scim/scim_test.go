package scim

import (
	"testing"
)

func TestPatchFormsOktaAndEntraSend(t *testing.T) {
	base := func() User {
		on := Bool(true)
		return User{UserName: "ann@example.com", Active: &on, Emails: []Email{{Value: "ann@example.com", Type: "work", Primary: true}}}
	}
	cases := []struct {
		name, body string
		check      func(u User) bool
	}{
		{"Okta: replace without path, boolean", `{"Operations":[{"op":"replace","value":{"active":false}}]}`,
			func(u User) bool { return !u.IsActive() }},
		{"Entra ID: Replace with path, string False", `{"Operations":[{"op":"Replace","path":"active","value":"False"}]}`,
			func(u User) bool { return !u.IsActive() }},
		{"Entra ID: boolean value", `{"Operations":[{"op":"Replace","path":"active","value":false}]}`,
			func(u User) bool { return !u.IsActive() }},
		{"Entra ID: dotted keys without path", `{"Operations":[{"op":"Add","value":{"name.givenName":"Ann","name.familyName":"Lee"}}]}`,
			func(u User) bool { return u.Name != nil && u.displayName() == "Ann Lee" }},
		{"Entra ID: work e-mail by filter", `{"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ann@new.example"}]}`,
			func(u User) bool { return u.PrimaryEmail() == "ann@new.example" && len(u.Emails) == 1 }},
		{"Okta: primary e-mail by filter", `{"Operations":[{"op":"replace","path":"emails[primary eq true].value","value":"a@b.example"}]}`,
			func(u User) bool { return u.PrimaryEmail() == "a@b.example" }},
		{"remove the work e-mail", `{"Operations":[{"op":"Remove","path":"emails[type eq \"work\"]"}]}`,
			func(u User) bool { return len(u.Emails) == 0 }},
		{"add externalId", `{"Operations":[{"op":"Add","path":"externalId","value":"abc"}]}`,
			func(u User) bool { return u.ExternalID == "abc" }},
		{"an attribute not kept is ignored", `{"Operations":[{"op":"Replace","path":"title","value":"CTO"},{"op":"add","path":"phoneNumbers[type eq \"work\"].value","value":"1"}]}`,
			func(u User) bool { return u.IsActive() }},
		{"the schema-qualified path", `{"Operations":[{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:displayName","value":"A"}]}`,
			func(u User) bool { return u.DisplayName == "A" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParsePatch([]byte(c.body))
			if err != nil {
				t.Fatal(err)
			}
			u := base()
			if err := p.Apply(&u); err != nil {
				t.Fatal(err)
			}
			if !c.check(u) {
				t.Fatalf("got %+v", u)
			}
		})
	}
}

func TestPatchErrors(t *testing.T) {
	for body, want := range map[string]string{
		`{"Operations":[{"op":"copy","path":"active","value":true}]}`:                         TypeInvalidSyntax,
		`{"Operations":[{"op":"remove"}]}`:                                                    TypeNoTarget,
		`{"Operations":[{"op":"replace","path":"active","value":"yes"}]}`:                     TypeInvalidValue,
		`{"Operations":[{"op":"replace","path":"id","value":"x"}]}`:                           TypeMutability,
		`{"Operations":[{"op":"replace","path":"a b","value":"x"}]}`:                          TypeInvalidPath,
		`{"Operations":[{"op":"replace","path":"emails[value co \"x\"].value","value":"x"}]}`: TypeInvalidPath,
		`{"Operations":[]}`: TypeInvalidSyntax,
	} {
		p, err := ParsePatch([]byte(body))
		if err == nil {
			u := User{UserName: "x"}
			err = p.Apply(&u)
		}
		if Type(err) != want {
			t.Errorf("%s: scimType %q (%v), want %q", body, Type(err), err, want)
		}
	}
}

func TestParseFilter(t *testing.T) {
	for f, want := range map[string]Filter{
		`userName eq "ann@example.com"`: {UserName: "ann@example.com"},
		`USERNAME EQ "Ann"`:             {UserName: "Ann"},
		`externalId eq "00u1"`:          {ExternalID: "00u1"},
		`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"`: {UserName: "a"},
		``: {},
	} {
		got, err := ParseFilter(f)
		if err != nil || got != want {
			t.Errorf("%q: %+v %v", f, got, err)
		}
	}
	for _, f := range []string{`userName co "a"`, `displayName eq "a"`, `userName eq a`, `userName`, `userName eq ""`, `userName eq "a" and active eq true`} {
		if _, err := ParseFilter(f); Type(err) != TypeInvalidFilter {
			t.Errorf("%q: %v, want invalidFilter", f, err)
		}
	}
}

func TestUserNameMapping(t *testing.T) {
	u := User{UserName: "ann.lee@example.com", ExternalID: "00u1", Emails: []Email{{Value: "a.lee@corp.example", Primary: true}}}
	for setting, want := range map[string]string{
		"":               "ann.lee@example.com",
		"userName":       "ann.lee@example.com",
		"userName:local": "ann.lee",
		"externalId":     "00u1",
		"emails":         "a.lee@corp.example",
		"emails:local":   "a.lee",
	} {
		m, err := ParseUserNameAttr(setting)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := m.IAMName(u); err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", setting, got, err, want)
		}
	}
	for _, bad := range []string{"name", "userName:upper"} {
		if _, err := ParseUserNameAttr(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	m, _ := ParseUserNameAttr("externalId")
	if _, err := m.IAMName(User{UserName: "a", ExternalID: "has space"}); Type(err) != TypeInvalidValue {
		t.Fatalf("an IAM-invalid name: %v", err)
	}
}

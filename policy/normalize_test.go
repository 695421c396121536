package policy

import (
	"strings"
	"testing"
)

func mustParse(t *testing.T, doc string) *Document {
	t.Helper()
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestNormalizeAndEqual(t *testing.T) {
	seed := MustParseSeed()
	t.Run("reformatted and reordered seed is equal", func(t *testing.T) {
		// Statements reversed, lists reversed, one list as a single string,
		// a duplicate entry, and different whitespace.
		var b strings.Builder
		b.WriteString("{\n  \"Statement\": [\n")
		for i := len(seed.Statements) - 1; i >= 0; i-- {
			s := seed.Statements[i]
			b.WriteString(`    {"Effect": "` + string(s.Effect) + `"`)
			if s.Sid != "" {
				b.WriteString(`, "Sid": "` + s.Sid + `"`)
			}
			field, list := "Action", s.Action
			if list == nil {
				field, list = "NotAction", s.NotAction
			}
			b.WriteString(`, "` + field + `": [`)
			for j := len(list) - 1; j >= 0; j-- {
				b.WriteString(`"` + list[j] + `", `)
			}
			b.WriteString(`"` + list[0] + `"]`)
			b.WriteString(`, "Resource": "` + s.Resource[0] + `"`)
			if len(s.Conditions) > 0 {
				b.WriteString(`, "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": ["false"]}}`)
			}
			b.WriteString("}")
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("  ],\n  \"Version\": \"2012-10-17\"\n}\n")
		other := mustParse(t, b.String())
		if !Equal(seed, other) {
			t.Fatalf("not equal:\n%s\n%s", Normalize(seed), Normalize(other))
		}
		if d := Diff(seed, other); d != nil {
			t.Fatalf("Diff of equal documents = %v", d)
		}
	})
	t.Run("normalized text parses back to an equal document", func(t *testing.T) {
		again := mustParse(t, Normalize(seed))
		if !Equal(seed, again) {
			t.Fatalf("round trip changed the document")
		}
		if got, want := Normalize(again), Normalize(seed); got != want {
			t.Fatalf("normalize is not idempotent")
		}
	})
	t.Run("JSON boolean and string condition values are equal", func(t *testing.T) {
		a := mustParse(t, `{"Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}}`)
		b := mustParse(t, `{"Statement":[{"Effect":"Deny","Action":["*"],"Resource":["*"],"Condition":{"Bool":{"aws:SecureTransport":["false"]}}}]}`)
		if !Equal(a, b) {
			t.Fatalf("not equal:\n%s\n%s", Normalize(a), Normalize(b))
		}
	})
	t.Run("a changed value is not equal", func(t *testing.T) {
		changed := mustParse(t, strings.Replace(Seed, `"iam:ChangePassword",`, ``, 1))
		if Equal(seed, changed) {
			t.Fatalf("documents with different actions compare equal")
		}
	})
	t.Run("Action and NotAction with the same list differ", func(t *testing.T) {
		a := mustParse(t, `{"Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}`)
		b := mustParse(t, `{"Statement":{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}}`)
		if Equal(a, b) {
			t.Fatalf("Action and NotAction compare equal")
		}
	})
}

func TestDiff(t *testing.T) {
	seed := MustParseSeed()
	edited := strings.Replace(Seed, `"iam:ChangePassword","iam:GetUser"`, `"iam:GetUser","iam:GetLoginProfile"`, 1)
	edited = strings.Replace(edited, `"Resource":"arn:aws:iam::*:mfa/*"`, `"Resource":"arn:aws:iam::*:mfa/${aws:username}"`, 1)
	edited = strings.Replace(edited, `"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}`, `"Bool":{"aws:MultiFactorAuthPresent":"false"}`, 1)
	edited = strings.Replace(edited, `{"Sid":"AllowViewAccountInfo"`, `{"Sid":"ViewAccount"`, 1)
	diffs := Diff(seed, mustParse(t, edited))
	var got []string
	for _, d := range diffs {
		got = append(got, d.String())
	}
	want := []string{
		`statement "AllowManageOwnPasswords": Action: -"iam:ChangePassword" +"iam:GetLoginProfile"`,
		`statement "AllowManageOwnVirtualMFADevice": Resource: -"arn:aws:iam::*:mfa/*" +"arn:aws:iam::*:mfa/${aws:username}"`,
		`statement "DenyAllExceptListedIfNoMFA": Condition Bool aws:MultiFactorAuthPresent: +"false"`,
		`statement "DenyAllExceptListedIfNoMFA": Condition BoolIfExists aws:MultiFactorAuthPresent: -"false"`,
		`statement "AllowViewAccountInfo": -`,
		`statement "ViewAccount": +`,
	}
	if len(got) != len(want) {
		t.Fatalf("got %d differences, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Fatalf("difference %d = %s\nwant prefix  %s", i, got[i], want[i])
		}
	}
	t.Run("version change is reported at policy level", func(t *testing.T) {
		d := Diff(seed, mustParse(t, strings.Replace(Seed, `"2012-10-17"`, `"2008-10-17"`, 1)))
		if got, want := len(d), 1; got != want {
			t.Fatalf("differences = %d, want %d: %v", got, want, d)
		}
		if got, want := d[0].String(), `policy: Version: -"2012-10-17" +"2008-10-17"`; got != want {
			t.Fatalf("difference = %s, want %s", got, want)
		}
	})
}

package policy

import (
	"strings"
	"testing"
)

func findingIDs(fs []Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	return ids
}

func hasFinding(fs []Finding, id string) bool {
	for _, f := range fs {
		if f.ID == id {
			return true
		}
	}
	return false
}

// seedWith applies old→new replacements to the seed text, failing the test
// if an old text is absent (so a seed change cannot silently void a test).
func seedWith(t *testing.T, pairs ...string) *Document {
	t.Helper()
	doc := Seed
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(doc, pairs[i]) {
			t.Fatalf("seed has no %q", pairs[i])
		}
		doc = strings.ReplaceAll(doc, pairs[i], pairs[i+1])
	}
	return mustParse(t, doc)
}

func TestLint(t *testing.T) {
	const notAction = `"NotAction":["iam:CreateVirtualMFADevice",`
	cases := []struct {
		id          string
		opts        LintOptions
		trap, fixed func(t *testing.T) *Document
	}{
		{"git-credentials-unusable", LintOptions{},
			func(t *testing.T) *Document { return MustParseSeed() },
			func(t *testing.T) *Document {
				return seedWith(t, notAction, notAction+`"codecommit:GitPull","codecommit:GitPush",`)
			}},
		{"user-path-not-covered", LintOptions{UserPath: "/engineering/"},
			func(t *testing.T) *Document { return MustParseSeed() },
			func(t *testing.T) *Document {
				return seedWith(t, `"Resource":"arn:aws:iam::*:user/${aws:username}"`,
					`"Resource":["arn:aws:iam::*:user/${aws:username}","arn:aws:iam::*:user/*/${aws:username}"]`)
			}},
		{"password-reset-deadlock", LintOptions{PasswordResetRequired: true},
			func(t *testing.T) *Document { return MustParseSeed() },
			func(t *testing.T) *Document {
				return seedWith(t, notAction, notAction+`"iam:ChangePassword","iam:GetAccountPasswordPolicy",`)
			}},
		{"abandoned-mfa-device-needs-admin", LintOptions{},
			func(t *testing.T) *Document { return MustParseSeed() },
			func(t *testing.T) *Document {
				return seedWith(t, `"Action":["iam:CreateVirtualMFADevice"]`, `"Action":["iam:CreateVirtualMFADevice","iam:DeleteVirtualMFADevice"]`,
					notAction, notAction+`"iam:DeleteVirtualMFADevice",`)
			}},
		{"any-mfa-device-name", LintOptions{},
			func(t *testing.T) *Document { return MustParseSeed() },
			func(t *testing.T) *Document {
				return seedWith(t, `"arn:aws:iam::*:mfa/*"`, `"arn:aws:iam::*:mfa/${aws:username}"`)
			}},
		{"mfa-enrollment-blocked", LintOptions{},
			func(t *testing.T) *Document {
				return seedWith(t, `"iam:EnableMFADevice","iam:GetUser"`, `"iam:GetUser"`)
			},
			func(t *testing.T) *Document { return MustParseSeed() }},
		{"variables-need-version", LintOptions{},
			func(t *testing.T) *Document { return seedWith(t, `"Version":"2012-10-17",`, ``) },
			func(t *testing.T) *Document { return MustParseSeed() }},
		{"duplicate-sid", LintOptions{},
			func(t *testing.T) *Document {
				return seedWith(t, `"Sid":"AllowManageOwnAccessKeys"`, `"Sid":"AllowManageOwnPasswords"`)
			},
			func(t *testing.T) *Document { return MustParseSeed() }},
		{"bool-mfa-deny", LintOptions{},
			func(t *testing.T) *Document { return seedWith(t, `"BoolIfExists"`, `"Bool"`) },
			func(t *testing.T) *Document { return MustParseSeed() }},
	}
	for _, c := range cases {
		t.Run(c.id+" fires on the trap", func(t *testing.T) {
			if fs := Lint(c.trap(t), c.opts); !hasFinding(fs, c.id) {
				t.Fatalf("findings %q lack %s", findingIDs(fs), c.id)
			}
		})
		t.Run(c.id+" is silent on the fix", func(t *testing.T) {
			if fs := Lint(c.fixed(t), c.opts); hasFinding(fs, c.id) {
				t.Fatalf("findings %q include %s", findingIDs(fs), c.id)
			}
		})
	}
	t.Run("seed with portal defaults reports exactly the documented traps", func(t *testing.T) {
		got := strings.Join(findingIDs(Lint(MustParseSeed(), LintOptions{})), ",")
		if want := "git-credentials-unusable,abandoned-mfa-device-needs-admin,any-mfa-device-name"; got != want {
			t.Fatalf("findings = %s, want %s", got, want)
		}
	})
	t.Run("every finding carries its documented params", func(t *testing.T) {
		fs := Lint(seedWith(t, `"BoolIfExists"`, `"Bool"`), LintOptions{UserPath: "/x/", PasswordResetRequired: true})
		for _, f := range fs {
			if n, ok := FindingIDs[f.ID]; !ok || len(f.Params) != n || f.Severity == "" {
				t.Fatalf("finding %s is incomplete: %+v (want %d params)", f.ID, f, n)
			}
		}
	})
}

func TestCheckUserName(t *testing.T) {
	cases := []struct{ name, want string }{
		{"test", ""},
		{"dev+ops=a,b.c@d_e-f", ""},
		{"", "user-name-length"},
		{strings.Repeat("a", 65), "user-name-length"},
		{"dev ops", "user-name-characters"},
		{"dev/ops", "user-name-characters"},
		{"テスト", "user-name-characters"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := CheckUserName(c.name)
			if c.want == "" && len(fs) != 0 {
				t.Fatalf("findings %q for a valid name", findingIDs(fs))
			}
			if c.want != "" && !hasFinding(fs, c.want) {
				t.Fatalf("findings %q lack %s", findingIDs(fs), c.want)
			}
		})
	}
}

func TestCheckPath(t *testing.T) {
	fixed := seedWith(t, `"Resource":"arn:aws:iam::*:user/${aws:username}"`,
		`"Resource":["arn:aws:iam::*:user/${aws:username}","arn:aws:iam::*:user/*/${aws:username}"]`)
	cases := []struct {
		name, path string
		doc        *Document
		want       string
	}{
		{"root path is fine with the seed", "/", MustParseSeed(), ""},
		{"a path is a trap with the seed", "/engineering/", MustParseSeed(), "user-path-not-covered"},
		{"a path is fine with the fixed policy", "/engineering/", fixed, ""},
		{"a path is fine without a policy", "/engineering/", nil, ""},
		{"missing trailing slash", "/engineering", nil, "path-invalid"},
		{"space in path", "/a b/", nil, "path-invalid"},
		{"empty path", "", nil, "path-invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := CheckPath(c.doc, c.path)
			if c.want == "" && len(fs) != 0 {
				t.Fatalf("findings %q, want none", findingIDs(fs))
			}
			if c.want != "" && !hasFinding(fs, c.want) {
				t.Fatalf("findings %q lack %s", findingIDs(fs), c.want)
			}
		})
	}
}

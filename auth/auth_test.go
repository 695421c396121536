package auth

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

func TestBoxSealsAndOpens(t *testing.T) {
	b, err := NewBox([]byte(strings.Repeat("a", 32)))
	if err != nil {
		t.Fatal(err)
	}
	sealed := b.Seal([]byte("JBSWY3DPEHPK3PXP"))
	if bytes.Contains(sealed, []byte("JBSWY3DPEHPK3PXP")) {
		t.Fatal("sealed value contains the plain text")
	}
	if again := b.Seal([]byte("JBSWY3DPEHPK3PXP")); bytes.Equal(again, sealed) {
		t.Fatal("two seals of the same secret are equal: the nonce is not random")
	}
	plain, err := b.Open(sealed)
	if err != nil || string(plain) != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("open = %q, %v", plain, err)
	}
	other, _ := NewBox([]byte(strings.Repeat("b", 32)))
	if _, err := other.Open(sealed); err == nil {
		t.Fatal("a different key opened the secret")
	}
	if _, err := NewBox([]byte("short")); err == nil {
		t.Fatal("a short key was accepted")
	}
}

func TestMatchStepAcceptsOneStepOfSkew(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP"
	now := time.Unix(1_800_000_015, 0)
	for _, tc := range []struct {
		name   string
		offset time.Duration
		ok     bool
	}{
		{"current code", 0, true},
		{"previous code", -30 * time.Second, true},
		{"next code", 30 * time.Second, true},
		{"two steps old", -60 * time.Second, false},
		{"two steps ahead", 60 * time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := totp.GenerateCodeCustom(secret, now.Add(tc.offset), totpOpts)
			if got := matchStep(secret, c, now) >= 0; got != tc.ok {
				t.Fatalf("accepted = %v, want %v", got, tc.ok)
			}
		})
	}
	if matchStep(secret, "12345", now) >= 0 || matchStep(secret, "", now) >= 0 {
		t.Fatal("malformed codes accepted")
	}
}

func TestOperatorInputValidation(t *testing.T) {
	if ValidatePassword("elevenchars") == nil || ValidatePassword("twelve chars") != nil {
		t.Error("the password length rule is wrong")
	}
}

// Finding: look-alike operator names (Cyrillic letters, zero-width and
// bidi control characters) were accepted, so one operator could pass for
// another in the operator list and the audit log.
func TestOperatorNamesAreNormalisedAndRestricted(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain", "ops-lead", "ops-lead"},
		{"e-mail like", "hana.sato+ops@example.com", "hana.sato+ops@example.com"},
		{"full-width letters become ASCII", "ａｌｉｃｅ", "alice"},
		{"surrounding space is trimmed", "  bob ", "bob"},
	} {
		if got, err := NormalizeOperatorName(tc.in); err != nil || got != tc.want {
			t.Errorf("%s: %q → %q, %v; want %q", tc.name, tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ name, in string }{
		{"empty", ""},
		{"space inside", "a b"},
		{"Cyrillic a", "\u0430dmin"},
		{"Greek omicron", "b\u03bfb"},
		{"zero-width space", "ad\u200bmin"},
		{"zero-width joiner", "ad\u200dmin"},
		{"right-to-left override", "admin\u202egnp"},
		{"control character", "admin\x00"},
		{"too long", strings.Repeat("a", 65)},
	} {
		if got, err := NormalizeOperatorName(tc.in); err == nil {
			t.Errorf("%s: %q accepted as %q", tc.name, tc.in, got)
		}
	}
}

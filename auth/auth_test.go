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
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"empty name", ValidateOperatorName("")},
		{"name with space", ValidateOperatorName("a b")},
		{"short password", ValidatePassword("elevenchars")},
	} {
		if tc.err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	if ValidateOperatorName("ops-lead") != nil || ValidatePassword("twelve chars") != nil {
		t.Error("valid input refused")
	}
}

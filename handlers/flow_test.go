package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
)

// follow GETs the Location of a redirect, as a browser does after a POST.
func (c *client) follow(p *page) *page {
	c.t.Helper()
	if p.status != http.StatusSeeOther {
		c.t.Fatalf("status %d, want a redirect (303): %s", p.status, p.formError())
	}
	return c.get(p.header.Get("Location"))
}

// claim opens inviteURL with a fresh client and claims it; it returns the
// client on the password page.
func (e *env) claim(inviteURL string) (*client, *page) {
	e.t.Helper()
	u := e.newClient()
	if p := u.get(inviteURL); p.status != http.StatusOK {
		e.t.Fatalf("invite landing: status %d: %s", p.status, p.formError())
	}
	p := u.follow(u.post(inviteURL, nil))
	if p.status != http.StatusOK || p.testid("console-password") == "" {
		e.t.Fatalf("password page: status %d: %s", p.status, p.formError())
	}
	return u, p
}

// claimAndOpenMFA claims inviteURL with a fresh client, confirms the
// password saved and opens the MFA page.
func (e *env) claimAndOpenMFA(inviteURL string) (*client, *page) {
	e.t.Helper()
	u, _ := e.claim(inviteURL)
	mfa := u.follow(u.post("/enroll/password/saved", url.Values{"next": {"mfa"}}))
	if mfa.status != http.StatusOK || mfa.testid("mfa-secret") == "" {
		e.t.Fatalf("MFA page: status %d, secret %q: %s", mfa.status, mfa.testid("mfa-secret"), mfa.formError())
	}
	return u, mfa
}

func TestEnrollmentJourney(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	inviteURL := admin.onboard("test")
	if got, want := admin.statusOf("test"), "invited"; got != want {
		t.Fatalf("status after onboarding = %q, want %q", got, want)
	}

	u := e.newClient()
	landing := u.get(inviteURL)
	if landing.status != http.StatusOK || !strings.Contains(landing.body, "Test User") {
		t.Fatalf("landing: status %d", landing.status)
	}
	creds := u.follow(u.post(inviteURL, nil))
	if got, want := creds.testid("console-username"), "test"; got != want {
		t.Fatalf("console user name = %q, want %q", got, want)
	}
	if pw := creds.testid("console-password"); len(pw) < 20 {
		t.Fatalf("console password %q is too short", pw)
	}
	if got, want := creds.testid("signin-url"), "https://123456789012.signin.aws.amazon.com/console"; got != want {
		t.Fatalf("sign-in URL = %q, want %q", got, want)
	}
	if got, want := admin.statusOf("test"), "claimed"; got != want {
		t.Fatalf("status after claim = %q, want %q", got, want)
	}

	mfa := u.follow(u.post("/enroll/password/saved", url.Values{"next": {"mfa"}}))
	secret := mfa.testid("mfa-secret")
	if len(secret) != 64 {
		t.Fatalf("secret %q: want the 64-character base32 seed", secret)
	}
	if src, _ := mfa.doc.Find(`[data-testid="mfa-qr"]`).Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Fatalf("QR is not an inline PNG: %.40q", src)
	}
	// On a phone the QR cannot be scanned: the same key as a tappable link.
	href, _ := mfa.doc.Find(`[data-testid="otpauth-link"]`).Attr("href")
	key, err := otp.NewKeyFromURL(href)
	if err != nil || key.Secret() != secret || key.Issuer() != "Amazon Web Services" || key.AccountName() != "test@123456789012" {
		t.Fatalf("otpauth link %q: %v", href, err)
	}
	now := time.Now()
	p := u.post("/enroll/mfa", url.Values{"code1": {code(t, secret, now.Add(-30*time.Second))}, "code2": {code(t, secret, now)}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/enroll/done" {
		t.Fatalf("enroll: status %d: %s", p.status, p.formError())
	}
	done := u.get("/enroll/done")
	serial := done.testid("mfa-serial")
	if want := "arn:aws:iam::123456789012:mfa/test"; serial != want {
		t.Fatalf("serial = %q, want %q", serial, want)
	}

	if got, want := admin.statusOf("test"), "enrolled"; got != want {
		t.Fatalf("status after enrollment = %q, want %q", got, want)
	}
	devs, err := e.iam.ListMFADevices(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 1 || devs[0].Serial != serial {
		t.Fatalf("IAM MFA devices = %+v, want one with serial %s", devs, serial)
	}
}

func TestMFACodeMistakes(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	for _, tc := range []struct {
		name   string
		codes  func(secret string, now time.Time) (string, string)
		status int
		msg    string
	}{
		{"wrong codes are rejected with the likely causes", func(string, time.Time) (string, string) { return "000000", "111111" },
			http.StatusUnprocessableEntity, "did not accept these codes"},
		{"the same code twice is caught before AWS is asked", func(s string, now time.Time) (string, string) {
			c := code(t, s, now)
			return c, c
		}, http.StatusUnprocessableEntity, "same code twice"},
		{"codes from non-consecutive windows are rejected", func(s string, now time.Time) (string, string) {
			return code(t, s, now.Add(-90*time.Second)), code(t, s, now)
		}, http.StatusUnprocessableEntity, "not consecutive"},
		{"letters instead of digits get a format hint", func(string, time.Time) (string, string) { return "12a456", "123456" },
			http.StatusUnprocessableEntity, "6-digit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "u" + strings.ReplaceAll(tc.name[:8], " ", "")
			u, mfa := e.claimAndOpenMFA(admin.onboard(name))
			secret := mfa.testid("mfa-secret")
			c1, c2 := tc.codes(secret, time.Now())
			p := u.post("/enroll/mfa", url.Values{"code1": {c1}, "code2": {c2}})
			if p.status != tc.status {
				t.Fatalf("status = %d, want %d", p.status, tc.status)
			}
			if !strings.Contains(p.formError(), tc.msg) {
				t.Fatalf("error %q does not mention %q", p.formError(), tc.msg)
			}
			if got := admin.statusOf(name); got != "claimed" {
				t.Fatalf("status after a failed try = %q, want claimed", got)
			}
			// The same device can still be confirmed with good codes.
			now := time.Now()
			p = u.post("/enroll/mfa", url.Values{"code1": {code(t, secret, now.Add(-30*time.Second))}, "code2": {code(t, secret, now)}})
			if p.status != http.StatusSeeOther {
				t.Fatalf("retry with good codes: status %d: %s", p.status, p.formError())
			}
		})
	}
}

func TestInviteCannotBeReusedOrUsedLate(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()

	t.Run("a used invite is refused", func(t *testing.T) {
		inv := admin.onboard("reuse")
		if p := e.newClient().post(inv, nil); p.status != http.StatusSeeOther {
			t.Fatalf("first claim: status %d", p.status)
		}
		p := e.newClient().post(inv, nil)
		if p.status != http.StatusGone || !strings.Contains(p.formError(), "already used") {
			t.Fatalf("second claim: status %d, error %q", p.status, p.formError())
		}
	})
	t.Run("an expired invite is refused", func(t *testing.T) {
		inv := admin.onboard("late")
		e.offset = 8 * 24 * time.Hour
		defer func() { e.offset = 0 }()
		for _, p := range []*page{e.newClient().get(inv), e.newClient().post(inv, nil)} {
			if p.status != http.StatusGone || !strings.Contains(p.formError(), "expired") {
				t.Fatalf("status %d, error %q", p.status, p.formError())
			}
		}
	})
	t.Run("an unknown token is refused", func(t *testing.T) {
		p := e.newClient().get("/invite/not-a-real-token")
		if p.status != http.StatusNotFound || !strings.Contains(p.formError(), "not valid") {
			t.Fatalf("status %d, error %q", p.status, p.formError())
		}
	})
	t.Run("enrollment pages need a claimed invite", func(t *testing.T) {
		p := e.newClient().get("/enroll/mfa")
		if p.status != http.StatusUnauthorized || !strings.Contains(p.formError(), "invite link") {
			t.Fatalf("status %d, error %q", p.status, p.formError())
		}
	})
}

func TestOnboardingFormRejectsBadNames(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	if _, err := e.iam.CreateUser(context.Background(), "outsider", nil); err != nil {
		t.Fatal(err)
	}
	admin.onboard("taken")
	for _, tc := range []struct{ name, userName, msg string }{
		{"spaces are not allowed", "bad name", "may contain only"},
		{"too long", strings.Repeat("a", 65), "at most 64"},
		{"empty", "", "Enter a user name"},
		{"exists in IAM already", "outsider", "already exists in this AWS account"},
		{"exists in IAM with other case", "OUTSIDER", "already exists in this AWS account"},
		{"managed by Gatehouse already, other case", "Taken", "already manages"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := admin.post("/users", url.Values{"user_name": {tc.userName}, "display_name": {"Kept Name"}})
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422 (%s)", p.status, p.formError())
			}
			if !strings.Contains(p.formError(), tc.msg) {
				t.Fatalf("error %q does not mention %q", p.formError(), tc.msg)
			}
			if v, _ := p.doc.Find(`input[name="display_name"]`).Attr("value"); v != "Kept Name" {
				t.Fatalf("display name was lost: %q", v)
			}
			if tc.userName != "" && admin.statusOf(tc.userName) != "" && !strings.EqualFold(tc.userName, "taken") {
				t.Fatalf("a refused user appears in the list")
			}
		})
	}
}

func TestSignIn(t *testing.T) {
	e := newEnv(t)
	_, secret := e.setupAdmin()
	c := e.newClient()
	t.Run("pages need a signed-in operator", func(t *testing.T) {
		p := c.get("/users")
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/signin") {
			t.Fatalf("status %d, location %q", p.status, p.header.Get("Location"))
		}
	})
	t.Run("a wrong TOTP code is refused", func(t *testing.T) {
		p := c.post("/signin", url.Values{"username": {"admin"}, "password": {"correct horse battery"}, "code": {"000000"}})
		if p.status != http.StatusUnauthorized || !strings.Contains(p.formError(), "Sign-in failed") {
			t.Fatalf("status %d, error %q", p.status, p.formError())
		}
	})
	t.Run("a wrong password is refused", func(t *testing.T) {
		p := c.post("/signin", url.Values{"username": {"admin"}, "password": {"wrong password!!"}, "code": {code(t, secret, time.Now())}})
		if p.status != http.StatusUnauthorized {
			t.Fatalf("status %d", p.status)
		}
	})
	// The setup used the current step already; codes are single-use, so
	// sign in with the next window's code (accepted within the skew).
	used := code(t, secret, time.Now().Add(30*time.Second))
	t.Run("password and the current code sign in", func(t *testing.T) {
		p := c.post("/signin", url.Values{"username": {"admin"}, "password": {"correct horse battery"}, "code": {used}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", p.status, p.formError())
		}
		if p := c.get("/users"); p.status != http.StatusOK {
			t.Fatalf("users page after sign-in: status %d", p.status)
		}
	})
	t.Run("a code is accepted only once", func(t *testing.T) {
		p := e.newClient().post("/signin", url.Values{"username": {"admin"}, "password": {"correct horse battery"}, "code": {used}})
		// Same answer as a wrong code: "already used" would confirm the password.
		if p.status != http.StatusUnauthorized || !strings.Contains(p.formError(), "Sign-in failed") {
			t.Fatalf("replayed code: status %d, error %q", p.status, p.formError())
		}
	})
}

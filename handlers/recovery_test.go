package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// signInWithRecovery signs in with a recovery code in place of the TOTP
// code, as the sign-in page's recovery field sends it.
func (e *env) signInWithRecovery(username, password, recovery string) (*client, *page) {
	e.t.Helper()
	c := e.newClient()
	return c, c.post("/signin", url.Values{"username": {username}, "password": {password}, "code": {""}, "recovery_code": {recovery}})
}

// An operator gets recovery codes at setup (shown once, not cached); each
// signs in once in place of a TOTP code; new ones (after the password and
// a fresh code) replace the old; every use and issue is audited.
func TestRecoveryCodes(t *testing.T) {
	e := newEnv(t)
	admin, secret := e.setupAdmin()
	codes := e.adminCodes
	seen := map[string]bool{}
	for _, c := range codes {
		if len(strings.ReplaceAll(c, "-", "")) != 16 || seen[c] {
			t.Fatalf("codes %v: want 10 distinct codes of 16 characters", codes)
		}
		seen[c] = true
	}

	help := e.newClient().get("/signin").doc.Find(`[data-testid="recovery-help"]`)
	if help.Length() != 1 || !strings.Contains(help.Text(), "recovery code") || help.Find(`input[name="recovery_code"]`).Length() != 1 {
		t.Fatalf("the sign-in page does not say how to use a recovery code: %q", help.Text())
	}

	if _, p := e.signInWithRecovery("admin", "wrong password here", codes[0]); p.status != http.StatusUnauthorized {
		t.Fatalf("a recovery code with a wrong password: %d", p.status)
	}
	c, p := e.signInWithRecovery("admin", adminPassword, codes[0])
	if p.status != http.StatusSeeOther {
		t.Fatalf("sign in with a recovery code: %d %s", p.status, p.formError())
	}
	if got := c.get("/account").testid("recovery-left"); !strings.Contains(got, "9 of 10") {
		t.Fatalf("account page: %q", got)
	}
	if _, p := e.signInWithRecovery("admin", adminPassword, codes[0]); p.status != http.StatusUnauthorized {
		t.Fatalf("a used recovery code worked again: %d", p.status)
	}
	// As typed: lower case, without dashes, in the TOTP field.
	typed := strings.ToLower(strings.ReplaceAll(codes[1], "-", " "))
	if p := e.newClient().post("/signin", url.Values{"username": {"admin"}, "password": {adminPassword}, "code": {typed}}); p.status != http.StatusSeeOther {
		t.Fatalf("a recovery code as typed: %d %s", p.status, p.formError())
	}
	if got := e.audited("admin", "operator.recovery.use"); len(got) != 2 || !strings.Contains(strings.Join(got, "|"), "8 left") {
		t.Fatalf("audit of uses: %v", got)
	}

	// New codes need the password and a fresh TOTP code.
	if p := admin.post("/account/recovery-codes", url.Values{"password": {"wrong password here"}, "code": {code(t, secret, e.clock().Add(30*time.Second))}}); p.status != http.StatusUnprocessableEntity || p.testid("recovery-code") != "" {
		t.Fatalf("regenerate with a wrong password: %d", p.status)
	}
	e.offset += time.Minute
	p = admin.post("/account/recovery-codes", url.Values{"password": {adminPassword}, "code": {code(t, secret, e.clock())}})
	var fresh []string
	p.doc.Find(`[data-testid="recovery-code"]`).Each(func(_ int, s *goquery.Selection) { fresh = append(fresh, s.Text()) })
	if p.status != http.StatusOK || len(fresh) != 10 || p.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("regenerate: %d, %d codes, Cache-Control %q: %s", p.status, len(fresh), p.header.Get("Cache-Control"), p.formError())
	}
	if _, p := e.signInWithRecovery("admin", adminPassword, codes[2]); p.status != http.StatusUnauthorized {
		t.Fatalf("an old code works after regeneration: %d", p.status)
	}
	if _, p := e.signInWithRecovery("admin", adminPassword, fresh[0]); p.status != http.StatusSeeOther {
		t.Fatalf("a new code: %d", p.status)
	}
	if got := e.audited("admin", "operator.recovery.regenerate"); len(got) != 1 {
		t.Fatalf("audit of the regeneration: %v", got)
	}
	if got := e.audited("admin", "operator.recovery.issue"); len(got) != 1 {
		t.Fatalf("audit of the codes issued at setup: %v", got)
	}
}

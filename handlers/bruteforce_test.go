package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var tryAgainAt = regexp.MustCompile(`try again at \d\d:\d\d`)

func TestSignInBruteForceLimit(t *testing.T) {
	e := newEnv(t)
	_, secret := e.setupAdmin()
	for i := 1; i <= 5; i++ {
		_, p := e.signIn("admin", "wrong password "+string(rune('a'+i)), secret, e.clock())
		if p.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i, p.status)
		}
	}
	t.Run("the sixth attempt is refused even with the right password", func(t *testing.T) {
		_, p := e.signIn("ADMIN", "correct horse battery", secret, e.clock())
		if got, want := p.status, http.StatusTooManyRequests; got != want {
			t.Fatalf("status %d, want %d", got, want)
		}
		if !tryAgainAt.MatchString(p.formError()) {
			t.Fatalf("message %q does not say when to try again", p.formError())
		}
	})
	t.Run("after 15 minutes the operator may sign in", func(t *testing.T) {
		e.offset += 16 * time.Minute
		if _, p := e.signIn("admin", "correct horse battery", secret, e.clock()); p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", p.status, p.formError())
		}
	})
}

func TestReplayedTOTPCodeIsRejected(t *testing.T) {
	e := newEnv(t)
	_, secret := e.setupAdmin()
	at := e.clock().Add(30 * time.Second)
	if _, p := e.signIn("admin", "correct horse battery", secret, at); p.status != http.StatusSeeOther {
		t.Fatalf("first use: %d: %s", p.status, p.formError())
	}
	if _, p := e.signIn("admin", "correct horse battery", secret, at); p.status != http.StatusUnauthorized || !strings.Contains(p.formError(), "Sign-in failed") {
		t.Fatalf("replay: status %d: %q", p.status, p.formError())
	}
}

func TestInviteMFACodeEntryLimit(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	u, _ := e.claimAndOpenMFA(admin.onboard("test"))
	for i := 1; i <= 5; i++ {
		p := u.post("/enroll/mfa", url.Values{"code1": {"000000"}, "code2": {"000001"}})
		if p.status != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: status %d, want 422", i, p.status)
		}
	}
	p := u.post("/enroll/mfa", url.Values{"code1": {"000000"}, "code2": {"000001"}})
	if got, want := p.status, http.StatusTooManyRequests; got != want {
		t.Fatalf("sixth attempt: status %d, want %d", got, want)
	}
	if !tryAgainAt.MatchString(p.formError()) {
		t.Fatalf("message %q does not say when to try again", p.formError())
	}
}

func TestJoinLinkCodeEntryLimit(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	link := admin.post("/operators", url.Values{"username": {"hana"}, "role": {"auditor"}}).testid("operator-link")
	c := e.newClient()
	c.get(link)
	for i := 1; i <= 5; i++ {
		if p := c.post(link, url.Values{"password": {"another long password"}, "code": {"000000"}}); p.status != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: %d", i, p.status)
		}
	}
	if p := c.post(link, url.Values{"password": {"another long password"}, "code": {"000000"}}); p.status != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt: %d", p.status)
	}
}

func TestPerIPLimitOnSignIn(t *testing.T) {
	e := newEnv(t)
	e.setupAdmin()
	got := 0
	// Different user names, so only the per-IP limit can stop them.
	for i := 0; i < 25; i++ {
		c := e.newClient()
		p := c.post("/signin", url.Values{"username": {"nobody" + string(rune('a'+i))}, "password": {"x"}, "code": {"123456"}})
		if p.status == http.StatusTooManyRequests {
			got = i
			break
		}
	}
	if got != 20 {
		t.Fatalf("the per-IP limit hit at request %d, want 20 (21st request)", got)
	}
}

package handlers_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal/handlers"
)

// tryAgainIn is how a refusal says when to try again: a wait in minutes,
// never a clock time in UTC that an invitee in Tokyo would have to convert.
var tryAgainIn = regexp.MustCompile(`Try again in 1[45] minutes\.$`)

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
		if !tryAgainIn.MatchString(p.formError()) || strings.Contains(p.formError(), "UTC") {
			t.Fatalf("message %q does not say how long to wait", p.formError())
		}
	})
	t.Run("the wait counts down from the service's clock, one minute in the singular", func(t *testing.T) {
		e.offset += 14 * time.Minute // less than a minute of real time has passed since the first attempt
		_, p := e.signIn("admin", "correct horse battery", secret, e.clock())
		if p.status != http.StatusTooManyRequests || !strings.HasSuffix(p.formError(), "Try again in 1 minute.") {
			t.Fatalf("status %d: %q, want a wait of 1 minute", p.status, p.formError())
		}
		e.offset -= 14 * time.Minute
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
	if !tryAgainIn.MatchString(p.formError()) || strings.Contains(p.formError(), "UTC") {
		t.Fatalf("message %q does not say how long to wait", p.formError())
	}
	t.Run("in Japanese", func(t *testing.T) {
		p := u.post("/enroll/mfa?lang=ja", url.Values{"code1": {"000000"}, "code2": {"000001"}})
		if p.status != http.StatusTooManyRequests || !regexp.MustCompile(`1[45]分後にもう一度お試しください。$`).MatchString(p.formError()) {
			t.Fatalf("status %d: %q, want a wait in minutes", p.status, p.formError())
		}
		jaText(t, "the refusal", p.formError())
	})
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
	if p := c.post(link, url.Values{"password": {"another long password"}, "code": {"000000"}}); p.status != http.StatusTooManyRequests || !tryAgainIn.MatchString(p.formError()) {
		t.Fatalf("sixth attempt: %d: %q", p.status, p.formError())
	}
}

func TestPerIPLimitOnSignIn(t *testing.T) {
	e := newEnv(t)
	e.setupAdmin()
	got := -1
	start := time.Now()
	// Different user names, so only the per-IP limit can stop them.
	for i := 0; i < 30; i++ {
		c := e.newClient()
		p := c.post("/signin", url.Values{"username": {"nobody" + string(rune('a'+i))}, "password": {"x"}, "code": {"123456"}})
		if p.status == http.StatusTooManyRequests {
			got = i
			// httprate's Retry-After stays, and the page says the same wait.
			if p.header.Get("Retry-After") != "60" || !strings.HasSuffix(p.formError(), "Try again in 1 minute.") {
				t.Errorf("Retry-After %q, message %q: want 60 and a wait of 1 minute", p.header.Get("Retry-After"), p.formError())
			}
			break
		}
	}
	checkLimitedAt(t, got, start)
}

// ipLimit is the per-IP limit per minute of the forms that check a secret.
const ipLimit = 20

// checkLimitedAt checks that the per-IP limit stopped request i (0-based)
// of a run that began at start: exactly the 21st when the run stayed in one
// of httprate's minute windows, and never earlier. Across a window boundary
// the sliding count weighs the previous window's requests by the part of it
// still inside the last minute, so a slow run (the race detector, a loaded
// machine) may get a few more through — never fewer.
func checkLimitedAt(t *testing.T, i int, start time.Time) {
	t.Helper()
	oneWindow := start.UTC().Truncate(time.Minute).Equal(time.Now().UTC().Truncate(time.Minute))
	switch {
	case i < 0:
		t.Fatal("the per-IP limit never stopped the requests")
	case i < ipLimit:
		t.Fatalf("limited at request %d, want the %dth", i+1, ipLimit+1)
	case i > ipLimit && oneWindow:
		t.Fatalf("limited at request %d within one minute window, want the %dth", i+1, ipLimit+1)
	}
}

// Behind a trusted reverse proxy each client gets its own per-IP budget;
// a client's own X-Forwarded-For is never believed.
func TestPerIPLimitBehindTrustedProxy(t *testing.T) {
	e := newEnv(t)
	h, err := handlers.New(handlers.Deps{SetupBox: e.setupBox, Store: e.store, Auth: e.auth, Onboarding: e.onb, Now: e.clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TrustedProxies: []string{"192.0.2.1/32"}})
	if err != nil {
		t.Fatal(err)
	}
	signin := func(peer, forwardedFor string, i int) int {
		body := url.Values{"username": {fmt.Sprintf("nobody%d", i)}, "password": {"x"}, "code": {"123456"}}
		req := httptest.NewRequest("POST", "/signin", strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = peer
		req.Header.Set("X-Forwarded-For", forwardedFor)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	t.Run("clients behind the proxy are counted apart", func(t *testing.T) {
		for i := 0; i < 30; i++ {
			if got := signin("192.0.2.1:4000", fmt.Sprintf("203.0.113.%d", i+1), i); got == http.StatusTooManyRequests {
				t.Fatalf("client %d behind the proxy was limited", i)
			}
		}
	})
	t.Run("a direct client cannot spoof X-Forwarded-For", func(t *testing.T) {
		start := time.Now()
		for i := 0; i < 30; i++ {
			if got := signin("198.51.100.7:5555", fmt.Sprintf("203.0.113.%d", 100+i), i); got == http.StatusTooManyRequests {
				checkLimitedAt(t, i, start)
				return
			}
		}
		t.Fatal("spoofed X-Forwarded-For headers escaped the per-IP limit")
	})
}

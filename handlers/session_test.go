package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func sessionCookie(c *client, base string) string {
	u, _ := url.Parse(base)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "gh_session" {
			return ck.Value
		}
	}
	return ""
}

func TestSessionFixation(t *testing.T) {
	e := newEnv(t)
	_, secret := e.setupAdmin()
	// An attacker plants a session ID they know (here: a real, valid one of
	// their own) before the victim signs in.
	e.offset += 30 * time.Second // each sign-in needs a fresh TOTP step
	planted, p := e.signIn("admin", "correct horse battery", secret, e.clock())
	if p.status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", p.status)
	}
	before := sessionCookie(planted, e.srv.URL)
	victim := e.newClient()
	u, _ := url.Parse(e.srv.URL)
	victim.http.Jar.SetCookies(u, []*http.Cookie{{Name: "gh_session", Value: before, Path: "/"}})
	e.offset += 30 * time.Second
	p = victim.post("/signin", url.Values{"username": {"admin"}, "password": {"correct horse battery"}, "code": {code(t, secret, e.clock())}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("victim sign-in: %d: %s", p.status, p.formError())
	}
	after := sessionCookie(victim, e.srv.URL)
	if after == "" || after == before {
		t.Fatalf("session ID did not change at sign-in")
	}
	if p := planted.get("/users"); p.status != http.StatusSeeOther {
		t.Fatalf("the planted session ID still works after the victim signed in: %d", p.status)
	}
}

func TestSessionTimeouts(t *testing.T) {
	t.Run("idle for more than 30 minutes", func(t *testing.T) {
		e := newEnv(t)
		admin, _ := e.setupAdmin()
		e.offset += 29 * time.Minute
		if p := admin.get("/users"); p.status != http.StatusOK {
			t.Fatalf("after 29 idle minutes: %d", p.status)
		}
		e.offset += 31 * time.Minute
		if p := admin.get("/users"); p.status != http.StatusSeeOther {
			t.Fatalf("after 31 idle minutes: %d, want a redirect to sign in", p.status)
		}
	})
	t.Run("12 hours after sign-in, however active", func(t *testing.T) {
		e := newEnv(t)
		admin, _ := e.setupAdmin()
		for elapsed := 20 * time.Minute; elapsed < 12*time.Hour; elapsed += 20 * time.Minute {
			e.offset = elapsed
			if p := admin.get("/users"); p.status != http.StatusOK {
				t.Fatalf("active session ended after %v: %d", elapsed, p.status)
			}
		}
		e.offset = 12*time.Hour + time.Minute
		if p := admin.get("/users"); p.status != http.StatusSeeOther {
			t.Fatalf("session alive past its absolute timeout: %d", p.status)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	inviteURL := admin.onboard("test")
	for _, path := range []string{"/signin", inviteURL, "/users"} {
		t.Run(path, func(t *testing.T) {
			var p *page
			if strings.HasPrefix(path, "http") {
				p = e.newClient().get(path)
			} else {
				p = admin.get(path)
			}
			csp := p.header.Get("Content-Security-Policy")
			for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP allows inline script: %q", csp)
			}
			if got := p.header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			if got := p.header.Get("Referrer-Policy"); got != "no-referrer" {
				t.Errorf("Referrer-Policy %q", got)
			}
			if got := p.header.Get("Strict-Transport-Security"); got != "" {
				t.Errorf("HSTS over plain HTTP without secure cookies: %q", got)
			}
			if n := p.doc.Find("script:not([src])").Length(); n > 0 {
				t.Errorf("%d inline scripts", n)
			}
			if n := p.doc.Find("[style]").Length(); n > 0 {
				t.Errorf("%d inline style attributes", n)
			}
		})
	}
}

// Over TLS the portal asks browsers to keep using HTTPS (HSTS).
func TestHSTSOverTLS(t *testing.T) {
	e := newEnv(t)
	req := httptest.NewRequest("GET", "https://gatehouse.example/signin", nil) // r.TLS is set
	rec := httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(rec, req)
	if got := rec.Header().Get("Strict-Transport-Security"); !strings.Contains(got, "max-age=") {
		t.Fatalf("HSTS over TLS = %q, want a max-age", got)
	}
}

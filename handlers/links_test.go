package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// postHost posts a form with a Host header of the client's choosing.
func (c *client) postHost(path, host string, form url.Values) *page {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// The client's jar would look cookies up by Host: add them by URL.
	for _, ck := range c.http.Jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	req.Host = host
	return c.do(req)
}

// Finding: links were built from the request's Host header when
// PORTAL_BASE_URL was unset, so "Host: evil.example" handed out (and
// e-mailed) invite links to evil.example. Every link now comes from the
// configured base URL, whatever Host a request names.
func TestLinksNeverComeFromTheHostHeader(t *testing.T) {
	e := newEnv(t)
	admin, adminSecret := e.setupAdmin()
	base := e.links.Base() + "/"
	check := func(t *testing.T, what, link string) {
		t.Helper()
		if !strings.HasPrefix(link, base) || strings.Contains(link, "evil.example") {
			t.Fatalf("%s link %q, want one under %s", what, link, base)
		}
	}
	t.Run("hand-off page", func(t *testing.T) {
		p := admin.postHost("/users", "evil.example", url.Values{"user_name": {"hosty"}, "display_name": {"H"}})
		check(t, "invite", p.testid("invite-url"))
	})
	t.Run("resend form", func(t *testing.T) {
		p := admin.postHost("/users/hosty/resend-invite", "evil.example", nil)
		check(t, "resent invite", p.testid("invite-url"))
	})
	t.Run("operator invite", func(t *testing.T) {
		p := admin.postHost("/operators", "evil.example", url.Values{"username": {"hana"}, "role": {"auditor"}})
		check(t, "operator invite", p.testid("operator-link"))
	})
	t.Run("API", func(t *testing.T) {
		token := admin.mintToken("ci", adminPassword, adminSecret, nil).testid("token-value")
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/users/hosty/invite", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Host = "evil.example"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			InviteURL string `json:"invite_url"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		check(t, "API invite", body.InviteURL)
	})
}

// Finding: next=/<TAB>/evil.example/x came back as the Location after a
// successful sign-in (browsers drop the tab and follow //evil.example).
func TestSignInRedirectStaysOnThePortal(t *testing.T) {
	e := newEnv(t)
	_, secret := e.setupAdmin()
	signIn := func(next string) *page {
		e.offset += 30 * time.Second // a fresh code each time: a code works once
		return e.newClient().post("/signin", url.Values{"username": {"admin"}, "password": {"correct horse battery"},
			"code": {code(t, secret, e.clock())}, "next": {next}})
	}
	for _, next := range []string{"/\t/evil.example/x", "/%2F/evil.example", "/\\evil.example", "https://evil.example/"} {
		p := signIn(next)
		if p.status != http.StatusSeeOther {
			t.Fatalf("next=%q: status %d: %s", next, p.status, p.formError())
		}
		if got := p.header.Get("Location"); got != "/users" {
			t.Fatalf("next=%q: Location %q, want /users", next, got)
		}
	}
	if got := signIn("/audit?actor=admin").header.Get("Location"); got != "/audit?actor=admin" {
		t.Fatalf("a local next= is not followed: Location %q", got)
	}
}

// Every response says no-store: pages that show a secret (the setup page's
// TOTP seed here) cannot forget it, wherever they are.
func TestNoPageIsCached(t *testing.T) {
	e := newEnv(t)
	token, err := e.auth.SetupLink(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := e.newClient()
	for _, path := range []string{"/setup/" + token, "/signin", "/healthz"} {
		if got := c.get(path).header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", path, got)
		}
	}
	admin, _ := e.setupAdmin()
	for _, path := range []string{"/users", "/tokens", "/operators", "/audit"} {
		if got := admin.get(path).header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", path, got)
		}
	}
	p := admin.post("/operators", url.Values{"username": {"hana"}, "role": {"auditor"}})
	if got := p.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("operator invite link page: Cache-Control %q, want no-store", got)
	}
}

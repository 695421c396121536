package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
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
	admin, _ := e.setupAdmin()
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
		token := admin.post("/tokens", url.Values{"name": {"ci"}}).testid("token-value")
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

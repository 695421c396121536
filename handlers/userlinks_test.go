package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/gatehouse/portal"
)

// userLinksCarry checks that every link and form of p about a user (a
// path under /users/NAME) names the user's account, in the query or in a
// GET form's hidden input: accounts maps each user to it. It returns how
// many it checked.
func userLinksCarry(t *testing.T, kind string, p *page, accounts map[string]string) int {
	t.Helper()
	if p.status >= 300 && p.status != http.StatusUnprocessableEntity {
		t.Fatalf("%s: status %d: %s", kind, p.status, p.formError())
	}
	n := 0
	p.doc.Find(`main a[href^="/users/"], main form[action^="/users/"]`).Each(func(_ int, s *goquery.Selection) {
		target := s.AttrOr("href", s.AttrOr("action", ""))
		u, err := url.Parse(target)
		if err != nil {
			t.Errorf("%s: link %q: %v", kind, target, err)
			return
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(u.Path, "/users/"), "/")
		want, ok := accounts[name]
		if !ok {
			return // /users/new, /users/bulk …
		}
		got := u.Query().Get("account")
		if got == "" && strings.EqualFold(s.AttrOr("method", ""), "get") {
			got = s.Find(`input[name="account"]`).AttrOr("value", "")
		}
		n++
		if got != want {
			t.Errorf("%s: %s to %q carries account %q, want %q", kind, goquery.NodeName(s), target, got, want)
		}
	})
	return n
}

// Every page kind that links to a user page or a helpdesk action, when
// several accounts are managed, names the user's account in the link —
// also when the request that led there named none because the name is in
// one account only (the invite page, the offboarding form and the
// redirect after an action), so the link stays the same user's once
// another account holds the name.
func TestUserLinksCarryTheAccount(t *testing.T) {
	e, admin := newMultiEnv(t)
	hub := e.emu.AccountID()
	admin.onboardIn(memberA, "mia")
	admin.onboardIn(hub, "hal")
	admin.onboardIn(memberA, "dana")
	admin.onboardIn(hub, "dana")
	accounts := map[string]string{"mia": memberA, "hal": hub}

	t.Run("redirect after an action", func(t *testing.T) {
		for name, acct := range accounts {
			path, q := location(t, admin.post("/users/"+name+"/extend", url.Values{"days": {"7"}, "reason": {"asked"}}))
			if path != "/users/"+name || q.Get("account") != acct || q.Get("done") != "extended" {
				t.Errorf("extend %s without the account sends to %s?%s", name, path, q.Encode())
			}
		}
	})
	t.Run("invite page", func(t *testing.T) {
		for name := range accounts {
			if userLinksCarry(t, "invite page of "+name, admin.post("/users/"+name+"/resend-invite", nil), accounts) == 0 {
				t.Errorf("the invite page of %s links to no user", name)
			}
		}
	})
	t.Run("offboarding form", func(t *testing.T) {
		for name := range accounts {
			if userLinksCarry(t, "offboarding form of "+name, admin.get("/users/"+name+"/offboard"), accounts) == 0 {
				t.Errorf("the offboarding form of %s posts nowhere", name)
			}
			refused := admin.post("/users/"+name+"/offboard", url.Values{"confirm_name": {"someone else"}, "reason": {"left"}})
			if refused.status != http.StatusUnprocessableEntity {
				t.Fatalf("a wrong confirmation: status %d", refused.status)
			}
			userLinksCarry(t, "refused offboarding of "+name, refused, accounts)
		}
	})
	t.Run("user page", func(t *testing.T) {
		for name := range accounts {
			if userLinksCarry(t, "user page of "+name, admin.get("/users/"+name), accounts) == 0 {
				t.Errorf("the page of %s has no action", name)
			}
		}
	})
	t.Run("lists", func(t *testing.T) {
		e.offset += 30 * 24 * time.Hour // every deadline passed: the dashboard's lists fill
		admin := e.clientAs(e.mintOperator("helper", portal.RoleHelpdesk))
		for _, path := range []string{"/users", "/users?group=email", "/users?account=" + memberA, "/dashboard", "/dashboard?account=" + memberA} {
			if userLinksCarry(t, path, admin.get(path), accounts) == 0 {
				t.Errorf("%s links to no user", path)
			}
		}
	})
}

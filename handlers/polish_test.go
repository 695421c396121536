package handlers_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/web"
)

// TestFirstAdminWelcomeTitlesAndFavicon: the first admin lands on a
// welcome page that says what to do next; page titles name Gatehouse once;
// the pages have a favicon that is served.
func TestFirstAdminWelcomeTitlesAndFavicon(t *testing.T) {
	e := newEnv(t)
	token, err := e.auth.SetupLink(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := e.newClient()
	secret := c.get("/setup/" + token).testid("totp-secret")
	p := c.post("/setup/"+token, map[string][]string{"username": {"admin"}, "password": {adminPassword}, "code": {code(t, secret, e.clock())}})
	if got := p.doc.Find(`[data-testid="recovery-continue"]`).AttrOr("href", ""); got != "/welcome" {
		t.Fatalf("setup: status %d, continues to %q, want the welcome page", p.status, got)
	}
	p = c.get("/welcome")
	if p.status != http.StatusOK || p.doc.Find(`main a[href="/users/new"]`).Length() == 0 || p.doc.Find(`main a[href="/operators"]`).Length() == 0 {
		t.Fatalf("welcome: status %d, no next steps: %s", p.status, p.doc.Find("main").Text())
	}
	for path, want := range map[string]string{"/welcome": "Gatehouse is ready", "/users": "Managed IAM users · Gatehouse", "/signin": "Sign in to Gatehouse"} {
		cl := c
		if path == "/signin" {
			cl = e.newClient()
		}
		if got := strings.TrimSpace(cl.get(path).doc.Find("title").Text()); got != want {
			t.Errorf("%s: title %q, want %q", path, got, want)
		}
	}
	href, ok := p.doc.Find(`link[rel="icon"]`).Attr("href")
	if !ok {
		t.Fatal("no favicon")
	}
	icon := c.get(href)
	if icon.status != http.StatusOK || icon.header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("favicon %s: status %d, type %q", href, icon.status, icon.header.Get("Content-Type"))
	}
}

// TestBulkPreviewShowsTheDefaultDeadline: a row without a deadline shows
// the date the default gives it.
func TestBulkPreviewShowsTheDefaultDeadline(t *testing.T) {
	e := newBulkEnv(t)
	c, _ := e.setupAdmin()
	p := c.upload("user_name,display_name,email,deadline\nkim,Kim,,\nlee,Lee,,2099-01-31\n")
	want := e.clock().AddDate(0, 0, 7).UTC().Format("2006-01-02")
	cells := func(user string) string {
		return p.doc.Find(`[data-testid="bulk-good-row"][data-user="` + user + `"]`).Text()
	}
	if got := cells("kim"); !strings.Contains(got, want) || !strings.Contains(got, "default") {
		t.Errorf("kim's row %q, want the default deadline %s", got, want)
	}
	if got := cells("lee"); !strings.Contains(got, "2099-01-31") || strings.Contains(got, "default") {
		t.Errorf("lee's row %q, want its own deadline", got)
	}
}

// TestAuditFilterPicksActionsInWords: the action filter is a pick-list of
// actions in words, and every action a working day records is on it.
func TestAuditFilterPicksActionsInWords(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	c.onboard("mia")
	c.post("/users/mia/revoke-invite", nil)
	c.post("/users/mia/resend-invite", nil)
	e.consoleEnroll("mia")
	c.post("/sync", nil)
	c.post("/operators", map[string][]string{"username": {"noa"}, "role": {"auditor"}})
	c.post("/operators/invites/noa/revoke", nil)

	p := c.get("/audit?action=user.onboard")
	sel := p.doc.Find(`select[name="action"]`)
	if sel.Length() != 1 {
		t.Fatal("the action filter is not a pick-list")
	}
	if got := strings.TrimSpace(sel.Find(`option[selected]`).Text()); got != "user onboarded" {
		t.Errorf("the chosen action reads %q, want it in words", got)
	}
	if n := p.doc.Find(`tbody tr`).Length(); n != 1 {
		t.Errorf("filtered on user.onboard: %d rows, want 1", n)
	}
	events, err := e.store.FindAuditEvents(context.Background(), portal.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if !slices.Contains(web.AuditActions, ev.Action) {
			t.Errorf("the audit filter does not offer %q", ev.Action)
		}
	}
}

// TestDonePageSaysOnceWhatNeedsAnAdmin: the done page mentions Git only
// where it says what needs an administrator, and teaches nothing that is
// then refused.
func TestDonePageSaysOnceWhatNeedsAnAdmin(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	u, mfa := e.claimAndOpenMFA(c.onboard("ola"))
	secret, now := mfa.testid("mfa-secret"), time.Now()
	u.post("/enroll/mfa", map[string][]string{"code1": {code(t, secret, now.Add(-30*time.Second))}, "code2": {code(t, secret, now)}})
	p := u.get("/enroll/done")
	if p.status != http.StatusOK {
		t.Fatalf("done page: %d", p.status)
	}
	main := p.doc.Find("main").Clone()
	main.Find(`[data-testid="needs-admin"]`).Remove()
	if strings.Contains(main.Text(), "Git") {
		t.Errorf("the done page speaks of Git outside what needs an administrator: %q", main.Text())
	}
	if !strings.Contains(p.testid("needs-admin"), "Git") {
		t.Errorf("the done page does not say Git needs an administrator: %q", p.testid("needs-admin"))
	}
}

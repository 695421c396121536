package handlers_test

import (
	"strings"
	"testing"

	"github.com/gatehouse/portal"
)

// TestUserListSaysWhyItIsEmpty: a list with no user says "none yet" only
// when nobody is onboarded; a search or filter that finds nobody says so
// and offers the whole list, in both languages. Each row shows the
// address the search looks in, and the dashboard leads to onboarding.
func TestUserListSaysWhyItIsEmpty(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	if p := c.get("/users"); p.doc.Find(`[data-testid="users-empty"]`).Length() != 1 || p.doc.Find(`[data-testid="users-nomatch"]`).Length() != 0 {
		t.Fatalf("an empty portal's list: %s", p.doc.Find("main").Text())
	}
	if p := c.get("/dashboard"); p.doc.Find(`main [data-testid="dash-onboard"][href="/users/new"]`).Length() != 1 {
		t.Errorf("the dashboard offers no onboarding: %s", p.doc.Find("main nav").Text())
	}
	c.onboard("hana")
	if p := c.get("/users"); p.doc.Find(`[data-testid="user-row"][data-user="hana"] [data-testid="user-email"]`).Text() != "hana@example.com" {
		t.Errorf("the row of hana shows no e-mail address: %s", p.doc.Find(`[data-testid="user-row"]`).Text())
	}
	for _, tc := range []struct{ path, want string }{
		{"/users?q=nobody", "No user matches this search or filter."},
		{"/users?status=overdue", "No user matches this search or filter."},
		{"/users?q=nobody&lang=ja", "この検索条件・絞り込みに一致するユーザーはいません。"},
	} {
		p := c.get(tc.path)
		if got := p.testid("users-nomatch"); !strings.Contains(got, tc.want) || p.doc.Find(`[data-testid="users-empty"]`).Length() != 0 {
			t.Errorf("%s says %q, want %q", tc.path, got, tc.want)
		}
		if href, _ := p.doc.Find(`[data-testid="users-clear"]`).Attr("href"); href != "/users" {
			t.Errorf("%s offers %q, want the whole list", tc.path, href)
		}
	}
	c.get("/users?lang=en")
	// The user's timeline names its columns as the audit log does, time zone included.
	p := c.get("/users/hana")
	if got := p.doc.Find(`main table th`).First().Text(); got != "When (UTC)" {
		t.Errorf("the timeline's first column is %q, want %q", got, "When (UTC)")
	}
}

// TestErrorPagesSayWhatToDo: a wrong address says how to go on instead of
// repeating its heading, a user that does not exist is "not found" (not
// "something is not right"), and a role that does not allow a page says
// who can help, in both languages.
func TestErrorPagesSayWhatToDo(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	for _, tc := range []struct{ path, heading, text string }{
		{"/no-such-page", "Page not found", "Check the link"},
		{"/no-such-page?lang=ja", "ページが見つかりません", "リンクが途中で切れていないか確認"},
		{"/users/ghost?lang=en", "Not found", "ghost"},
		{"/users/ghost?lang=ja", "見つかりません", "ghost"},
	} {
		p := c.get(tc.path)
		h1, msg := strings.TrimSpace(p.doc.Find("main h1").Text()), p.formError()
		if p.status != 404 || h1 != tc.heading || !strings.Contains(msg, tc.text) || msg == h1 {
			t.Errorf("%s: %d, heading %q, message %q; want heading %q and a message with %q", tc.path, p.status, h1, msg, tc.heading, tc.text)
		}
	}
	hd := e.clientAs(e.mintOperator("helpy", portal.RoleHelpdesk))
	for _, tc := range []struct{ lang, want string }{{"en", "Ask an administrator"}, {"ja", "管理者に操作を依頼"}} {
		p := hd.get("/operators?lang=" + tc.lang)
		if h1 := strings.TrimSpace(p.doc.Find("main h1").Text()); p.status != 403 || !strings.Contains(p.formError(), tc.want) {
			t.Errorf("%s: a helpdesk at /operators: %d, %q: %q, want it to say %q", tc.lang, p.status, h1, p.formError(), tc.want)
		}
	}
}

// TestUserPageSaysWhenThereIsNoAddress: a user without an e-mail address
// shows that nobody will e-mail them (an empty field read as a page that
// failed to load), in both languages.
func TestUserPageSaysWhenThereIsNoAddress(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	if p := c.post("/users", map[string][]string{"user_name": {"noaddress"}}); p.status != 201 {
		t.Fatalf("onboard: %d %s", p.status, p.formError())
	}
	for lang, want := range map[string]string{"en": "hand links over yourself", "ja": "リンクはご自身で渡してください"} {
		if got := c.get("/users/noaddress?lang=" + lang).testid("user-email"); !strings.Contains(got, want) {
			t.Errorf("%s: the e-mail field reads %q, want it to say %q", lang, got, want)
		}
	}
}

// TestOperatorsPageOffersNoSelfLockout: an admin's own row offers no
// "Disable" (one click would lock them out, the only admin included); the
// other operators' rows do.
func TestOperatorsPageOffersNoSelfLockout(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	e.mintOperator("helpy", portal.RoleHelpdesk)
	p := c.get("/operators")
	if n := p.doc.Find(`[data-testid="operator-row"][data-operator="admin"] [data-testid="operator-disable"]`).Length(); n != 0 {
		t.Errorf("the admin's own row offers Disable")
	}
	if got := p.testid("operator-self"); !strings.Contains(got, "another administrator") {
		t.Errorf("the admin's own row says %q, want who can disable them", got)
	}
	if n := p.doc.Find(`[data-testid="operator-row"][data-operator="helpy"] [data-testid="operator-disable"]`).Length(); n != 1 {
		t.Errorf("another operator's row offers Disable %d times, want once", n)
	}
}

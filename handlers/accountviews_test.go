package handlers_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/store"
)

// newMultiEnv is a portal managing the hub and one reachable member
// account, with its first admin signed in.
func newMultiEnv(t *testing.T) (*env, *client) {
	t.Helper()
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")), envOptions{members: []string{memberA}})
	admin, _ := e.setupAdmin()
	return e, admin
}

// onboardIn creates user name in account through the form.
func (c *client) onboardIn(account, name string) {
	c.t.Helper()
	p := c.post("/users", url.Values{"account": {account}, "user_name": {name}, "email": {name + "@example.com"}})
	if p.status != http.StatusCreated {
		c.t.Fatalf("onboard %s in %s: status %d: %s", name, account, p.status, p.formError())
	}
}

// location is a redirect's target, split.
func location(t *testing.T, p *page) (string, url.Values) {
	t.Helper()
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d, want a redirect: %s", p.status, p.formError())
	}
	u, err := url.Parse(p.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u.Path, u.Query()
}

// The same name in the hub and a member account: a link or action without
// the account is refused, never pointed at one of them; every helpdesk
// action sends the operator back to the same user of the same account, and
// the pages on the way (the new invite, the offboarding form) carry it.
func TestHelpdeskKeepsTheAccount(t *testing.T) {
	e, admin := newMultiEnv(t)
	hub := e.emu.AccountID()
	admin.onboardIn(memberA, "dana")
	admin.onboardIn(hub, "dana")

	if p := admin.get("/users/dana"); p.status != http.StatusConflict {
		t.Fatalf("a name in two accounts without the account: status %d", p.status)
	}
	if p := admin.post("/users/dana/extend", url.Values{"days": {"7"}, "reason": {"asked"}}); p.status != http.StatusConflict {
		t.Fatalf("extend without the account: status %d", p.status)
	}
	p := admin.get("/users/dana?account=" + memberA)
	if p.status != http.StatusOK || !strings.Contains(p.testid("user-account"), memberA) {
		t.Fatalf("member's dana: status %d, account %q", p.status, p.testid("user-account"))
	}
	// The hub's dana shows its account too, and its forms carry it.
	hp := admin.get("/users/dana?account=" + hub)
	if act, _ := hp.doc.Find(`form#extend`).Attr("action"); !strings.Contains(act, "account="+hub) {
		t.Errorf("the hub user's extend form posts to %q", act)
	}

	// The account in the query, or in the form.
	for name, send := range map[string]func() *page{
		"query": func() *page {
			return admin.post("/users/dana/extend?account="+memberA, url.Values{"days": {"7"}, "reason": {"asked"}})
		},
		"form": func() *page {
			return admin.post("/users/dana/extend", url.Values{"account": {memberA}, "days": {"7"}, "reason": {"asked"}})
		},
	} {
		t.Run("extend with the account in the "+name, func(t *testing.T) {
			path, q := location(t, send())
			if path != "/users/dana" || q.Get("account") != memberA || q.Get("done") != "extended" {
				t.Fatalf("redirect to %s?%s", path, q.Encode())
			}
			back := admin.get(path + "?" + q.Encode())
			if back.testid("flash") == "" || !strings.Contains(back.testid("user-account"), memberA) {
				t.Errorf("landed on flash %q, account %q", back.testid("flash"), back.testid("user-account"))
			}
		})
	}

	path, q := location(t, admin.post("/users/dana/revoke-invite?account="+memberA, nil))
	if path != "/users/dana" || q.Get("account") != memberA || q.Get("done") != "revoked" {
		t.Errorf("after revoking: %s?%s", path, q.Encode())
	}
	inv := admin.post("/users/dana/resend-invite?account="+memberA, nil)
	if href, _ := inv.doc.Find(`[data-testid="back-to-user"]`).Attr("href"); inv.status != http.StatusOK || href != "/users/dana?account="+memberA {
		t.Errorf("new invite page: status %d, way back %q", inv.status, href)
	}

	form := admin.get("/users/dana/offboard?account=" + memberA)
	if act, _ := form.doc.Find(`main form[method="post"]`).Attr("action"); act != "/users/dana/offboard?account="+memberA {
		t.Errorf("offboarding form posts to %q", act)
	}
	if got := form.testid("offboard-account"); !strings.Contains(got, memberA) {
		t.Errorf("the offboarding page does not say which account: %q", got)
	}
	// A wrong confirmation keeps the account in the form.
	bad := admin.post("/users/dana/offboard?account="+memberA, url.Values{"reason": {"left"}, "confirm_name": {"dan"}})
	if act, _ := bad.doc.Find(`main form[method="post"]`).Attr("action"); bad.status != http.StatusUnprocessableEntity || !strings.Contains(act, memberA) {
		t.Errorf("refused offboarding: status %d, form posts to %q", bad.status, act)
	}
	path, q = location(t, admin.post("/users/dana/offboard?account="+memberA, url.Values{"reason": {"left"}, "confirm_name": {"dana"}}))
	if path != "/users/dana" || q.Get("account") != memberA || q.Get("done") != "offboarded" {
		t.Errorf("after offboarding: %s?%s", path, q.Encode())
	}
	if u, _ := e.store.FindUser(t.Context(), memberA, "dana"); u == nil || u.State != "offboarded" {
		t.Errorf("member's dana after offboarding: %+v", u)
	}
	if u, _ := e.store.FindUser(t.Context(), hub, "dana"); u == nil || u.State == "offboarded" {
		t.Errorf("the hub's dana was offboarded too: %+v", u)
	}
}

// The dashboard narrowed to one account counts that account's users only,
// lists only its overdue users, and every link to the user list and to a
// user carries the account; unfiltered, a name in two accounts is two rows
// each linked to its own account.
func TestDashboardByAccount(t *testing.T) {
	e, admin := newMultiEnv(t)
	hub := e.emu.AccountID()
	admin.onboardIn(memberA, "dana")
	admin.onboardIn(hub, "dana")
	admin.onboardIn(hub, "hana")
	e.offset += 30 * 24 * time.Hour // every deadline passed
	admin = e.clientAs(e.mintOperator("helper", portal.RoleHelpdesk))

	all := admin.get("/dashboard")
	var accts []string
	all.doc.Find(`[data-testid="overdue-row"][data-user="dana"]`).Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Find("a").Attr("href")
		if acct := s.AttrOr("data-account", ""); href != "/users/dana?account="+acct {
			t.Errorf("overdue dana of %q links to %q", acct, href)
		}
		accts = append(accts, s.AttrOr("data-account", ""))
	})
	if len(accts) != 2 {
		t.Fatalf("overdue dana rows in accounts %v, want both", accts)
	}
	if n := all.doc.Find(`[data-testid="status-count"][data-status="overdue"]`).Text(); n != "3" {
		t.Errorf("overdue in all accounts: %s", n)
	}

	p := admin.get("/dashboard?account=" + memberA)
	if p.status != http.StatusOK {
		t.Fatalf("dashboard of the member: %d", p.status)
	}
	if n := p.doc.Find(`[data-testid="status-count"][data-status="overdue"]`).Text(); n != "1" {
		t.Errorf("overdue in the member account: %s", n)
	}
	if sel, _ := p.doc.Find(`select[name="account"] option[selected]`).Attr("value"); sel != memberA {
		t.Errorf("the filter shows %q chosen", sel)
	}
	rows := p.doc.Find(`[data-testid="overdue-row"]`)
	if rows.Length() != 1 || rows.AttrOr("data-account", "") != memberA {
		t.Errorf("overdue rows of the member: %d, account %q", rows.Length(), rows.AttrOr("data-account", ""))
	}
	// Every link to users: the tiles, the list button, the user rows.
	p.doc.Find(`main a[href^="/users"]`).Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		if href == "/users/new" || href == "/users/bulk" {
			return
		}
		if u, err := url.Parse(href); err != nil || u.Query().Get("account") != memberA {
			t.Errorf("link %q lacks the account", href)
		}
	})
	tile, _ := p.doc.Find(`[data-testid="status-count"][data-status="overdue"]`).Closest("a").Attr("href")
	list := admin.get(tile)
	var names []string
	list.doc.Find(`[data-testid="user-row"]`).Each(func(_ int, s *goquery.Selection) {
		names = append(names, s.AttrOr("data-user", "")+"@"+s.AttrOr("data-account", ""))
	})
	if len(names) != 1 || names[0] != "dana@"+memberA {
		t.Errorf("the overdue tile lists %v", names)
	}
}

// The user list grouped by e-mail shows one group per address with the
// person's user in each account, each linked to its own account; the
// control stays ticked and the CSV link keeps the grouping.
func TestUserListGroupedByEmail(t *testing.T) {
	e, admin := newMultiEnv(t)
	hub := e.emu.AccountID()
	admin.onboardIn(memberA, "dana")
	admin.onboardIn(hub, "dana")
	admin.onboardIn(hub, "hana")

	p := admin.get("/users?group=email")
	if p.status != http.StatusOK {
		t.Fatalf("GET grouped: %d", p.status)
	}
	if _, on := p.doc.Find(`[data-testid="group-email"]`).Attr("checked"); !on {
		t.Error("the group control is not ticked")
	}
	groups := p.doc.Find(`[data-testid="email-group"]`)
	if groups.Length() != 2 {
		t.Fatalf("%d groups, want dana@ and hana@", groups.Length())
	}
	dana := groups.First()
	if got := dana.AttrOr("data-email", ""); got != "dana@example.com" {
		t.Fatalf("first group %q", got)
	}
	var links []string
	dana.Find(`[data-testid="user-row"] a`).Each(func(_ int, s *goquery.Selection) { links = append(links, s.AttrOr("href", "")) })
	if strings.Join(links, " ") != "/users/dana?account="+hub+" /users/dana?account="+memberA {
		t.Errorf("dana's users link to %v", links)
	}
	if got := dana.Find(`[data-testid="user-account"]`).Last().Text(); !strings.Contains(got, memberA) {
		t.Errorf("the member's row names account %q", got)
	}
	if href, _ := p.doc.Find(`[data-testid="export-csv"]`).Attr("href"); !strings.Contains(href, "group=email") {
		t.Errorf("CSV link %q drops the grouping", href)
	}
	// Ungrouped, the same list has no groups.
	if n := admin.get("/users").doc.Find(`[data-testid="email-group"]`).Length(); n != 0 {
		t.Errorf("ungrouped list shows %d groups", n)
	}
	// Japanese.
	if ja := admin.get("/users?group=email&lang=ja"); !strings.Contains(ja.testid("group-note"), "メールアドレス") {
		t.Errorf("the note in Japanese: %q", ja.testid("group-note"))
	}
}

// The adoption page lists the unmanaged IAM users of the chosen account
// (the hub by default) and adopts in that account.
func TestAdoptInAMemberAccount(t *testing.T) {
	e, admin := newMultiEnv(t)
	hub := e.emu.AccountID()
	ctx := t.Context()
	if _, err := e.rootOf(memberA).CreateUser(ctx, "zoe", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rootOf(hub).CreateUser(ctx, "yuri", nil); err != nil {
		t.Fatal(err)
	}
	candidates := func(p *page) []string {
		var out []string
		p.doc.Find(`[data-testid="candidate-row"]`).Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("data-user", "")) })
		return out
	}
	if got := candidates(admin.get("/adopt")); !slices.Contains(got, "yuri") || slices.Contains(got, "zoe") {
		t.Errorf("the hub's candidates: %v", got)
	}
	p := admin.get("/adopt?account=" + memberA)
	if got := candidates(p); !slices.Contains(got, "zoe") || slices.Contains(got, "yuri") {
		t.Errorf("the member's candidates: %v", got)
	}
	if v, _ := p.doc.Find(`form[action="/adopt"][method="post"] input[name="account"]`).Attr("value"); v != memberA {
		t.Errorf("the adopt form carries account %q", v)
	}
	if !strings.Contains(p.testid("adopt-account"), memberA) {
		t.Errorf("the page does not say which account: %q", p.testid("adopt-account"))
	}
	done := admin.post("/adopt", url.Values{"account": {memberA}, "user": {"zoe"}, "reason": {"ticket 12"}})
	row := done.doc.Find(`[data-testid="adopted"][data-user="zoe"]`)
	if done.status != http.StatusOK || row.AttrOr("data-account", "") != memberA {
		t.Fatalf("adopting zoe: status %d, %s", done.status, done.formError())
	}
	if href, _ := row.Find("a").Attr("href"); href != "/users/zoe?account="+memberA {
		t.Errorf("the adopted user links to %q", href)
	}
	if u, err := e.store.FindUser(ctx, memberA, "zoe"); err != nil || u.AccountID != memberA {
		t.Errorf("zoe after adoption: %+v, %v", u, err)
	}
	if iu, err := e.rootOf(memberA).GetUser(ctx, "zoe"); err != nil || iu.Tags["managed-by"] != "gatehouse" {
		t.Errorf("zoe in the member account: %+v, %v", iu, err)
	}
	if p := admin.get("/adopt?account=12"); p.status != http.StatusUnprocessableEntity {
		t.Errorf("a malformed account: status %d", p.status)
	}
}

// Editing an account: new role settings are checked at once, and settings
// that do not reach the account save nothing (the form comes back with
// what was typed and why, in English and Japanese, and the account keeps
// working); a good edit is saved; the hub changes only its name.
func TestEditAccount(t *testing.T) {
	e, admin := newMultiEnv(t)
	hub := e.emu.AccountID()
	ctx := t.Context()
	path := "/accounts/" + memberA + "/edit"

	form := admin.get(path)
	if v, _ := form.doc.Find(`input[name="external_id"]`).Attr("value"); form.status != http.StatusOK || v != memberExternalID {
		t.Fatalf("edit form: status %d, external ID %q", form.status, v)
	}
	if v, _ := form.doc.Find(`input[name="role_arn"]`).Attr("value"); v != "arn:aws:iam::"+memberA+":role/GatehouseAdmin" {
		t.Errorf("edit form role %q", v)
	}
	if href, _ := admin.get("/accounts").doc.Find(`[data-account="` + memberA + `"] [data-testid="account-edit"]`).Attr("href"); href != path {
		t.Errorf("the accounts page links to %q", href)
	}

	// A wrong external ID: refused with the reason, nothing saved.
	for _, lang := range []string{"en", "ja"} {
		bad := admin.post(path+"?lang="+lang, url.Values{"name": {"prod"}, "role_arn": {""}, "external_id": {"wrong-id"}})
		if bad.status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: a wrong external ID: status %d", lang, bad.status)
		}
		want := map[string]string{"en": i18n.T(i18n.EN, "account.reason.denied"), "ja": i18n.T(i18n.JA, "account.reason.denied")}[lang]
		if !strings.Contains(bad.formError(), want) {
			t.Errorf("%s: the refusal does not say why: %q", lang, bad.formError())
		}
		if v, _ := bad.doc.Find(`input[name="external_id"]`).Attr("value"); v != "wrong-id" {
			t.Errorf("%s: typed external ID not kept: %q", lang, v)
		}
		if v, _ := bad.doc.Find(`input[name="name"]`).Attr("value"); v != "prod" {
			t.Errorf("%s: typed name not kept: %q", lang, v)
		}
	}
	if a, _ := e.store.FindAccount(ctx, memberA); a.ExternalID != memberExternalID || a.Name != "" || a.Status != "reachable" {
		t.Fatalf("after a refused edit the account is %+v", a)
	}
	// The account still works: onboarding in it succeeds.
	admin.onboardIn(memberA, "ivy")

	// A role of another account: refused on the field.
	bad := admin.post(path, url.Values{"role_arn": {"arn:aws:iam::333333333333:role/GatehouseAdmin"}, "external_id": {memberExternalID}})
	if _, marked := bad.doc.Find(`input[name="role_arn"]`).Attr("aria-invalid"); bad.status != http.StatusUnprocessableEntity || !marked {
		t.Errorf("a role of another account: status %d, marked %v", bad.status, marked)
	}

	// A good edit.
	ok := admin.post(path, url.Values{"name": {"prod"}, "role_arn": {"arn:aws:iam::" + memberA + ":role/GatehouseAdmin"}, "external_id": {memberExternalID}})
	if ok.status != http.StatusOK || !strings.Contains(ok.testid("accounts-flash"), "prod") {
		t.Fatalf("a good edit: status %d, flash %q, %s", ok.status, ok.testid("accounts-flash"), ok.formError())
	}
	if a, _ := e.store.FindAccount(ctx, memberA); a.Name != "prod" {
		t.Errorf("the name was not saved: %+v", a)
	}
	if got := e.audited(memberA, "account.edit"); len(got) != 1 {
		t.Errorf("account.edit audited %d times", len(got))
	}

	// The hub: no role fields; a role is refused; the name is saved.
	hubForm := admin.get("/accounts/" + hub + "/edit")
	if hubForm.status != http.StatusOK || hubForm.doc.Find(`input[name="role_arn"]`).Length() != 0 {
		t.Errorf("hub edit form: status %d, offers a role", hubForm.status)
	}
	if p := admin.post("/accounts/"+hub+"/edit", url.Values{"name": {"main"}, "role_arn": {"arn:aws:iam::" + hub + ":role/X"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("a role for the hub: status %d", p.status)
	}
	if p := admin.post("/accounts/"+hub+"/edit", url.Values{"name": {"main"}}); p.status != http.StatusOK {
		t.Errorf("renaming the hub: status %d %s", p.status, p.formError())
	}
	if a, _ := e.store.FindAccount(ctx, hub); a.Name != "main" || a.RoleARN != "" || !a.Hub || a.Status != "reachable" {
		t.Errorf("the hub after editing: %+v", a)
	}
	if p := admin.get("/accounts/999999999999/edit"); p.status != http.StatusNotFound {
		t.Errorf("editing an unknown account: status %d", p.status)
	}
}

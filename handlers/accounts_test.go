package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/gatehouse/portal/i18n"
)

// The accounts page lists the hub, refuses a bad form with the reason on
// the field and what was typed kept, adds a member account with the outcome
// of its check (unreachable here: nothing answers as its role), and never
// removes the hub.
func TestAccountsPage(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	hub := e.emu.AccountID()
	p := admin.get("/accounts")
	if p.status != http.StatusOK {
		t.Fatalf("GET /accounts: %d", p.status)
	}
	if st, _ := p.doc.Find(`[data-testid="account-row"][data-account="` + hub + `"]`).Attr("data-status"); st != "reachable" {
		t.Fatalf("hub row status %q", st)
	}
	if p.doc.Find(`form[action="/accounts/`+hub+`/remove"]`).Length() != 0 {
		t.Error("the hub offers a remove button")
	}

	// A bad account ID: the form comes back with the error and the input.
	p = admin.post("/accounts", url.Values{"account_id": {"1234"}, "name": {"prod"}, "role_arn": {""}, "external_id": {"ext-1"}})
	if p.status != http.StatusUnprocessableEntity || p.formError() == "" {
		t.Fatalf("bad ID: status %d, error %q", p.status, p.formError())
	}
	if v, _ := p.doc.Find(`input[name="name"]`).Attr("value"); v != "prod" {
		t.Errorf("typed name not kept: %q", v)
	}
	if v, _ := p.doc.Find(`input[name="external_id"]`).Attr("value"); v != "ext-1" {
		t.Errorf("typed external ID not kept: %q", v)
	}
	if _, bad := p.doc.Find(`input[name="account_id"]`).Attr("aria-invalid"); !bad {
		t.Errorf("account_id not marked invalid")
	}
	if !strings.Contains(p.body, i18n.T(i18n.EN, "err.account.id")) {
		t.Errorf("the error is not in words: %q", p.formError())
	}
	// A role ARN of another account.
	p = admin.post("/accounts", url.Values{"account_id": {"222222222222"}, "role_arn": {"arn:aws:iam::333333333333:role/GatehouseAdmin"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "333333333333") {
		t.Fatalf("role in another account: status %d, %q", p.status, p.formError())
	}
	// The hub itself cannot be added again.
	if p = admin.post("/accounts", url.Values{"account_id": {hub}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("adding the hub: status %d", p.status)
	}

	// An account nothing answers for: added, shown unreachable with why.
	p = admin.post("/accounts", url.Values{"account_id": {"999999999999"}, "name": {"ghost"}, "external_id": {"ext-1"}})
	if p.status != http.StatusOK || p.testid("accounts-flash") == "" {
		t.Fatalf("add: status %d, flash %q", p.status, p.testid("accounts-flash"))
	}
	row := p.doc.Find(`[data-testid="account-row"][data-account="999999999999"]`)
	if st, _ := row.Attr("data-status"); st != "unreachable" {
		t.Fatalf("ghost row status %q", st)
	}
	reason := strings.TrimSpace(row.Find(`[data-testid="account-reason"]`).Text())
	if reason == "" || reason == i18n.T(i18n.EN, "error.internal") {
		t.Errorf("unreachable without a reason in words: %q", reason)
	}
	if !strings.Contains(row.Text(), "arn:aws:iam::999999999999:role/GatehouseAdmin") {
		t.Errorf("the default role ARN is not shown: %q", row.Text())
	}
	// In Japanese too.
	ja := admin.get("/accounts?lang=ja")
	if r := strings.TrimSpace(ja.doc.Find(`[data-account="999999999999"] [data-testid="account-reason"]`).Text()); r == "" || r == reason {
		t.Errorf("the reason in Japanese: %q", r)
	}
	// The new-user form now offers the accounts, the hub first.
	form := admin.get("/users/new")
	var opts []string
	form.doc.Find(`select[name="account"] option`).Each(func(_ int, s *goquery.Selection) { opts = append(opts, s.AttrOr("value", "")) })
	if len(opts) != 2 || opts[0] != hub || opts[1] != "999999999999" {
		t.Errorf("account choices %v", opts)
	}

	if p = admin.post("/accounts/"+hub+"/remove", nil); p.status != http.StatusConflict {
		t.Errorf("removing the hub: status %d", p.status)
	}
	if p = admin.post("/accounts/999999999999/remove", nil); p.status != http.StatusOK ||
		p.doc.Find(`[data-account="999999999999"]`).Length() != 0 {
		t.Errorf("removing the member: status %d", p.status)
	}
	if p = admin.post("/accounts/999999999999/check", nil); p.status != http.StatusNotFound {
		t.Errorf("checking a removed account: status %d", p.status)
	}
}

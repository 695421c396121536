package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
)

// apiStatus returns the status of an API call with token and the error
// message, if any.
func (e *env) apiStatus(token string) (int, string) {
	e.t.Helper()
	r := e.api("GET", "/api/v1/users", token, "")
	msg, _ := r.body["detail"].(string)
	return r.status, msg
}

// Minting a token re-proves the operator: a stolen session alone (no
// password, or a code already used) cannot mint one.
func TestTokenMintNeedsPasswordAndFreshCode(t *testing.T) {
	e := newEnv(t)
	admin, secret := e.setupAdmin()
	for name, form := range map[string]url.Values{
		"no password or code": {"name": {"x"}},
		"wrong password":      {"name": {"x"}, "password": {"wrong password here"}, "code": {code(t, secret, e.clock().Add(30*time.Second))}},
		"wrong code":          {"name": {"x"}, "password": {adminPassword}, "code": {"000000"}},
		// The code of sign-in (setup) was used already: it works once.
		"used code": {"name": {"x"}, "password": {adminPassword}, "code": {code(t, secret, e.clock())}},
	} {
		p := admin.post("/tokens", form)
		if p.status != http.StatusUnprocessableEntity || p.testid("token-value") != "" || !strings.Contains(p.formError(), "password or the code") {
			t.Errorf("%s: status %d, token %q, error %q", name, p.status, p.testid("token-value"), p.formError())
		}
	}
	if n := admin.get("/tokens").doc.Find(`[data-testid="token-row"]`).Length(); n != 0 {
		t.Fatalf("%d tokens were made by refused requests", n)
	}
	p := admin.mintToken("ci", adminPassword, secret, nil)
	if p.status != http.StatusCreated || !strings.HasPrefix(p.testid("token-value"), "gh_") {
		t.Fatalf("mint: %d %q %s", p.status, p.testid("token-value"), p.formError())
	}
	if got := e.auditKeys("", "apitoken.create"); len(got) != 1 || got[0] != "audit.apitoken.create.expiry" {
		t.Fatalf("audit: %v", got)
	}
}

// A token gets a lifetime at creation (default 30 days, at most 90) and
// the API refuses it once that has passed.
func TestTokenExpiry(t *testing.T) {
	e := newEnv(t)
	admin, secret := e.setupAdmin()
	for _, days := range []string{"91", "0", "-1", "ten"} {
		p := admin.mintToken("x", adminPassword, secret, url.Values{"expires_in_days": {days}})
		if p.status != http.StatusUnprocessableEntity || p.testid("token-value") != "" || !strings.Contains(p.formError(), "1 to 90 days") {
			t.Errorf("expires_in_days=%s: status %d, error %q", days, p.status, p.formError())
		}
		if _, bad := p.doc.Find(`#expires_in_days`).Attr("aria-invalid"); !bad {
			t.Errorf("expires_in_days=%s: the field is not marked invalid", days)
		}
	}
	def := admin.mintToken("default", adminPassword, secret, nil)
	want := e.clock().Add(30 * 24 * time.Hour).UTC().Format("2006-01-02")
	if got := def.doc.Find(`[data-testid="token-row"][data-name="default"] [data-testid="token-expires"]`).Text(); got != want {
		t.Fatalf("default expiry %q, want %q", got, want)
	}
	short := admin.mintToken("short", adminPassword, secret, url.Values{"expires_in_days": {"1"}}).testid("token-value")
	if st, _ := e.apiStatus(short); st != http.StatusOK {
		t.Fatalf("fresh token: %d", st)
	}
	e.offset += 24*time.Hour + time.Minute
	if st, msg := e.apiStatus(short); st != http.StatusUnauthorized || !strings.Contains(msg, "expired") {
		t.Fatalf("expired token: %d %q", st, msg)
	}
	admin, _ = e.signIn("admin", adminPassword, secret, e.clock()) // the old session timed out
	if st := admin.get("/tokens").doc.Find(`[data-testid="token-row"][data-name="short"] [data-testid="token-state"]`).Text(); !strings.Contains(st, "Expired") {
		t.Fatalf("the list does not say the token expired: %q", st)
	}
}

// "Sign out everywhere" revokes the operator's tokens with the sessions.
func TestSignOutEverywhereRevokesTokens(t *testing.T) {
	e := newEnv(t)
	admin, secret := e.setupAdmin()
	token := admin.mintToken("ci", adminPassword, secret, nil).testid("token-value")
	if st, _ := e.apiStatus(token); st != http.StatusOK {
		t.Fatalf("token before sign-out: %d", st)
	}
	if p := admin.post("/signout/everywhere", nil); p.status != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", p.status)
	}
	if st, _ := e.apiStatus(token); st != http.StatusUnauthorized {
		t.Fatalf("token after sign out everywhere: %d", st)
	}
	if got := e.audited("admin", "apitoken.revoke.all"); len(got) != 1 || !strings.Contains(got[0], "1 API token") {
		t.Fatalf("audit: %v", got)
	}
}

// An admin's reset of an operator's authenticator revokes their tokens;
// admins list every operator's tokens and revoke any; others may not.
func TestAdminRevokesOperatorTokens(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	hana, hanaSecret := e.inviteAndJoin(admin, "hana", portal.RoleHelpdesk)
	first := hana.mintToken("first", "another long password", hanaSecret, nil).testid("token-value")
	second := hana.mintToken("second", "another long password", hanaSecret, nil).testid("token-value")
	scim := hana.mintToken("sync", "another long password", hanaSecret, url.Values{"kind": {"scim"}})
	if scim.status != http.StatusCreated || scim.doc.Find(`[data-testid="token-row"][data-name="sync"][data-kind="scim"]`).Length() != 1 {
		t.Fatalf("SCIM token: %d %s", scim.status, scim.formError())
	}
	if st, msg := e.apiStatus(scim.testid("token-value")); st != http.StatusUnauthorized || !strings.Contains(msg, "SCIM") {
		t.Fatalf("a SCIM token drove the JSON API: %d %q", st, msg)
	}
	if p := hana.mintToken("odd", "another long password", hanaSecret, url.Values{"kind": {"root"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown kind: %d", p.status)
	}
	for _, tok := range []string{first, second} {
		if st, _ := e.apiStatus(tok); st != http.StatusOK {
			t.Fatalf("hana's token: %d", st)
		}
	}
	if p := hana.get("/operators/tokens"); p.status != http.StatusForbidden {
		t.Fatalf("helpdesk reached every operator's tokens: %d", p.status)
	}
	if hana.get("/tokens").doc.Find(`a[href="/operators/tokens"]`).Length() != 0 {
		t.Fatal("helpdesk is offered the admins' token list")
	}

	dash := admin.get("/dashboard")
	if dash.doc.Find(`nav a[href="/operators/tokens"]`).Length() != 1 {
		t.Fatal("the admin nav has no link to every operator's tokens")
	}
	list := admin.get("/operators/tokens")
	row := list.doc.Find(`[data-testid="token-row"][data-operator="hana"][data-name="first"]`)
	if list.status != http.StatusOK || row.Length() != 1 || list.doc.Find(`[data-testid="token-row"][data-operator="hana"]`).Length() != 3 {
		t.Fatalf("admin list: %d, rows %d", list.status, list.doc.Find(`[data-testid="token-row"]`).Length())
	}
	action, _ := row.Find("form").Attr("action")
	if p := admin.post(action, nil); p.status != http.StatusSeeOther {
		t.Fatalf("admin revoke: %d %s", p.status, p.formError())
	}
	if st, _ := e.apiStatus(first); st != http.StatusUnauthorized {
		t.Fatalf("token revoked by an admin still works: %d", st)
	}
	if got := e.audited("", "apitoken.revoke"); len(got) != 1 || !strings.HasPrefix(got[0], "admin: ") || !strings.Contains(got[0], `"first" of hana`) {
		t.Fatalf("audit: %v", got)
	}
	// hana cannot revoke through the admins' route.
	second2, _ := admin.get("/operators/tokens").doc.Find(`[data-testid="token-row"][data-name="second"] form`).Attr("action")
	if p := hana.post(second2, nil); p.status != http.StatusForbidden {
		t.Fatalf("helpdesk revoked through the admin route: %d", p.status)
	}

	ops := admin.get("/operators")
	if p := admin.post("/operators/"+ops.operatorID(t, "hana")+"/reset-totp", url.Values{"reason": {"lost phone"}}); p.status != http.StatusOK {
		t.Fatalf("reset: %d %s", p.status, p.formError())
	}
	if st, _ := e.apiStatus(second); st != http.StatusUnauthorized {
		t.Fatalf("token after a TOTP reset: %d", st)
	}
	if got := e.audited("hana", "apitoken.revoke.all"); len(got) != 1 || !strings.HasPrefix(got[0], "admin: ") {
		t.Fatalf("audit of the reset's revocation: %v", got)
	}
}

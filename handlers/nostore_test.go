package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Every page that shows a secret is sent with Cache-Control: no-store, at
// the moment it shows it: the first-admin setup (TOTP seed, then recovery
// codes), an operator join (seed, then recovery codes), a new API token,
// new recovery codes, operator invite and reset links, an IAM user's
// invite link, and the invitee's console password and MFA seed.
func TestEverySecretPageIsNotStored(t *testing.T) {
	e := newEnv(t)
	check := func(what string, p *page, testid string) {
		t.Helper()
		if p.testid(testid) == "" {
			t.Fatalf("%s: the page (status %d) does not show %s: %s", what, p.status, testid, p.formError())
		}
		if got := p.header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", what, got)
		}
	}

	token, err := e.auth.SetupLink(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	admin := e.newClient()
	setup := admin.get("/setup/" + token)
	check("first-admin setup", setup, "totp-secret")
	secret := setup.testid("totp-secret")
	check("first-admin recovery codes", admin.post("/setup/"+token, url.Values{"username": {"admin"}, "password": {adminPassword},
		"code": {code(t, secret, e.clock())}}), "recovery-codes")

	invite := admin.post("/operators", url.Values{"username": {"hana"}, "role": {"helpdesk"}})
	check("operator invite link", invite, "operator-link")
	link := invite.testid("operator-link")
	hana := e.newClient()
	join := hana.get(link)
	check("operator join", join, "totp-secret")
	hanaSecret := join.testid("totp-secret")
	check("operator recovery codes", hana.post(link, url.Values{"password": {"another long password"},
		"code": {code(t, hanaSecret, e.clock())}}), "recovery-codes")

	check("new API token", admin.mintToken("ci", adminPassword, secret, nil), "token-value")
	e.offset += 30 * time.Second
	check("new recovery codes", admin.post("/account/recovery-codes", url.Values{"password": {adminPassword},
		"code": {code(t, secret, e.clock())}}), "recovery-codes")

	ops := admin.get("/operators")
	check("operator reset link", admin.post("/operators/"+ops.operatorID(t, "hana")+"/reset-totp", url.Values{"reason": {"lost phone"}}), "operator-link")
	reset := e.newClient().get(strings.TrimSpace(admin.post("/operators/"+ops.operatorID(t, "hana")+"/reset-totp",
		url.Values{"reason": {"again"}}).testid("operator-link")))
	check("authenticator reset page", reset, "totp-secret")

	created := admin.post("/users", url.Values{"user_name": {"newhire"}, "display_name": {"New Hire"}})
	check("IAM user invite link", created, "invite-url")
	resent := admin.post("/users/newhire/resend-invite", nil)
	check("resent invite link", resent, "invite-url")

	u := e.newClient()
	creds := u.follow(u.post(resent.testid("invite-url"), nil))
	check("console password", creds, "console-password")
	mfa := u.follow(u.post("/enroll/password/saved", url.Values{"next": {"mfa"}}))
	check("virtual MFA seed", mfa, "mfa-secret")
	if p := u.get("/enroll/mfa"); p.status == http.StatusOK {
		check("virtual MFA seed on reload", p, "mfa-secret")
	}
}

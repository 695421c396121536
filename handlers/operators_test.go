package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
)

// operatorID returns the data-id of an operator's row.
func (p *page) operatorID(t *testing.T, name string) string {
	t.Helper()
	id, ok := p.doc.Find(`[data-testid="operator-row"][data-operator="` + name + `"]`).Attr("data-id")
	if !ok {
		t.Fatalf("no row for operator %s", name)
	}
	return id
}

// inviteAndJoin invites an operator and completes the join link; it
// returns the signed-in client and the new TOTP secret.
func (e *env) inviteAndJoin(admin *client, name string, role portal.Role) (*client, string) {
	e.t.Helper()
	p := admin.post("/operators", url.Values{"username": {name}, "role": {string(role)}})
	link := p.testid("operator-link")
	if p.status != http.StatusCreated || !strings.Contains(link, "/join/") {
		e.t.Fatalf("invite: status %d, link %q: %s", p.status, link, p.formError())
	}
	c := e.newClient()
	j := c.get(link)
	secret := j.testid("totp-secret")
	if j.status != http.StatusOK || secret == "" {
		e.t.Fatalf("join page: status %d: %s", j.status, j.formError())
	}
	if got := j.header.Get("Referrer-Policy"); got != "no-referrer" {
		e.t.Fatalf("join page Referrer-Policy %q", got)
	}
	p = c.post(link, url.Values{"password": {"another long password"}, "code": {code(e.t, secret, e.clock())}})
	if p.status != http.StatusOK || p.doc.Find(`[data-testid="recovery-code"]`).Length() != 10 {
		e.t.Fatalf("join: status %d (want the recovery codes): %s", p.status, p.formError())
	}
	if again := e.newClient().get(link); again.status != http.StatusGone {
		e.t.Fatalf("second use of the join link: status %d, want 410", again.status)
	}
	return c, secret
}

func TestOperatorInviteRoleAndDisable(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	helper, _ := e.inviteAndJoin(admin, "hana", portal.RoleHelpdesk)
	if p := helper.get("/users"); p.status != http.StatusOK {
		t.Fatalf("invited helpdesk cannot see users: %d", p.status)
	}
	if p := helper.get("/operators"); p.status != http.StatusForbidden {
		t.Fatalf("helpdesk reached /operators: %d", p.status)
	}

	list := admin.get("/operators")
	id := list.operatorID(t, "hana")
	t.Run("a role change ends the operator's sessions", func(t *testing.T) {
		p := admin.post("/operators/"+id+"/role", url.Values{"role": {"auditor"}})
		if p.status != http.StatusOK {
			t.Fatalf("role change: %d: %s", p.status, p.formError())
		}
		if p := helper.get("/users"); p.status != http.StatusSeeOther {
			t.Fatalf("old session still works after a role change: %d", p.status)
		}
	})
	t.Run("disable and enable", func(t *testing.T) {
		if p := admin.post("/operators/"+id+"/disable", nil); p.status != http.StatusOK {
			t.Fatalf("disable: %d: %s", p.status, p.formError())
		}
		st := admin.get("/operators").doc.Find(`[data-operator="hana"] [data-testid="operator-status"]`).Text()
		if !strings.Contains(st, "Disabled") {
			t.Fatalf("status %q", st)
		}
		if p := admin.post("/operators/"+id+"/enable", nil); p.status != http.StatusOK {
			t.Fatalf("enable: %d", p.status)
		}
	})
	t.Run("an unknown role is refused", func(t *testing.T) {
		p := admin.post("/operators/"+id+"/role", url.Values{"role": {"root"}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "Choose a role") {
			t.Fatalf("status %d: %q", p.status, p.formError())
		}
	})
	t.Run("a taken name cannot be invited", func(t *testing.T) {
		p := admin.post("/operators", url.Values{"username": {"HANA"}, "role": {"auditor"}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "exists already") {
			t.Fatalf("status %d: %q", p.status, p.formError())
		}
	})
}

func TestLastAdminCannotBeLockedOut(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	id := admin.get("/operators").operatorID(t, "admin")
	// An admin never disables their own account (another admin does), so
	// the last admin's disable is refused as a self-disable; the store's
	// last-admin check still holds against two admins disabling each other
	// at once (store's TestTwoAdminsCannotDisableEachOther).
	for _, tc := range []struct {
		name, path string
		form       url.Values
		says       string
	}{
		{"demote the last admin", "/operators/" + id + "/role", url.Values{"role": {"helpdesk"}}, "last active administrator"},
		{"disable the last admin", "/operators/" + id + "/disable", nil, "your own account"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := admin.post(tc.path, tc.form)
			if got, want := p.status, http.StatusConflict; got != want {
				t.Fatalf("status %d, want %d", got, want)
			}
			if !strings.Contains(p.formError(), tc.says) {
				t.Fatalf("message %q", p.formError())
			}
		})
	}
	t.Run("with a second admin, the first may step down and gets a new session", func(t *testing.T) {
		e.inviteAndJoin(admin, "second", portal.RoleAdmin)
		p := admin.post("/operators/"+id+"/role", url.Values{"role": {"helpdesk"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %s", p.status, p.formError())
		}
		if p := admin.get("/users"); p.status != http.StatusOK {
			t.Fatalf("demoted admin lost the rotated session: %d", p.status)
		}
		if p := admin.get("/operators"); p.status != http.StatusForbidden {
			t.Fatalf("demoted admin still reaches /operators: %d", p.status)
		}
	})
}

func TestResetAnotherOperatorsTOTP(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	helper, oldSecret := e.inviteAndJoin(admin, "hana", portal.RoleHelpdesk)
	id := admin.get("/operators").operatorID(t, "hana")

	if p := admin.post("/operators/"+id+"/reset-totp", nil); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "why") {
		t.Fatalf("reset without reason: %d %q", p.status, p.formError())
	}
	p := admin.post("/operators/"+id+"/reset-totp", url.Values{"reason": {"lost phone, ticket 42"}})
	link := p.testid("operator-link")
	if p.status != http.StatusOK || !strings.Contains(link, "/join/") {
		t.Fatalf("reset: %d: %s", p.status, p.formError())
	}
	if p := helper.get("/users"); p.status != http.StatusSeeOther {
		t.Fatalf("session survived the reset: %d", p.status)
	}
	if _, p := e.signIn("hana", "another long password", oldSecret, e.clock().Add(30*time.Second)); p.status != http.StatusUnauthorized {
		t.Fatalf("the old authenticator still signs in: %d", p.status)
	}
	c := e.newClient()
	secret := c.get(link).testid("totp-secret")
	if p := c.post(link, url.Values{"password": {"wrong password!!"}, "code": {code(t, secret, e.clock())}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("reset with a wrong password: %d", p.status)
	}
	if p := c.post(link, url.Values{"password": {"another long password"}, "code": {code(t, secret, e.clock())}}); p.status != http.StatusSeeOther {
		t.Fatalf("reset join: %d: %s", p.status, p.formError())
	}
	ev := admin.get("/audit?action=operator.totp.reset")
	if !strings.Contains(ev.body, "lost phone, ticket 42") {
		t.Fatal("the reason is not in the audit log")
	}
	if self := admin.get("/operators").operatorID(t, "admin"); self != "" {
		p := admin.post("/operators/"+self+"/reset-totp", url.Values{"reason": {"x"}})
		if p.status != http.StatusConflict {
			t.Fatalf("resetting one's own authenticator: %d", p.status)
		}
	}
}

func TestSignOutEverywhere(t *testing.T) {
	e := newEnv(t)
	admin, secret := e.setupAdmin()
	other, p := e.signIn("admin", "correct horse battery", secret, e.clock().Add(30*time.Second))
	if p.status != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d: %s", p.status, p.formError())
	}
	if p := admin.post("/signout/everywhere", nil); p.status != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", p.status)
	}
	for name, c := range map[string]*client{"this device": admin, "the other device": other} {
		if p := c.get("/users"); p.status != http.StatusSeeOther {
			t.Fatalf("%s is still signed in: %d", name, p.status)
		}
	}
}

// TestPendingOperatorInvites: an invite not used yet is listed on the
// operators page and can be revoked, after which its link no longer works;
// a used invite is not listed.
func TestPendingOperatorInvites(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	e.inviteAndJoin(admin, "hana", portal.RoleHelpdesk)
	link := admin.post("/operators", url.Values{"username": {"ito"}, "role": {"auditor"}}).testid("operator-link")

	p := admin.get("/operators")
	rows := p.doc.Find(`[data-testid="pending-invite"]`)
	if rows.Length() != 1 || rows.AttrOr("data-operator", "") != "ito" || !strings.Contains(rows.Text(), "Auditor") {
		t.Fatalf("pending invites: %d rows %q, want ito's only", rows.Length(), rows.Text())
	}
	action, _ := rows.Find("form").Attr("action")
	p = admin.post(action, nil)
	if p.status != http.StatusOK || !strings.Contains(p.testid("flash"), "ito") {
		t.Fatalf("revoke: status %d, flash %q: %s", p.status, p.testid("flash"), p.formError())
	}
	if p.doc.Find(`[data-testid="pending-invite"]`).Length() != 0 {
		t.Error("the revoked invite is still listed")
	}
	if got := e.newClient().get(link).status; got != http.StatusGone {
		t.Errorf("the revoked invite link: status %d, want 410", got)
	}
	if p := admin.post(action, nil); p.status != http.StatusNotFound || p.formError() == "" {
		t.Errorf("revoking again: status %d, error %q", p.status, p.formError())
	}
	if !strings.Contains(admin.get("/audit?action=operator.invite.revoke").body, "ito") {
		t.Error("the revocation is not in the audit log")
	}
}

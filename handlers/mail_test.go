package handlers_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/notify/smtptest"
	"github.com/gatehouse/portal/store"
)

// noticeState returns the delivery state of a user's latest notice of kind
// on the user page ("" when there is none).
func (c *client) noticeState(user, kind string) string {
	c.t.Helper()
	p := c.get("/users/" + user)
	st, _ := p.doc.Find(`[data-testid="notice"][data-kind="` + kind + `"]`).First().Attr("data-state")
	return st
}

// The invite e-mail is a queued job, whoever onboards (the form or the
// API): the page says "queued", and the user page shows whether it was
// delivered or given up.
func TestInviteEmailIsQueuedAndItsDeliveryShown(t *testing.T) {
	mail := smtptest.Start(t)
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")), envOptions{smtp: mail})
	admin := e.clientAs(e.mintOperator("admin", portal.RoleAdmin))

	p := admin.post("/users", url.Values{"user_name": {"lena"}, "display_name": {"Lena"}, "email": {"lena@example.com"}})
	if p.status != http.StatusCreated {
		t.Fatalf("onboard: status %d: %s", p.status, p.formError())
	}
	queued := i18n.T(i18n.EN, "notice.queued", "lena@example.com")
	if status, _ := p.doc.Find(`[data-testid="email-status"]`).Attr("data-enabled"); status != "true" || p.testid("email-status") != queued {
		t.Fatalf("the hand-off page does not say the e-mail is queued: %q", p.testid("email-status"))
	}
	eventually.True(t, 20*time.Second, 10*time.Millisecond, "the user page never showed the invite delivered", func() bool {
		return admin.noticeState("lena", "invite") == "sent"
	})

	token := e.apiTokenFor(e.mintOperator("robot", portal.RoleAdmin))
	if r := e.api("POST", "/api/v1/users", token, `{"user_name":"milo","display_name":"Milo","email":"milo@example.com"}`); r.status != http.StatusCreated {
		t.Fatalf("API create: status %d", r.status)
	}
	eventually.True(t, 20*time.Second, 10*time.Millisecond, "a user created through the API got no invite e-mail", func() bool {
		for _, m := range mail.Messages() {
			if strings.Contains(m.To, "milo@example.com") {
				return true
			}
		}
		return false
	})

	mail.SetMode(smtptest.Refuse)
	p = admin.post("/users/lena/resend-invite", nil)
	if p.status != http.StatusOK || p.testid("email-status") != queued {
		t.Fatalf("resend: status %d, e-mail status %q", p.status, p.testid("email-status"))
	}
	eventually.True(t, 20*time.Second, 10*time.Millisecond, "the user page never showed the refused e-mail as failed", func() bool {
		return admin.noticeState("lena", "invite") == "failed"
	})
}

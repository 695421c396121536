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
	"github.com/gatehouse/portal/iamemu/iamfault"
	"github.com/gatehouse/portal/store"
)

// A hung IAM makes a page fail with words, within the page budget, instead
// of holding the admin's browser as long as IAM likes. The IAM call's own
// deadline is longer than the budget here, so the budget is what ends it.
func TestPageBudgetBoundsAHungIAM(t *testing.T) {
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")),
		envOptions{pageBudget: 500 * time.Millisecond, callTimeout: time.Hour})
	admin := e.clientAs(e.mintOperator("admin", portal.RoleAdmin))
	e.faults.Set("CreateUser", iamfault.Hang)
	done := make(chan *page, 1)
	go func() {
		done <- admin.post("/users", url.Values{"user_name": {"slowpoke"}, "display_name": {"Slow Poke"}})
	}()
	var p *page
	select {
	case p = <-done:
	case <-time.After(30 * time.Second): // a guard far above the 500 ms budget
		t.Fatal("the page waited for a hung IAM beyond its budget")
	}
	if got, want := p.status, http.StatusServiceUnavailable; got != want {
		t.Fatalf("status %d, want %d", got, want)
	}
	if want := i18n.T(i18n.EN, "err.iam.timeout"); !strings.Contains(p.body, want) {
		t.Fatalf("the page does not say IAM did not answer: %s", p.formError())
	}
}

// clientAs returns a browser-like client signed in as op (a session made
// directly in the store, without the argon2id sign-in).
func (e *env) clientAs(op *portal.Operator) *client {
	e.t.Helper()
	c := e.newClient()
	u, _ := url.Parse(e.srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "gh_session", Value: e.sessionFor(op), Path: "/"}})
	return c
}

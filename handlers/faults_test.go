package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/iamemu/iamfault"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
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

// probe fetches path and returns its status and body.
func probe(t *testing.T, e *env, path string) (int, string) {
	t.Helper()
	done := make(chan *page, 1)
	go func() { done <- e.newClient().get(path) }()
	select {
	case p := <-done:
		return p.status, p.body
	case <-time.After(30 * time.Second): // a guard far above the ready timeout
		t.Fatalf("%s did not answer: it waits for a dependency", path)
		return 0, ""
	}
}

// /readyz answers within its timeout whatever IAM does, and names the
// dependency that is slow or down.
func TestReadyzNamesTheSlowOrDownDependency(t *testing.T) {
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")),
		envOptions{readyTimeout: time.Second, callTimeout: time.Hour})
	if status, body := probe(t, e, "/readyz"); status != http.StatusOK {
		t.Fatalf("all well: %d %s", status, body)
	}
	for _, tc := range []struct {
		fault iamfault.Fault
		want  string
	}{
		{iamfault.Hang, "iam: slow: no answer within 1s"},
		{iamfault.Down, "iam: down: "},
	} {
		e.faults.Set(iamfault.Any, tc.fault)
		status, body := probe(t, e, "/readyz")
		if status != http.StatusServiceUnavailable || !strings.Contains(body, tc.want) || !strings.Contains(body, "database: ok") {
			t.Fatalf("IAM fault %d: %d %q, want 503 naming %q (and the database ok)", tc.fault, status, body, tc.want)
		}
		if status, _ := probe(t, e, "/healthz"); status != http.StatusOK {
			t.Fatalf("/healthz = %d: IAM is not the process's health", status)
		}
	}
}

// A read-only database turns /healthz and /readyz to 503 and says so; both
// recover when the file is writable again.
func TestHealthReportsAReadOnlyDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portal.db")
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(path), envOptions{})
	undo := storetest.MakeReadOnly(t, path)
	e.store.DB().SetMaxIdleConns(0) // connections reopen while the file is read-only
	e.store.DB().SetMaxIdleConns(16)
	for _, path := range []string{"/healthz", "/readyz"} {
		status, body := probe(t, e, path)
		if status != http.StatusServiceUnavailable || !strings.Contains(body, "database: read-only") {
			t.Fatalf("%s with a read-only database: %d %q", path, status, body)
		}
	}
	undo()
	for _, path := range []string{"/healthz", "/readyz"} {
		if status, body := probe(t, e, path); status != http.StatusOK {
			t.Fatalf("%s after the database is writable again: %d %q", path, status, body)
		}
	}
}

// During a PostgreSQL restart a signed-in operator is not signed out: the
// session lookup fails, so pages, forms and the API answer 503 "try again",
// and everything works again once the database is back. The same holds for
// an invitee's setup session.
func TestDatabaseOutageIsNotASignOut(t *testing.T) {
	dsn, proxy := storetest.ProxiedPostgres(t)
	e := newEnvWith(t, "postgres", dsn, envOptions{})
	admin := e.clientAs(e.mintOperator("admin", portal.RoleAdmin))
	token := e.apiTokenFor(e.mintOperator("robot", portal.RoleAdmin))
	invitee, _ := e.claimAndOpenMFA(admin.onboard("dora"))
	unavailable := i18n.T(i18n.EN, "err.db.unavailable")

	proxy.Cut()
	for _, tc := range []struct {
		name string
		get  func() *page
	}{
		{"a page", func() *page { return admin.get("/users") }},
		{"a form", func() *page { return admin.post("/sync", nil) }},
		{"an invitee's page", func() *page { return invitee.get("/enroll/done") }},
	} {
		p := tc.get()
		if p.status != http.StatusServiceUnavailable || !strings.Contains(p.body, unavailable) {
			t.Errorf("%s during the outage: status %d, location %q: %s", tc.name, p.status, p.header.Get("Location"), p.testid("error-message"))
		}
	}
	if resp := e.raw("GET", "/api/v1/users", "", withBearer(token)); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("the API during the outage: status %d, want 503", resp.StatusCode)
	}

	if err := proxy.Restore(); err != nil {
		t.Fatal(err)
	}
	if p := admin.get("/users"); p.status != http.StatusOK {
		t.Fatalf("after the restart: status %d", p.status)
	}
}

// A failed sign-in on a full database: the person gets an answer that is
// true (not a bare 500), and the audit event, which the database cannot
// take, goes to the log whole instead of vanishing.
func TestFailedSignInOnAFullDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "portal.db")
	pages := func() int {
		st := storetest.Open(t, "sqlite", store.SQLiteDSN(path))
		defer st.Close()
		var n int
		st.DB().QueryRow(`PRAGMA page_count`).Scan(&n)
		return n
	}()
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(path)+"&_pragma=max_page_count("+strconv.Itoa(pages+4)+")", envOptions{})
	for _, size := range []int{1000, 100, 1} { // fill the database, down to the last free bytes of its pages
		for i := 0; ; i++ {
			if err := e.store.CreateAuditEvent(context.Background(), &portal.AuditEvent{At: time.Now(), Actor: "filler", Action: "fill", TargetKind: portal.TargetUser,
				Detail: strings.Repeat("x", size)}); err != nil {
				break
			} else if i > 10000 {
				t.Fatal("the database never filled up")
			}
		}
	}
	e.logs.Reset()
	c := e.newClient()
	p := c.post("/signin", url.Values{"username": {"mallory"}, "password": {"wrong password"}, "code": {"123456"}})
	switch {
	case p.status == http.StatusUnauthorized: // the attempt was recorded (its table had room): the sign-in failed as such
	case p.status == http.StatusServiceUnavailable && strings.Contains(p.body, i18n.T(i18n.EN, "err.db.full")):
	default:
		t.Fatalf("sign-in on a full database: status %d: %s", p.status, p.formError())
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "audit event lost") || !strings.Contains(logs, "operator.signin.fail") || !strings.Contains(logs, "mallory") {
		t.Fatalf("the failed sign-in's audit event is neither in the database nor whole in the log:\n%s", logs)
	}
}

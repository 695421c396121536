package handlers_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/portal"
)

func TestAuditLogPage(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	admin.onboard("alice")
	admin.onboard("bob")

	t.Run("filter by action and target", func(t *testing.T) {
		p := admin.get("/audit?action=user.onboard&target=bob")
		rows := p.doc.Find(`[data-testid="audit-row"]`)
		if p.status != http.StatusOK || rows.Length() != 1 || !strings.Contains(rows.Text(), "bob") {
			t.Fatalf("status %d, %d rows", p.status, rows.Length())
		}
	})
	t.Run("filter by actor and time", func(t *testing.T) {
		today := e.clock().UTC().Format("2006-01-02")
		if n := admin.get("/audit?actor=admin&from=" + today + "&to=" + today).doc.Find(`[data-testid="audit-row"]`).Length(); n < 3 {
			t.Fatalf("%d rows for today", n)
		}
		if n := admin.get("/audit?from=2001-01-01&to=2001-01-02").doc.Find(`[data-testid="audit-row"]`).Length(); n != 0 {
			t.Fatalf("%d rows in 2001", n)
		}
		p := admin.get("/audit?from=yesterday")
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "YYYY-MM-DD") {
			t.Fatalf("bad date: %d %q", p.status, p.formError())
		}
	})
	t.Run("CSV export of the same selection", func(t *testing.T) {
		req, _ := http.NewRequest("GET", admin.url("/audit.csv?action=user.onboard"), nil)
		resp, err := admin.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		recs, err := csv.NewReader(resp.Body).ReadAll()
		if err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %v %q", err, resp.Header.Get("Content-Type"))
		}
		if got, want := len(recs), 3; got != want { // header + alice + bob
			t.Fatalf("%d records, want %d", got, want)
		}
	})
	t.Run("helpdesk cannot read the audit log, an auditor can", func(t *testing.T) {
		help := e.sessionFor(e.mintOperator("help", portal.RoleHelpdesk))
		if got := e.raw("GET", "/audit", "", withSession(help)).StatusCode; got != http.StatusForbidden {
			t.Fatalf("helpdesk: %d", got)
		}
		aud := e.sessionFor(e.mintOperator("aud", portal.RoleAuditor))
		if got := e.raw("GET", "/audit.csv", "", withSession(aud)).StatusCode; got != http.StatusOK {
			t.Fatalf("auditor: %d", got)
		}
	})
}

func TestCSVCellsCannotBeFormulas(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	e.raw("POST", "/signin", "username=%3DHYPERLINK(1)&password=x&code=1", nil)
	resp, err := admin.http.Get(admin.url("/audit.csv?action=operator.signin.fail"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	recs, _ := csv.NewReader(resp.Body).ReadAll()
	if len(recs) < 2 || recs[1][5] != "'=HYPERLINK(1)" { // the target column
		t.Fatalf("records %q", recs)
	}
}

package handlers_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/gatehouse/portal"
)

// The same name in the hub and a member account is two users with two
// histories: an action on the member's user is on its page, in the audit
// search of its account, in the API and the CSV with its account — never
// on the hub user's page.
func TestAuditKeepsUsersOfTwoAccountsApart(t *testing.T) {
	e, admin := newMultiEnv(t)
	hub := e.emu.AccountID()
	admin.onboardIn(memberA, "dana")
	admin.onboardIn(hub, "dana")
	if p := admin.post("/users/dana/extend?account="+memberA, url.Values{"days": {"7"}, "reason": {"asked"}}); p.status != http.StatusSeeOther {
		t.Fatalf("extend the member's dana: status %d: %s", p.status, p.formError())
	}

	timeline := func(account string) []string {
		var out []string
		admin.get("/users/dana?account=" + account).doc.Find(`[data-testid="timeline-row"]`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, s.AttrOr("data-action", ""))
		})
		return out
	}
	if got := timeline(memberA); !slices.Contains(got, "deadline.extend") || !slices.Contains(got, "user.onboard") {
		t.Errorf("the member's dana's history: %v", got)
	}
	hubEvents := timeline(hub)
	if slices.Contains(hubEvents, "deadline.extend") {
		t.Errorf("the hub's dana shows the member's extension: %v", hubEvents)
	}
	if n := strings.Count(strings.Join(hubEvents, " "), "user.onboard"); n != 1 {
		t.Errorf("the hub's dana shows %d onboardings, want its own: %v", n, hubEvents)
	}

	// The audit search by account, with the account in each row.
	p := admin.get("/audit?target=dana&account=" + memberA)
	if p.status != http.StatusOK {
		t.Fatalf("audit of the member: %d", p.status)
	}
	var actions []string
	p.doc.Find(`[data-testid="audit-row"]`).Each(func(_ int, s *goquery.Selection) {
		actions = append(actions, s.AttrOr("data-action", ""))
		if acct := s.Find(`[data-testid="audit-account"]`).AttrOr("data-account", ""); acct != memberA {
			t.Errorf("a %s row of the member's search shows account %q", s.AttrOr("data-action", ""), acct)
		}
	})
	if !slices.Contains(actions, "deadline.extend") || len(actions) < 2 {
		t.Errorf("the member's audit search: %v", actions)
	}
	if sel, _ := p.doc.Find(`select[name="account"] option[selected]`).Attr("value"); sel != memberA {
		t.Errorf("the account filter shows %q chosen", sel)
	}
	if csvURL, _ := p.doc.Find(`[data-testid="audit-csv"]`).Attr("href"); !strings.Contains(csvURL, "account="+memberA) {
		t.Errorf("the CSV link drops the account: %q", csvURL)
	}
	hp := admin.get("/audit?target=dana&account=" + hub)
	hp.doc.Find(`[data-testid="audit-row"]`).Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("data-action", "") == "deadline.extend" {
			t.Errorf("the hub's audit search shows the member's extension")
		}
		if acct := s.Find(`[data-testid="audit-account"]`).AttrOr("data-account", ""); acct != hub {
			t.Errorf("a row of the hub's search shows account %q", acct)
		}
	})
	if bad := admin.get("/audit?account=12"); bad.status != http.StatusUnprocessableEntity {
		t.Errorf("a malformed account: status %d", bad.status)
	}

	// The CSV names the account of each row.
	c := admin.get("/audit.csv?target=dana&action=deadline.extend")
	recs, err := csv.NewReader(strings.NewReader(c.body)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("audit.csv: %v, %d records", err, len(recs))
	}
	col := slices.Index(recs[0], "account_id")
	if col < 0 || recs[1][col] != memberA {
		t.Errorf("audit.csv header %q, row %q", recs[0], recs[1])
	}

	// The API filters by account and names it.
	aud := e.apiTokenFor(e.mintOperator("aud", portal.RoleAuditor))
	r := e.api("GET", "/api/v1/audit/events?kind=user&target=dana&account="+hub, aud, "")
	if r.status != http.StatusOK {
		t.Fatalf("API audit of the hub: %d %v", r.status, r.body)
	}
	evs, _ := r.body["events"].([]any)
	if len(evs) == 0 {
		t.Fatalf("API audit of the hub's dana: none")
	}
	for _, ev := range evs {
		m := ev.(map[string]any)
		if m["account_id"] != hub || m["action"] == "deadline.extend" {
			t.Errorf("API event of the hub's dana: %v", m)
		}
	}
	r = e.api("GET", "/api/v1/audit/events?action=deadline.extend", aud, "")
	if evs, _ := r.body["events"].([]any); len(evs) != 1 || evs[0].(map[string]any)["account_id"] != memberA {
		t.Errorf("API extension events: %v", r.body)
	}
	wantProblem(t, "bad account", e.api("GET", "/api/v1/audit/events?account=abc", aud, ""), 422, "invalid", "account")
}

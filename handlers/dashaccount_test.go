package handlers_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/posture"
	"github.com/gatehouse/portal/web"
)

// The dashboard's account filter covers its onboardings in flight and its
// coverage card too (every account's when none is chosen), and /metrics
// gives the posture gauges of each account with an account label.
func TestDashboardPostureAndInFlightPerAccount(t *testing.T) {
	e, admin := newMultiEnv(t)
	ctx := context.Background()
	hub := e.emu.AccountID()
	// Console users: the member's mallory without MFA; the hub's users as
	// the emulator seeds them.
	e.consoleUser(memberA, "mallory")
	if p := admin.post("/sync", nil); p.status != http.StatusSeeOther {
		t.Fatalf("sync: %d", p.status)
	}
	// An onboarding cut off in each account.
	for _, u := range []*portal.User{
		{AccountID: hub, UserName: "hub-halted", State: portal.StateProvisioning, CreatedAt: e.clock(), UpdatedAt: e.clock()},
		{AccountID: memberA, UserName: "member-halted", State: portal.StateProvisioning, CreatedAt: e.clock(), UpdatedAt: e.clock()},
	} {
		if err := e.store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}

	inFlight := func(p *page) (out []string) {
		p.doc.Find(`[data-testid="inflight-row"]`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, s.AttrOr("data-user", "")+"@"+s.AttrOr("data-account", ""))
		})
		slices.Sort(out)
		return out
	}
	coverage := func(p *page) (value, href, text string) {
		c := p.doc.Find(`[data-testid="dash-coverage"]`)
		if c.Length() != 1 {
			t.Fatalf("no coverage card: %s", p.body)
		}
		return c.AttrOr("data-value", ""), c.Find("a").AttrOr("href", ""), strings.TrimSpace(c.Text())
	}
	postureOf := func(acct string) string {
		return admin.get("/posture?account="+acct).doc.Find(`[data-testid="coverage"]`).AttrOr("data-value", "")
	}

	all := admin.get("/dashboard")
	if got := inFlight(all); !slices.Equal(got, []string{"hub-halted@" + hub, "member-halted@" + memberA}) {
		t.Errorf("in flight in every account: %v", got)
	}
	m := admin.get("/dashboard?account=" + memberA)
	if got := inFlight(m); !slices.Equal(got, []string{"member-halted@" + memberA}) {
		t.Errorf("in flight in the member account: %v", got)
	}
	if got := m.testid("inflight-total"); !strings.Contains(got, "1") {
		t.Errorf("the member's in-flight count says %q", got)
	}
	if got := inFlight(admin.get("/dashboard?account=" + hub)); !slices.Equal(got, []string{"hub-halted@" + hub}) {
		t.Errorf("in flight in the hub: %v", got)
	}

	// The member's coverage is its own (0%: mallory has no MFA), linked to
	// its posture; the hub's is the hub's; with none chosen, every
	// account's console users together.
	if v, href, _ := coverage(m); v != "0%" || v != postureOf(memberA) || href != "/posture?account="+memberA {
		t.Errorf("the member's coverage %q (posture page %q), linked to %q", v, postureOf(memberA), href)
	}
	if v, href, _ := coverage(admin.get("/dashboard?account=" + hub)); v != postureOf(hub) || href != "/posture?account="+hub {
		t.Errorf("the hub's coverage %q (posture page %q), linked to %q", v, postureOf(hub), href)
	}
	hubSnap, err := e.store.LatestPostureSnapshot(ctx, hub)
	if err != nil {
		t.Fatal(err)
	}
	// mallory is the member's one console user, without MFA.
	wantAll := web.Percent(posture.CoverageOf(hubSnap.ConsoleMFA, hubSnap.ConsoleUsers+1))
	if v, _, text := coverage(all); v != wantAll || !strings.Contains(text, "every account") {
		t.Errorf("the coverage of every account %q (%q), want %s", v, text, wantAll)
	}

	// /metrics: the posture gauges of each account.
	scraped := e.metrics()
	for _, want := range []string{`gatehouse_posture_mfa_coverage_percent{account="` + memberA + `"} 0`,
		`gatehouse_posture_failing{account="` + memberA + `",control="iam_user_mfa_enabled_console_access"} 1`,
		`gatehouse_posture_mfa_coverage_percent{account="` + hub + `"}`,
		`gatehouse_posture_failing{account="` + hub + `",control="iam_user_mfa_enabled_console_access"}`} {
		if !strings.Contains(scraped, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

package handlers_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/iamemu/iamfault"
	"github.com/gatehouse/portal/store"
)

// The helpdesk sees what is still in flight: an onboarding that IAM cut
// off is listed on the dashboard with the step it stopped at, its last
// error and what Gatehouse does about it, linking to the user page, which
// says the same; once the automatic resume gave up, both say a person must
// press Retry.
func TestDashboardShowsOnboardingsInFlight(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	admin := e.clientAs(e.mintOperator("admin", portal.RoleAdmin))
	e.faults.Set("AttachUserPolicy", iamfault.BadGateway)
	if p := admin.post("/users", url.Values{"user_name": {"halted"}, "display_name": {"Halted"}}); p.status < 500 {
		t.Fatalf("onboarding through a failing IAM: status %d", p.status)
	}

	row := func(state string) {
		t.Helper()
		d := admin.get("/dashboard")
		r := d.doc.Find(`[data-testid="inflight-row"][data-user="halted"]`)
		if r.Length() != 1 {
			t.Fatalf("the dashboard does not list the unfinished onboarding: %s", d.body)
		}
		if got, _ := r.Attr("data-resume"); got != state {
			t.Fatalf("its automatic resume is %q, want %q", got, state)
		}
		text := r.Text()
		if !strings.Contains(text, i18n.T(i18n.EN, "step.attach_policy")) || !strings.Contains(text, "502") {
			t.Fatalf("the row does not name the step and its error: %q", text)
		}
		if href, _ := r.Find("a").Attr("href"); href != "/users/halted" {
			t.Fatalf("the row links to %q", href)
		}
		if got := d.testid("inflight-total"); !strings.Contains(got, "1") {
			t.Fatalf("the count says %q", got)
		}
		p := admin.get("/users/halted")
		if got, _ := p.doc.Find(`[data-testid="auto-resume"]`).Attr("data-resume"); got != state {
			t.Fatalf("the user page says the automatic resume is %q, want %q", got, state)
		}
	}
	row("waiting")

	// The automatic resume gave up.
	u, _ := e.store.FindUserByName(ctx, "halted")
	now := time.Now()
	j := &store.Job{Kind: store.JobResume, Payload: strconv.FormatInt(u.ID, 10), CreatedBy: "system", CreatedAt: now}
	if err := e.store.CreateJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ClaimJob(ctx, "x", []string{store.JobResume}, time.Minute, now); err != nil {
		t.Fatal(err)
	}
	if err := e.store.FinishJob(ctx, j.ID, "x", store.JobFailed, "gave up", now); err != nil {
		t.Fatal(err)
	}
	row("failed")

	e.faults.Set("AttachUserPolicy", iamfault.Pass)
	admin.post("/users/halted/retry", nil)
	if d := admin.get("/dashboard"); d.doc.Find(`[data-testid="inflight-row"]`).Length() != 0 {
		t.Fatal("a finished onboarding is still listed as in flight")
	}
}

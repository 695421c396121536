package handlers_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// consoleEnroll enables a virtual MFA device for name directly in IAM, as a
// person does in the AWS console.
func (e *env) consoleEnroll(name string) string {
	e.t.Helper()
	ctx := context.Background()
	dev, err := e.iam.CreateVirtualMFADevice(ctx, name+"-console")
	if err != nil {
		e.t.Fatal(err)
	}
	now := e.clock()
	if err := e.iam.EnableMFADevice(ctx, name, dev.Serial, code(e.t, dev.Secret, now.Add(-30*time.Second)), code(e.t, dev.Secret, now)); err != nil {
		e.t.Fatal(err)
	}
	return dev.Serial
}

func (p *page) count(status string) string {
	return strings.TrimSpace(p.doc.Find(`[data-testid="status-count"][data-status="` + status + `"]`).Text())
}

func TestDashboardAndSyncNow(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	c.onboard("ann")
	c.onboard("ben")
	e.consoleEnroll("ben")

	t.Run("the start page is the dashboard", func(t *testing.T) {
		p := c.get("/")
		if got, want := p.header.Get("Location"), "/dashboard"; p.status != http.StatusSeeOther || got != want {
			t.Fatalf("GET / = %d → %q, want 303 → %q", p.status, got, want)
		}
	})
	p := c.get("/dashboard")
	if got, want := p.count("invited"), "2"; got != want {
		t.Fatalf("invited before sync = %q, want %q", got, want)
	}
	if p.doc.Find(`[data-testid="action-sync"]`).Length() != 1 {
		t.Fatal("no sync button")
	}
	if got, want := p.doc.Find(`[data-testid="email-status"]`).AttrOr("data-enabled", ""), "false"; got != want {
		t.Fatalf("email status = %q, want %q (no SMTP configured)", got, want)
	}
	p = c.post("/sync", nil)
	if p.status != http.StatusSeeOther {
		t.Fatalf("sync: status %d: %s", p.status, p.formError())
	}
	p = c.get(p.header.Get("Location"))
	for status, want := range map[string]string{"invited": "1", "enrolled": "1", "overdue": "0", "mfa-removed": "0", "offboarded": "0", "claimed": "0"} {
		if got := p.count(status); got != want {
			t.Errorf("count %s = %q, want %q", status, got, want)
		}
	}
	if !strings.Contains(p.testid("last-sync"), "started by hand") {
		t.Errorf("last sync = %q, want its source", p.testid("last-sync"))
	}

	t.Run("overdue users are listed first", func(t *testing.T) {
		// (moving the clock 8 days would end the operator's session too)
		u, err := e.store.FindUserByName(context.Background(), "ann")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.store.SetDeadline(context.Background(), u.ID, e.clock().Add(-time.Hour), e.clock()); err != nil {
			t.Fatal(err)
		}
		p := c.get("/dashboard")
		if got := p.doc.Find(`[data-testid="overdue-row"]`).AttrOr("data-user", ""); got != "ann" {
			t.Fatalf("overdue list starts with %q, want ann", got)
		}
		if got, want := p.count("overdue"), "1"; got != want {
			t.Fatalf("overdue count = %q, want %q", got, want)
		}
	})
}

func TestUserListFiltersPagesAndExports(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	for _, n := range []string{"alpha", "bravo", "charlie"} {
		c.onboard(n)
	}
	e.consoleEnroll("bravo")
	c.post("/sync", nil)

	rows := func(p *page) []string {
		var out []string
		p.doc.Find(`[data-testid="user-row"]`).Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("data-user", "")) })
		return out
	}
	for _, tc := range []struct{ query, want string }{
		{"q=brav", "bravo"},
		{"status=enrolled", "bravo"},
		{"status=invited", "alpha,charlie"},
		{"q=CHARLIE%40example", "charlie"},
		{"sort=-name", "charlie,bravo,alpha"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			if got := strings.Join(rows(c.get("/users?"+tc.query)), ","); got != tc.want {
				t.Fatalf("rows = %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("CSV export follows the filter", func(t *testing.T) {
		p := c.get("/users?status=invited")
		href, _ := p.doc.Find(`[data-testid="export-csv"]`).Attr("href")
		resp, err := c.http.Get(c.url(href))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		recs, err := csv.NewReader(resp.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(recs), 3; got != want { // header + alpha + charlie
			t.Fatalf("CSV rows = %d, want %d: %v", got, want, recs)
		}
	})
}

func TestHelpdeskActionsOnTheUserPage(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	oldLink := c.onboard("dana")
	e.consoleEnroll("dana")
	c.post("/sync", nil)

	t.Run("reset without a reason says what is missing", func(t *testing.T) {
		p := c.post("/users/dana/reset-mfa", url.Values{"reason": {""}, "verified_by": {"video call"}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "why") {
			t.Fatalf("status %d, error %q", p.status, p.formError())
		}
	})
	t.Run("reset removes the device and issues a new invite", func(t *testing.T) {
		p := c.get("/users/dana")
		if p.doc.Find(`[data-testid="mfa-device"]`).Length() != 1 {
			t.Fatal("user page does not show the MFA device")
		}
		p = c.post("/users/dana/reset-mfa", url.Values{"reason": {"phone lost"}, "verified_by": {"video call with ID"}})
		if p.status != http.StatusOK || !strings.Contains(p.testid("invite-url"), "/invite/") {
			t.Fatalf("reset: status %d: %s", p.status, p.formError())
		}
		if got, want := c.statusOf("dana"), "invited"; got != want {
			t.Fatalf("status = %s, want %s", got, want)
		}
		if got := e.newClient().get(oldLink).status; got != http.StatusGone {
			t.Fatalf("old invite link: status %d, want 410", got)
		}
	})
	t.Run("resend invite replaces the link", func(t *testing.T) {
		first := c.post("/users/dana/resend-invite", nil).testid("invite-url")
		second := c.post("/users/dana/resend-invite", nil).testid("invite-url")
		if first == "" || first == second {
			t.Fatalf("links %q and %q", first, second)
		}
		if got := e.newClient().get(first).status; got != http.StatusGone {
			t.Fatalf("replaced link: status %d, want 410", got)
		}
		if got := e.newClient().get(second).status; got != http.StatusOK {
			t.Fatalf("new link: status %d, want 200", got)
		}
	})
	t.Run("extend needs a reason, then moves the deadline", func(t *testing.T) {
		day := e.clock().AddDate(0, 0, 30).Format("2006-01-02")
		p := c.post("/users/dana/extend", url.Values{"deadline": {day}})
		if p.status != http.StatusUnprocessableEntity || p.formError() == "" {
			t.Fatalf("no reason: status %d, error %q", p.status, p.formError())
		}
		p = c.post("/users/dana/extend", url.Values{"deadline": {day}, "reason": {"on leave"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("extend: status %d: %s", p.status, p.formError())
		}
		if !strings.Contains(c.get("/users/dana").body, day) {
			t.Fatal("new deadline not shown")
		}
	})
	t.Run("offboard asks for confirmation", func(t *testing.T) {
		p := c.get("/users/dana")
		if p.doc.Find(`[data-testid="action-offboard"]`).Length() != 1 {
			t.Fatal("no offboard action for an admin")
		}
		if got := c.get("/users/dana/offboard").status; got != http.StatusOK {
			t.Fatalf("confirmation page: %d", got)
		}
		p = c.post("/users/dana/offboard", url.Values{"reason": {"left"}, "confirm_name": {"someone"}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "dana") {
			t.Fatalf("wrong name: status %d, error %q", p.status, p.formError())
		}
		p = c.post("/users/dana/offboard", url.Values{"reason": {"left"}, "confirm_name": {"dana"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("offboard: status %d: %s", p.status, p.formError())
		}
		if got, want := c.get("/users/dana").doc.Find(`[data-testid="user-status"]`).AttrOr("data-status", ""), "offboarded"; got != want {
			t.Fatalf("status = %q, want %q", got, want)
		}
	})
}

func TestDanglingDevicesAndAdoptPages(t *testing.T) {
	e := newEnv(t)
	c, secret := e.setupAdmin()
	e.claimAndOpenMFA(c.onboard("erin")) // Gatehouse creates erin's device …
	ctx := context.Background()
	// … and one named after frank, created outside Gatehouse, is not ours.
	c.onboard("frank")
	if _, err := e.iam.CreateVirtualMFADevice(ctx, "frank"); err != nil {
		t.Fatal(err)
	}
	e.offset += 3 * time.Hour // erin's setup session ends: abandoned
	c, _ = e.signIn("admin", "correct horse battery", secret, e.clock())
	p := c.get("/devices")
	if got, want := p.doc.Find(`[data-testid="device-row"]`).Length(), 1; got != want {
		t.Fatalf("device rows = %d, want %d (erin's only)", got, want)
	}
	p = c.post("/devices/delete", url.Values{"all": {"yes"}})
	if p.status != http.StatusOK || p.doc.Find(`[data-testid="device-row"]`).Length() != 0 {
		t.Fatalf("delete all: status %d, rows left %d", p.status, p.doc.Find(`[data-testid="device-row"]`).Length())
	}

	if _, err := e.iam.CreateUser(ctx, "legacy", nil); err != nil {
		t.Fatal(err)
	}
	p = c.get("/adopt")
	row := p.doc.Find(`[data-testid="candidate-row"][data-user="legacy"]`)
	if row.Length() != 1 || row.AttrOr("data-mfa", "") != "no" {
		t.Fatalf("candidate row missing or wrong: %s", p.body)
	}
	p = c.post("/adopt", url.Values{})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("adopt nothing: status %d", p.status)
	}
	p = c.post("/adopt", url.Values{"user": {"legacy"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "Say why you adopt") ||
		p.doc.Find(`[data-testid="candidate-row"][data-user="legacy"] input[name="user"][checked]`).Length() != 1 {
		t.Fatalf("adopt without a reason: status %d: %s", p.status, p.formError())
	}
	if got := c.statusOf("legacy"); got != "" {
		t.Fatalf("adopted without a reason: %q", got)
	}
	p = c.post("/adopt", url.Values{"user": {"legacy"}, "reason": {"ticket 4711"}})
	if p.status != http.StatusOK || !strings.Contains(p.testid("invite-url"), "/invite/") {
		t.Fatalf("adopt: status %d: %s", p.status, p.formError())
	}
	if got := e.audited("legacy", "user.adopt"); len(got) != 1 || !strings.HasSuffix(got[0], "reason: ticket 4711") {
		t.Fatalf("adopt audit = %q", got)
	}
	if got, want := c.statusOf("legacy"), "invited"; got != want {
		t.Fatalf("adopted status = %q, want %q", got, want)
	}
}

// TestUserPageShowsOnlyWhatApplies: a user without an MFA device is not
// offered an MFA reset, an enrolled user has no deadline, access keys are
// never a blank, and the note that e-mail is not configured is on the
// dashboard only.
func TestUserPageShowsOnlyWhatApplies(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	c.onboard("ann")
	c.onboard("ben")
	e.consoleEnroll("ben")

	check := func(p *page, name string, reset, deadline bool) {
		t.Helper()
		if got := p.doc.Find(`[data-testid="action-reset-mfa"]`).Length() == 1; got != reset {
			t.Errorf("%s: MFA reset offered: %v, want %v", name, got, reset)
		}
		if got := p.doc.Find(`[data-testid="deadline"]`).Length() == 1; got != deadline {
			t.Errorf("%s: deadline shown: %v, want %v", name, got, deadline)
		}
		if strings.TrimSpace(p.testid("access-keys")) == "" {
			t.Errorf("%s: the access keys are a blank", name)
		}
		if p.doc.Find(`[data-testid="email-status"]`).Length() != 0 {
			t.Errorf("%s: the user page repeats the dashboard's e-mail note", name)
		}
	}
	check(c.get("/users/ann"), "ann before the sync", false, true)
	c.post("/sync", nil)
	check(c.get("/users/ann"), "ann", false, true)
	check(c.get("/users/ben"), "ben (enrolled)", true, false)
	if got := strings.TrimSpace(c.get("/users/ben").testid("access-keys")); got != "none" {
		t.Errorf("ben's access keys: %q, want none", got)
	}
}

// TestUserFormsKeepInputAndConfirm: a form that comes back with an error
// keeps what was typed and puts the error by its field; every action ends
// with a confirmation; a new invite link is asked for first, saying the old
// link stops working; the deadline moves by +3 or +7 days with the new date
// on the button, and an unchanged date is an error.
func TestUserFormsKeepInputAndConfirm(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	c.onboard("gil")
	c.onboard("hal")
	u, err := e.store.FindUserByName(context.Background(), "gil")
	if err != nil {
		t.Fatal(err)
	}
	current := u.Deadline.UTC().Format("2006-01-02")
	plus3 := u.Deadline.UTC().AddDate(0, 0, 3).Format("2006-01-02")
	value := func(p *page, sel string) string { return p.doc.Find(sel).AttrOr("value", "") }

	p := c.get("/users/gil")
	if got := p.testid("action-extend-3"); !strings.Contains(got, plus3) {
		t.Errorf("the +3 days button says %q, want the new date %s", got, plus3)
	}
	if p.doc.Find(`[data-testid="action-extend-7"]`).Length() != 1 {
		t.Error("no +7 days button")
	}
	if got := p.doc.Find(`details[data-testid="resend-invite"]`); got.Length() != 1 || !strings.Contains(got.Text(), "stops working") {
		t.Errorf("a new invite link is not asked for first with a warning: %q", got.Text())
	}

	p = c.post("/users/gil/extend", url.Values{"deadline": {current}, "reason": {"on leave"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.testid("field-error-deadline"), current) {
		t.Fatalf("unchanged date: status %d, by the field %q", p.status, p.testid("field-error-deadline"))
	}
	if got := value(p, "#extend-reason"); got != "on leave" {
		t.Errorf("the reason came back as %q", got)
	}
	p = c.post("/users/gil/extend", url.Values{"deadline": {plus3}})
	if p.status != http.StatusUnprocessableEntity || p.testid("field-error-extend-reason") == "" {
		t.Fatalf("no reason: status %d, by the field %q", p.status, p.testid("field-error-extend-reason"))
	}
	if got := value(p, "#deadline"); got != plus3 {
		t.Errorf("the date came back as %q, want %s", got, plus3)
	}
	if p.testid("field-error-reset-reason") != "" || value(p, "#reset-reason") != "" {
		t.Error("the extend form's error or input shows in another form")
	}
	p = c.follow(c.post("/users/gil/extend", url.Values{"days": {"3"}, "deadline": {current}, "reason": {"on leave"}}))
	if got := p.testid("flash"); !strings.Contains(got, plus3) {
		t.Fatalf("after +3 days the page says %q, want the new date %s", got, plus3)
	}

	p = c.follow(c.post("/users/gil/revoke-invite", nil))
	if p.testid("flash") == "" {
		t.Error("revoking the invite link is not confirmed")
	}

	p = c.post("/users/hal/offboard", url.Values{"reason": {"left the company"}, "confirm_name": {"someone"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.testid("field-error-confirm_name"), "hal") {
		t.Fatalf("wrong name: status %d, by the field %q", p.status, p.testid("field-error-confirm_name"))
	}
	if got := value(p, "#reason"); got != "left the company" {
		t.Errorf("the offboard reason came back as %q", got)
	}
	p = c.follow(c.post("/users/hal/offboard", url.Values{"reason": {"left the company"}, "confirm_name": {"hal"}}))
	if !strings.Contains(p.testid("flash"), "hal") {
		t.Errorf("offboarding is not confirmed: %q", p.testid("flash"))
	}
	if got := c.get("/users/hal?done=%3Cb%3E").testid("flash"); got != "" {
		t.Errorf("an unknown confirmation shows %q", got)
	}
}

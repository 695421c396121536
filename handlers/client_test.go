package handlers_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	gh "github.com/gatehouse/portal/client"
	"github.com/gatehouse/portal/internal/eventually"
)

// The Go client drives a real portal (every exchange checked against the
// OpenAPI document by the test server): onboard, list, reset MFA, offboard,
// with the API's errors as *gh.Error.
func TestGoClient(t *testing.T) {
	e := newBulkEnv(t)
	ctx := context.Background()
	admin := gh.New(e.srv.URL, e.apiTokenFor(e.mintOperator("adm", portal.RoleAdmin)))
	help := gh.New(e.srv.URL, e.apiTokenFor(e.mintOperator("help", portal.RoleHelpdesk)))

	inv, err := admin.CreateUser(ctx, gh.NewUser{UserName: "carol", DisplayName: "Carol", Email: "carol@example.com"}, gh.WithIdempotencyKey("carol-1"))
	if err != nil || inv.User.Status != "invited" || !strings.Contains(inv.InviteURL, "/invite/") {
		t.Fatalf("create: %v %+v", err, inv)
	}
	again, err := admin.CreateUser(ctx, gh.NewUser{UserName: "carol", DisplayName: "Carol", Email: "carol@example.com"}, gh.WithIdempotencyKey("carol-1"))
	if err != nil || again.User.UserName != "carol" || again.InviteURL != "" {
		t.Fatalf("retried create: %v %+v", err, again)
	}
	if _, err := admin.CreateUser(ctx, gh.NewUser{UserName: "dave", Deadline: time.Now().Add(72 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	page, err := help.ListUsers(ctx, "invited", gh.Page{Limit: 1})
	if err != nil || len(page.Users) != 1 || page.Users[0].UserName != "carol" || !strings.HasPrefix(page.Next, "carol") {
		t.Fatalf("list: %v %+v", err, page)
	}
	if page, err = help.ListUsers(ctx, "invited", gh.Page{Limit: 1, After: page.Next}); err != nil || len(page.Users) != 1 || page.Users[0].UserName != "dave" || page.Next != "" {
		t.Fatalf("page 2: %v %+v", err, page)
	}

	_, err = help.ResetMFA(ctx, "carol", "lost phone", "")
	var apiErr *gh.Error
	if !errors.As(err, &apiErr) || apiErr.Status != 422 || apiErr.Code != "invalid" || apiErr.Field != "verified_by" || apiErr.Detail == "" {
		t.Fatalf("reset without a verifier: %v", err)
	}
	if _, err := help.ResetMFA(ctx, "carol", "lost phone", "video call", gh.WithLanguage("ja")); err != nil {
		t.Fatal(err)
	}
	if u, err := help.ExtendDeadline(ctx, "carol", gh.Extension{Days: 7, Reason: "on leave"}); err != nil || u.Deadline.IsZero() {
		t.Fatalf("extend: %v %+v", err, u)
	}
	if _, err := help.Offboard(ctx, "carol", "left"); gh.ErrorCode(err) != "forbidden" {
		t.Fatalf("helpdesk offboards: %v", err)
	}
	u, err := admin.Offboard(ctx, "carol", "left the company")
	if err != nil || u.Status != "offboarded" {
		t.Fatalf("offboard: %v %+v", err, u)
	}
	if _, err := help.GetUser(ctx, "nobody"); gh.ErrorCode(err) != "not_found" {
		t.Fatalf("unknown user: %v", err)
	}
	events, err := admin.AuditEvents(ctx, gh.AuditFilter{Target: "carol", Action: "user.offboard"}, gh.Page{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := admin.AuditEvents(ctx, gh.AuditFilter{Target: "carol", Since: time.Now().Add(-time.Hour)}, gh.Page{Limit: 2})
	if err != nil || len(all.Events) != 2 || all.Next == "" {
		t.Fatalf("audit page: %v %+v (offboard events %+v)", err, all, events)
	}

	job, err := admin.StartBulk(ctx, []byte("user_name,display_name,email,deadline\nerin,Erin,erin@example.com,\n"), gh.WithIdempotencyKey("bulk-erin"))
	if err != nil || job.JobID == 0 {
		t.Fatalf("bulk: %v %+v", err, job)
	}
	var j *gh.BulkJob
	eventually.True(t, 20*time.Second, 50*time.Millisecond, "the bulk job did not finish", func() bool {
		j, err = admin.GetBulkJob(ctx, job.JobID, gh.Page{})
		return err == nil && j.Finished()
	})
	rows, err := admin.TakeBulkInvites(ctx, job.JobID)
	if err != nil || len(rows) != 1 || rows[0].Status != "done" || rows[0].InviteURL == "" {
		t.Fatalf("bulk invites: %v %+v (job %+v)", err, rows, j)
	}
	if _, err := admin.CheckBulk(ctx, []byte("bad name\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.StartBulk(ctx, []byte("bad name\n")); gh.ErrorCode(err) != "invalid" {
		t.Fatalf("a CSV without a good row: %v", err)
	}
	if rows, err := help.GetPolicyMatrix(ctx, "dave"); err != nil || len(rows) == 0 || len(rows[0].Cells) != 3 {
		t.Fatalf("matrix: %v %+v", err, rows)
	}
	if _, err := help.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if p, err := help.GetPosture(ctx); err != nil || len(p.Findings) == 0 {
		t.Fatalf("posture: %v %+v", err, p)
	}
	doc, err := admin.OpenAPI(ctx)
	if err != nil || doc["openapi"] != "3.1.0" {
		t.Fatalf("document: %v", err)
	}
}

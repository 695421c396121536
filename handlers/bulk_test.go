package handlers_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/handlers"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/web"
)

// newBulkEnv is newEnv with bulk onboarding, a job runner and metrics.
func newBulkEnv(t *testing.T) *env { t.Helper(); return newBulkEnvRunner(t, true) }

// newBulkEnvRunner is newBulkEnv, with jobs left queued unless run.
func newBulkEnvRunner(t *testing.T, run bool) *env {
	t.Helper()
	e := newEnv(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	onb, err := onboarding.New(onboarding.Config{Store: e.store, IAM: e.iam, Logger: log, Account: e.emu.AccountID(),
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Now: e.clock, Links: e.links})
	if err != nil {
		t.Fatal(err)
	}
	box, _ := auth.NewBox([]byte(strings.Repeat("k", 32)))
	metrics := handlers.NewMetrics(e.store)
	bulk, err := jobs.NewBulk(jobs.BulkConfig{Store: e.store, Onboarding: onb, Box: box, Logger: log, Observe: metrics.ObserveBulkRow})
	if err != nil {
		t.Fatal(err)
	}
	runner, err := jobs.New(jobs.Config{Store: e.store, Holder: "test", Poll: 20 * time.Millisecond, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	runner.Register(jobs.KindBulkOnboard, bulk.Handle)
	if run {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { runner.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	h, err := handlers.New(handlers.Deps{SetupBox: e.setupBox, Store: e.store, Auth: e.auth, Onboarding: onb, Logger: log, Now: e.clock, TestMode: true,
		Bulk: bulk, WakeJobs: runner.Wake, Metrics: metrics, Webhooks: e.hooks})
	if err != nil {
		t.Fatal(err)
	}
	e.setHandler(h)
	return e
}

// upload posts a CSV file to /users/bulk.
func (c *client) upload(csv string) *page {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "users.csv")
	fw.Write([]byte(csv))
	mw.Close()
	req, _ := http.NewRequest("POST", c.url("/users/bulk"), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestBulkJourney(t *testing.T) {
	e := newBulkEnv(t)
	admin, _ := e.setupAdmin()
	admin.onboard("existing")

	t.Run("the preview lists bad rows with their reason and good rows, creating nothing", func(t *testing.T) {
		p := admin.upload("user_name,display_name,email,deadline\nann,Ann,ann@example.com,\nbad name,,,\nexisting,,,\nben,Ben,,2001-01-01\ncid,Cid,,\n")
		if got, want := p.status, http.StatusOK; got != want {
			t.Fatalf("status %d, want %d: %s", got, want, p.formError())
		}
		if got, want := p.doc.Find(`[data-testid="bulk-good-row"]`).Length(), 2; got != want {
			t.Fatalf("good rows = %d, want %d", got, want)
		}
		reasons := p.doc.Find(`[data-testid="bulk-bad-reason"]`).Text()
		for _, want := range []string{"no spaces", "already manages", "must be in the future"} {
			if !strings.Contains(reasons, want) {
				t.Fatalf("reasons %q do not say %q", reasons, want)
			}
		}
		if _, err := e.store.FindUserByName(context.Background(), "ann"); err == nil {
			t.Fatal("the preview created a user")
		}
	})
	t.Run("a missing or unreadable file is refused with a clear message", func(t *testing.T) {
		for name, file := range map[string]string{"empty": "", "not csv": "a,\"b\n"} {
			p := admin.upload(file)
			if p.status != http.StatusUnprocessableEntity || p.formError() == "" {
				t.Fatalf("%s: status %d, message %q", name, p.status, p.formError())
			}
		}
	})
	t.Run("starting runs a job whose progress page ends with every row onboarded and a one-time download", func(t *testing.T) {
		preview := admin.upload("ann,Ann,,\nbob,Bob,,\nbad name,,,\n")
		csv, _ := preview.doc.Find(`input[name="csv"]`).Attr("value")
		p := admin.post("/users/bulk/start", url.Values{"csv": {csv}})
		loc := p.header.Get("Location")
		if p.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/users/bulk/") {
			t.Fatalf("start: status %d, location %q", p.status, loc)
		}
		eventually.True(t, 20*time.Second, 50*time.Millisecond, "the job did not finish", func() bool {
			p = admin.get(loc)
			if running := p.doc.Find(`[data-testid="bulk-reload"]`).Length() > 0; running {
				if !strings.Contains(p.body, `http-equiv="refresh"`) {
					t.Fatal("a running job's page has no refresh fallback")
				}
				return false
			}
			return true
		})
		if got, want := p.testid("bulk-done"), "2"; got != want {
			t.Fatalf("done = %s, want %s", got, want)
		}
		href, _ := p.doc.Find(`[data-testid="bulk-download"]`).Attr("href")
		res := admin.get(href)
		if got := res.header.Get("Content-Type"); !strings.HasPrefix(got, "text/csv") {
			t.Fatalf("download content type %q", got)
		}
		lines := strings.Split(strings.TrimSpace(res.body), "\n")
		if got, want := len(lines), 3; got != want {
			t.Fatalf("result has %d lines, want %d: %q", got, want, res.body)
		}
		invite := lines[1][strings.Index(lines[1], "http"):strings.Index(lines[1], ",20")]
		if got := e.newClient().get(invite).status; got != http.StatusOK {
			t.Fatalf("invite link from the result answers %d", got)
		}
		if p := admin.get(loc); p.doc.Find(`[data-testid="bulk-downloaded"]`).Length() != 1 {
			t.Fatal("after the download the page still offers the invite links")
		}
		if again := admin.get(href); strings.Contains(again.body, "/invite/") {
			t.Fatal("a second download still carries invite links")
		}
	})
	t.Run("metrics show request latency by route pattern, users by status and jobs", func(t *testing.T) {
		m := admin.get("/metrics").body
		for _, want := range []string{`route="/users/bulk/{id}"`, `gatehouse_users{status="invited"} 3`, `gatehouse_jobs{state="done"} 1`, `gatehouse_bulk_rows_total{status="done"} 2`} {
			if !strings.Contains(m, want) {
				t.Fatalf("metrics lack %s", want)
			}
		}
	})
}

// The progress page of a running job is polled by htmx, the one polling
// mechanism of the pages: each poll gets the progress box, which keeps
// polling, and once the job has ended htmx is told to reload the page.
func TestBulkProgressIsPolledByHTMX(t *testing.T) {
	e := newBulkEnvRunner(t, false)
	admin, _ := e.setupAdmin()
	preview := admin.upload("ann,Ann,,\n")
	csv, _ := preview.doc.Find(`input[name="csv"]`).Attr("value")
	loc := admin.post("/users/bulk/start", url.Values{"csv": {csv}}).header.Get("Location")
	poll := func() *page {
		t.Helper()
		req, _ := http.NewRequest("GET", admin.url(loc), nil)
		req.Header.Set("HX-Request", "true")
		return admin.do(req)
	}
	if p := admin.get(loc); p.doc.Find(`#bulk-progress-box[hx-get="`+loc+`"]`).Length() != 1 || strings.Contains(p.body, "bulk.js") {
		t.Fatalf("a running job's page does not poll its progress box with htmx:\n%s", p.body)
	}
	p := poll()
	if p.status != http.StatusOK || p.doc.Find("header.top").Length() > 0 {
		t.Fatalf("the poll answered status %d or a whole page, not the progress box", p.status)
	}
	if trig, _ := p.doc.Find("#bulk-progress-box").Attr("hx-trigger"); trig != "every 1s" {
		t.Fatalf("the progress box stops polling (hx-trigger %q)", trig)
	}
	if got := p.testid("bulk-total"); got != "1" {
		t.Fatalf("the progress box counts %s rows, want 1", got)
	}

	ctx := context.Background()
	j, err := e.store.ClaimJob(ctx, "test", []string{jobs.KindBulkOnboard}, time.Minute, e.clock())
	if err != nil || j == nil || string(web.BulkJobPath(j.ID)) != loc {
		t.Fatalf("claim the job: %v, %+v", err, j)
	}
	if err := e.store.FinishJob(ctx, j.ID, "test", store.JobFailed, "stopped by the test", e.clock()); err != nil {
		t.Fatal(err)
	}
	if p := poll(); p.header.Get("HX-Refresh") != "true" {
		t.Fatalf("the poll of an ended job does not reload the page (status %d, headers %v)", p.status, p.header)
	}
}

package onboarding_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/posture"
	"github.com/gatehouse/portal/store"
)

// recordingNotifier keeps every notice it is given; fail, when set, is
// returned instead.
type recordingNotifier struct {
	mu   sync.Mutex
	got  []onboarding.Notice
	fail error
}

func (r *recordingNotifier) Notify(_ context.Context, n onboarding.Notice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.got = append(r.got, n)
	return nil
}

func (r *recordingNotifier) of(kind string) []onboarding.Notice {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []onboarding.Notice
	for _, n := range r.got {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

// plainBox "seals" by copying: these tests look at what is sent, not at
// how links wait.
type plainBox struct{}

func (plainBox) Seal(p []byte) []byte          { return slices.Clone(p) }
func (plainBox) Open(s []byte) ([]byte, error) { return slices.Clone(s), nil }

// drain claims every due job of kind, as a job runner would, and returns
// their payloads.
func drain(t *testing.T, st *store.Store, kind string, now time.Time) []*store.Job {
	t.Helper()
	var out []*store.Job
	for {
		j, err := st.ClaimJob(context.Background(), "test", []string{kind}, time.Minute, now)
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return out
		} else if err != nil {
			t.Fatal(err)
		}
		if err := st.FinishJob(context.Background(), j.ID, "test", store.JobDone, "", now); err != nil {
			t.Fatal(err)
		}
		out = append(out, j)
	}
}

// The weekly report goes to each recipient once per ISO week, in their
// language, whatever the number of replicas sweeping and however often
// they sweep; the next week it goes again. It says the coverage, the
// delta and the failing controls with their counts, and points to the
// posture page. A mail server that refuses for now is retried.
func TestWeeklyPostureReport(t *testing.T) {
	ctx := context.Background()
	rec := &recordingNotifier{}
	lc := onboarding.LifecycleConfig{Notifier: rec, Box: plainBox{}, Holder: "replica-1",
		ReportTo: []onboarding.ReportRecipient{{To: "sec@example.com", Lang: "en"}, {To: "kansa@example.jp", Lang: "ja"}}}
	e := newLifeEnv(t, freshReports, lc)
	links, err := portal.NewLinks("https://gh.example")
	if err != nil {
		t.Fatal(err)
	}
	lc2 := lc
	lc2.Holder = "replica-2"
	other, err := onboarding.New(onboarding.Config{Store: e.store, IAM: e.iam, Account: e.emu.AccountID(), Now: e.now, Links: links,
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Lifecycle: lc2})
	if err != nil {
		t.Fatal(err)
	}

	e.svc.QueueWeeklyReports(ctx)
	if jobs := drain(t, e.store, store.JobPostureReport, e.now()); len(jobs) != 0 {
		t.Fatalf("%d reports queued before any sync recorded the posture", len(jobs))
	}
	if _, err := e.iam.CreateUser(ctx, "legacy", nil); err != nil {
		t.Fatal(err)
	}
	if err := e.iam.CreateLoginProfile(ctx, "legacy", "Corr3ct-Horse-Battery"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Sync(ctx, onboarding.SyncManual, admin); err != nil {
		t.Fatal(err)
	}

	// Two replicas sweep, again and again, within the week.
	for range 3 {
		e.svc.QueueWeeklyReports(ctx)
		other.QueueWeeklyReports(ctx)
	}
	jobs := drain(t, e.store, store.JobPostureReport, e.now())
	if len(jobs) != 2 {
		t.Fatalf("%d report jobs for two recipients in one week", len(jobs))
	}
	rec.fail = portal.E(portal.EUNAVAILABLE, "err.smtp.later", 451)
	if retry, err := other.DeliverPostureReport(ctx, jobs[0].Payload, 1); retry <= 0 || err == nil {
		t.Fatalf("a refusal for now is not retried: %v %v", retry, err)
	}
	rec.fail = nil
	for _, j := range jobs {
		if retry, err := other.DeliverPostureReport(ctx, j.Payload, 2); retry != 0 || err != nil {
			t.Fatalf("deliver %s: %v %v", j.Payload, retry, err)
		}
	}
	got := rec.of(onboarding.NoticePostureReport)
	if len(got) != 2 {
		t.Fatalf("%d reports sent", len(got))
	}
	langs := map[string]string{}
	for _, n := range got {
		langs[n.To] = n.Lang
		r := n.Report
		if r == nil || r.Coverage != 0 || r.ConsoleUsers != 1 || n.PageURL != "https://gh.example/posture" {
			t.Fatalf("report %+v to %s", r, n.To)
		}
		i := slices.IndexFunc(r.Failing, func(c onboarding.FailingControl) bool { return c.ID == posture.ConsoleMFA })
		if i < 0 || r.Failing[i].Count != 1 || r.Failing[i].CIS != "1.10" {
			t.Fatalf("failing controls %+v", r.Failing)
		}
		if slices.ContainsFunc(r.Failing, func(c onboarding.FailingControl) bool { return c.ID == posture.GroupsOnly }) {
			t.Fatal("the informational control is reported as failing")
		}
	}
	if langs["sec@example.com"] != "en" || langs["kansa@example.jp"] != "ja" {
		t.Fatalf("languages %v", langs)
	}

	e.svc.QueueWeeklyReports(ctx)
	if n := len(drain(t, e.store, store.JobPostureReport, e.now())); n != 0 {
		t.Fatalf("%d more report jobs in the same week after they were sent", n)
	}
	e.advance(7 * 24 * time.Hour)
	other.QueueWeeklyReports(ctx)
	e.svc.QueueWeeklyReports(ctx)
	if next := drain(t, e.store, store.JobPostureReport, e.now()); len(next) != 2 || !strings.Contains(next[0].Payload, isoWeekOf(e.now())) {
		t.Fatalf("next week: %d jobs", len(next))
	}
}

func isoWeekOf(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf(`"week":"%d-W%02d"`, y, w)
}

// The access-key notice names each active key that needs attention, with
// what is wrong with it (old, extra, never used by a console user), is
// delivered with the console sign-in address, and is audited with the
// reason; a user Gatehouse does not manage, one without an address and a
// missing reason are refused.
func TestKeyNotice(t *testing.T) {
	ctx := context.Background()
	rec := &recordingNotifier{}
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{Notifier: rec, Box: plainBox{}})
	e.onboard(t, "rotator")
	old, err := e.raw.CreateAccessKey(ctx, createKey("rotator"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.iam.CreateUser(ctx, "outsider", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.NoticeKeys(ctx, admin, "rotator", "CIS 1.14"); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Fatalf("a single new key: err = %v, want ECONFLICT (nothing to tell)", err)
	}
	e.advance(91 * 24 * time.Hour)
	if _, err := e.svc.NoticeKeys(ctx, admin, "rotator", " "); portal.ErrorCode(err) != portal.EINVALID {
		t.Fatalf("no reason: %v", err)
	}
	if _, err := e.svc.NoticeKeys(ctx, admin, "outsider", "CIS 1.14"); portal.ErrorCode(err) != portal.ECONFLICT || !strings.Contains(portal.ErrorTextOf(err).Key, "adopt") {
		t.Fatalf("unmanaged: %v", err)
	}
	n, err := e.svc.NoticeKeys(ctx, admin, "rotator", "CIS 1.14")
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Keys) != 1 || n.Keys[0].ID != *old.AccessKey.AccessKeyId || !n.Keys[0].Old || n.Keys[0].Extra || n.To != "rotator@example.com" {
		t.Fatalf("noticed %+v", n)
	}
	for _, j := range drain(t, e.store, store.JobNotice, e.now()) {
		id, err := strconv.ParseInt(j.Payload, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.DeliverNotice(ctx, id, 1); err != nil {
			t.Fatal(err)
		}
	}
	sent := rec.of(onboarding.NoticeKeys)
	if len(sent) != 1 || len(sent[0].Keys) != 1 || sent[0].Keys[0].ID != *old.AccessKey.AccessKeyId || !strings.Contains(sent[0].SigninURL, "signin.aws.amazon.com") {
		t.Fatalf("sent %+v", sent)
	}
	evs, err := e.store.FindAuditEvents(ctx, portal.AuditFilter{Target: "rotator", Action: "credentials.notice"})
	if err != nil || len(evs) != 1 {
		t.Fatalf("audit %v %v", evs, err)
	}
}

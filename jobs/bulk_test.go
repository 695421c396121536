package jobs_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

type bulkEnv struct {
	emu  *iamemu.Emulator
	iam  *awsiam.Client
	st   *store.Store
	onb  *onboarding.Service
	bulk *jobs.Bulk
}

func newBulkEnv(t *testing.T) *bulkEnv {
	t.Helper()
	srv := iamemutest.Start(t, iamemu.Options{})
	e := &bulkEnv{emu: srv.Emulator, iam: srv.Client(t, awsiam.Config{MaxAttempts: 2})}
	var err error
	e.st = storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	if e.onb, err = onboarding.New(onboarding.Config{Store: e.st, IAM: e.iam, Logger: quiet, Account: e.emu.AccountID(),
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Links: mustLinks(t, "https://portal.example")}); err != nil {
		t.Fatal(err)
	}
	box, _ := auth.NewBox([]byte(strings.Repeat("k", 32)))
	if e.bulk, err = jobs.NewBulk(jobs.BulkConfig{Store: e.st, Onboarding: e.onb, Box: box, Logger: quiet, Concurrency: 4}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *bulkEnv) enqueue(t *testing.T, file string) (*store.Job, []jobs.RowProblem) {
	t.Helper()
	good, bad, err := jobs.ParseBulkCSV(strings.NewReader(file), time.Now(), func(name string) bool {
		_, err := e.st.FindUserByName(context.Background(), name)
		return err == nil
	})
	if err != nil {
		t.Fatal(err)
	}
	j, err := e.bulk.Enqueue(context.Background(), "admin", good)
	if err != nil {
		t.Fatal(err)
	}
	return j, bad
}

func (e *bulkEnv) result(t *testing.T, id int64) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := e.bulk.WriteResult(context.Background(), onboarding.Actor{Name: "admin"}, &buf, id); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

func TestBulkOnboarding(t *testing.T) {
	ctx := context.Background()
	t.Run("good rows are onboarded, bad rows listed with their reason, invite links downloadable once", func(t *testing.T) {
		e := newBulkEnv(t)
		j, bad := e.enqueue(t, "user_name,display_name,email,deadline\n"+
			"alice,Alice,alice@example.com,2099-01-31\nbad name,X,,\nbob,Bob,,\nALICE,Dup,,\ncarol,Carol,not-an-email,\n")
		if got, want := len(bad), 3; got != want {
			t.Fatalf("bad rows = %v, want %d", bad, want)
		}
		for _, p := range bad {
			if p.Err == nil || p.Row < 3 {
				t.Fatalf("problem without line or reason: %+v", p)
			}
		}
		if err := e.bulk.Handle(ctx, j); err != nil {
			t.Fatal(err)
		}
		e.st.DB().Exec(`UPDATE jobs SET state = 'done'`) // no runner in this test: the job is over
		// The end is audited (the bulk.finished webhook announces it) with
		// what came of the rows.
		evs, err := e.st.FindAuditEvents(ctx, portal.AuditFilter{Action: "bulk.finish", TargetKind: portal.TargetJob, Target: strconv.FormatInt(j.ID, 10)})
		if err != nil || len(evs) != 1 || fmt.Sprint(evs[0].Text.Args) != "[2 0]" {
			t.Fatalf("bulk.finish events %+v, %v; want one saying 2 done, 0 failed", evs, err)
		}
		rows := e.result(t, j.ID)
		if got, want := len(rows), 2; got != want {
			t.Fatalf("result rows = %d, want %d", got, want)
		}
		for _, r := range rows {
			if r[3] != store.ItemDone || !strings.HasPrefix(r[5], "https://portal.example/invite/") {
				t.Fatalf("row %v: want done with an invite URL", r)
			}
			token := strings.TrimPrefix(r[5], "https://portal.example/invite/")
			if _, err := e.onb.LookupInvite(ctx, token, ""); err != nil {
				t.Fatalf("invite of %s does not work: %v", r[0], err)
			}
		}
		if again := e.result(t, j.ID); again[0][5] != "" {
			t.Fatalf("second download still has the invite link %q", again[0][5])
		}
	})
	t.Run("a user left half-onboarded by a crash is resumed, not duplicated, and has one valid invite", func(t *testing.T) {
		e := newBulkEnv(t)
		j, _ := e.enqueue(t, "dave,Dave,,\n")
		// The crash: the row was started, CreateUser ran, then the process died.
		e.st.DB().Exec(`UPDATE bulk_items SET status = 'running'`)
		e.emu.FailNext("AttachUserPolicy", "ServiceFailure", 4)
		if _, err := e.onb.Onboard(ctx, onboarding.Actor{Name: "admin"}, portal.NewUser{UserName: "dave"}); err == nil {
			t.Fatal("setup: the first run should have stopped half-way")
		}
		if err := e.bulk.Handle(ctx, j); err != nil {
			t.Fatal(err)
		}
		p, _ := e.bulk.Progress(ctx, j.ID)
		if got, want := p.Done, 1; got != want {
			t.Fatalf("done = %d, want %d (%+v)", got, want, p.Items)
		}
		u, err := e.st.FindUserByName(ctx, "dave")
		if err != nil || u.State != portal.StateInvited {
			t.Fatalf("dave: %+v %v", u, err)
		}
	})
	t.Run("throttling slows the job down instead of failing users", func(t *testing.T) {
		e := newBulkEnv(t)
		var b strings.Builder
		for i := range 20 {
			b.WriteString("user" + string(rune('a'+i)) + ",,,\n")
		}
		j, _ := e.enqueue(t, b.String())
		e.emu.SetFaults(iamemu.Faults{ThrottleRate: 40, ThrottleBurst: 5})
		if err := e.bulk.Handle(ctx, j); err != nil {
			t.Fatal(err)
		}
		p, _ := e.bulk.Progress(ctx, j.ID)
		if got, want := p.Done, 20; got != want {
			t.Fatalf("done = %d of 20, failed %d", got, p.Failed)
		}
	})
}

func mustLinks(t *testing.T, base string) portal.Links {
	t.Helper()
	l, err := portal.NewLinks(base)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Finding: the bulk result CSV did not defuse spreadsheet formulas (the
// users and audit exports did). Every export now goes through one writer.
func TestBulkResultCellsCannotBeFormulas(t *testing.T) {
	e := newBulkEnv(t)
	j, bad := e.enqueue(t, "user_name,display_name,email,deadline\n"+`formula,"=HYPERLINK(""https://evil.example"",""Click"")",,`+"\n")
	if len(bad) != 0 {
		t.Fatalf("bad rows: %v", bad)
	}
	if err := e.bulk.Handle(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	e.st.DB().Exec(`UPDATE jobs SET state = 'done'`)
	rows := e.result(t, j.ID)
	if got := rows[0][1]; !strings.HasPrefix(got, "'=") {
		t.Fatalf("display name cell %q is a live formula", got)
	}
}

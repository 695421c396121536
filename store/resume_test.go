package store_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// The resume sweep queues one job per onboarding that made no progress
// since the cut-off, and none for a saga that moved recently, one that
// already has a job (or gave up), one that finished, or a row of a bulk
// job that is still under way. On both engines.
func TestQueueResumeJobsPicksOnlyStuckSagas(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, engine, storetest.DSN(t, engine))
			t0 := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
			cut := t0.Add(30 * time.Minute)
			user := func(name string, state portal.State, stepAt time.Time) *portal.User {
				t.Helper()
				u := &portal.User{UserName: name, State: state, CreatedAt: t0, UpdatedAt: t0}
				if err := st.CreateUser(ctx, u); err != nil {
					t.Fatal(err)
				}
				if err := st.StartStep(ctx, u.ID, "create_user", stepAt); err != nil {
					t.Fatal(err)
				}
				return u
			}
			stuck := user("stuck", portal.StateProvisioning, t0)
			user("moving", portal.StateProvisioning, cut.Add(time.Second))
			user("finished", portal.StateInvited, t0)
			user("bulkrow", portal.StateProvisioning, t0)
			bulk := &store.Job{Kind: "bulk_onboard", CreatedBy: "admin", CreatedAt: t0}
			if err := st.CreateBulkJob(ctx, bulk, []store.BulkItem{{Row: 1, UserName: "bulkrow", Status: store.ItemRunning}}); err != nil {
				t.Fatal(err)
			}

			n, err := st.QueueResumeJobs(ctx, cut, cut)
			if err != nil || n != 1 {
				t.Fatalf("first sweep queued %d jobs (%v), want 1 (for stuck)", n, err)
			}
			j, err := st.FindResumeJob(ctx, stuck.ID)
			if err != nil || j.Payload != strconv.FormatInt(stuck.ID, 10) || j.State != store.JobQueued {
				t.Fatalf("stuck's resume job: %+v %v", j, err)
			}
			if n, err := st.QueueResumeJobs(ctx, cut, cut); err != nil || n != 0 {
				t.Fatalf("a second sweep queued %d more (%v), want none while one is queued", n, err)
			}
			// The job gives up: the saga is a person's now.
			claimed, err := st.ClaimJob(ctx, "a", []string{store.JobResume}, time.Minute, cut)
			if err != nil || claimed.ID != j.ID {
				t.Fatalf("claim: %+v %v", claimed, err)
			}
			if err := st.FinishJob(ctx, j.ID, "a", store.JobFailed, "gave up", cut); err != nil {
				t.Fatal(err)
			}
			if n, err := st.QueueResumeJobs(ctx, cut, cut); err != nil || n != 0 {
				t.Fatalf("a sweep after the give-up queued %d (%v), want none", n, err)
			}
			// Once the bulk job is over, its stuck row is the sweep's.
			if _, err := st.ClaimJob(ctx, "a", []string{"bulk_onboard"}, time.Minute, cut); err != nil {
				t.Fatal(err)
			}
			if err := st.FinishJob(ctx, bulk.ID, "a", store.JobDone, "", cut); err != nil {
				t.Fatal(err)
			}
			if n, err := st.QueueResumeJobs(ctx, cut, cut); err != nil || n != 1 {
				t.Fatalf("after the bulk job ended the sweep queued %d (%v), want 1", n, err)
			}

			inflight, total, err := st.FindInFlight(ctx, "", []string{"ensure_policy", "create_user"}, 10)
			if err != nil || total != 3 || len(inflight) != 3 {
				t.Fatalf("in flight: %d of %d (%v), want 3", len(inflight), total, err)
			}
			if f := inflight[0]; f.UserName != "stuck" || f.Step != "ensure_policy" || f.Resume == nil || f.Resume.State != store.JobFailed {
				t.Fatalf("stuck in flight: %+v", f)
			}
		})
	}
}

// The dashboard's in-flight list costs the same few queries whatever the
// page holds (it cost two more per row; its count is the status counts'
// cached one), and answers what the per-row
// lookups answer: each row's first step not done and its newest resume job.
// On both engines.
func TestFindInFlightQueriesDoNotGrowWithRows(t *testing.T) {
	steps := []string{"ensure_policy", "create_user", "attach_policy"}
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, engine, storetest.DSN(t, engine))
			t0 := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
			// After a write the count is taken again (one query); right
			// after another call it comes from the status counts' cache.
			check := func(limit, wantRows, wantTotal int, counted bool) {
				t.Helper()
				before := st.Queries()
				got, total, err := st.FindInFlight(ctx, "", steps, limit)
				queries := st.Queries() - before
				if err != nil || len(got) != wantRows || total != wantTotal {
					t.Fatalf("FindInFlight(%d): %d rows of %d (%v), want %d of %d", limit, len(got), total, err, wantRows, wantTotal)
				}
				want := int64(3)
				if wantRows == 0 {
					want = 1
				}
				if counted {
					want++
				}
				if queries != want {
					t.Fatalf("FindInFlight(%d), %d rows: %d queries, want %d", limit, wantRows, queries, want)
				}
				for _, f := range got {
					rec, err := st.FindSteps(ctx, f.UserID)
					if err != nil {
						t.Fatal(err)
					}
					want := store.InFlight{UserID: f.UserID, UserName: f.UserName, Since: f.Since, UpdatedAt: f.Since}
					for _, name := range steps {
						if s, ok := rec[name]; !ok || s.Status != store.StepDone {
							want.Step, want.Attempts, want.LastError = name, s.Attempts, s.LastErrorText
							if ok {
								want.UpdatedAt = s.UpdatedAt
							}
							break
						}
					}
					j, err := st.FindResumeJob(ctx, f.UserID)
					if err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
						t.Fatal(err)
					}
					if (j == nil) != (f.Resume == nil) || j != nil && (j.ID != f.Resume.ID || j.State != f.Resume.State) {
						t.Fatalf("%s: resume job %+v, want %+v", f.UserName, f.Resume, j)
					}
					f.Resume = nil
					if f.Step != want.Step || f.Attempts != want.Attempts || !f.UpdatedAt.Equal(want.UpdatedAt) ||
						f.LastError.Key != want.LastError.Key || !f.Since.Equal(want.Since) {
						t.Fatalf("%s: %+v, want %+v", f.UserName, f, want)
					}
				}
			}
			check(20, 0, 0, true)
			check(20, 0, 0, false)
			for i := range 25 {
				at := t0.Add(time.Duration(i) * time.Second)
				u := &portal.User{UserName: "user-" + strconv.Itoa(i), State: portal.StateProvisioning, CreatedAt: at, UpdatedAt: at}
				if err := st.CreateUser(ctx, u); err != nil {
					t.Fatal(err)
				}
				// Users get 0, 1, 2 or 3 steps done; every fifth has a
				// failed attempt on its next step, every third resume
				// jobs (the newest counts).
				for k, name := range steps[:i%4] {
					if err := st.StartStep(ctx, u.ID, name, at.Add(time.Duration(k)*time.Minute)); err != nil {
						t.Fatal(err)
					}
					if err := st.FinishStep(ctx, u.ID, name, at.Add(time.Duration(k)*time.Minute)); err != nil {
						t.Fatal(err)
					}
				}
				if i%5 == 0 && i%4 < len(steps) {
					name := steps[i%4]
					if err := st.StartStep(ctx, u.ID, name, at.Add(time.Hour)); err != nil {
						t.Fatal(err)
					}
					if err := st.FailStep(ctx, u.ID, name, portal.T("err.iam.timeout"), at.Add(time.Hour)); err != nil {
						t.Fatal(err)
					}
				}
				for range i % 3 {
					if err := st.CreateJob(ctx, &store.Job{Kind: store.JobResume, Payload: strconv.FormatInt(u.ID, 10), CreatedBy: "system", CreatedAt: at}); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := st.CreateUser(ctx, &portal.User{UserName: "done", State: portal.StateInvited, CreatedAt: t0, UpdatedAt: t0}); err != nil {
				t.Fatal(err)
			}
			check(3, 3, 25, true)
			check(20, 20, 25, false)
			check(100, 25, 25, false)
		})
	}
}

// The in-flight list of one account holds its onboardings only (the hub's
// include those recorded before accounts existed), counted alike, in the
// same four queries.
func TestFindInFlightOfOneAccount(t *testing.T) {
	const hub, member = "111111111111", "222222222222"
	steps := []string{"ensure_policy", "create_user"}
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, engine, storetest.DSN(t, engine))
			t0 := time.Now().Add(-time.Hour).Truncate(time.Millisecond)
			if err := st.EnsureHubAccount(ctx, hub, t0); err != nil {
				t.Fatal(err)
			}
			// old is recorded without an account, as before accounts existed.
			for i, u := range []*portal.User{{UserName: "old"}, {AccountID: hub, UserName: "hubby"}, {AccountID: member, UserName: "mem"}, {AccountID: member, UserName: "done", State: portal.StateEnrolled}} {
				if u.State == "" {
					u.State = portal.StateProvisioning
				}
				u.CreatedAt = t0.Add(time.Duration(i) * time.Minute)
				u.UpdatedAt = u.CreatedAt
				if err := st.CreateUser(ctx, u); err != nil {
					t.Fatal(err)
				}
			}
			for acct, want := range map[string][]string{"": {"old", "hubby", "mem"}, hub: {"old", "hubby"}, member: {"mem"}} {
				before := st.Queries()
				got, total, err := st.FindInFlight(ctx, acct, steps, 10)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, f := range got {
					names = append(names, f.UserName)
				}
				if !slices.Equal(names, want) || total != len(want) {
					t.Errorf("in flight in %q: %v of %d, want %v", acct, names, total, want)
				}
				if q := st.Queries() - before; q != 4 {
					t.Errorf("in flight in %q: %d queries, want 4", acct, q)
				}
			}
		})
	}
}

// The in-flight list's total comes from the cached status counts, and every
// write through the store that moves a user into or out of provisioning
// shows in it at once: it equals a fresh COUNT(*) after each write, on both
// engines.
func TestFindInFlightTotalSeesEveryWrite(t *testing.T) {
	forEachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		same := func(when string) {
			t.Helper()
			_, total, err := st.FindInFlight(ctx, "", nil, 5)
			if err != nil {
				t.Fatal(err)
			}
			var want int
			if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE state = 'provisioning'`).Scan(&want); err != nil {
				t.Fatal(err)
			}
			if total != want {
				t.Fatalf("%s: FindInFlight total %d, a recount says %d", when, total, want)
			}
		}
		var ids []int64
		for i := range 6 {
			same(fmt.Sprintf("before user %d", i))
			u := &portal.User{UserName: fmt.Sprintf("flight-%d", i), State: portal.StateProvisioning, CreatedAt: now, UpdatedAt: now}
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, u.ID)
			same(fmt.Sprintf("after user %d", i))
		}
		invited := portal.StateInvited
		if err := st.UpdateUser(ctx, ids[0], store.UserUpdate{State: &invited}, now); err != nil {
			t.Fatal(err)
		}
		same("after one left provisioning")
		if err := st.DeleteUser(ctx, ids[1]); err != nil {
			t.Fatal(err)
		}
		same("after a delete")
		provisioning := portal.StateProvisioning
		if err := st.UpdateUser(ctx, ids[0], store.UserUpdate{State: &provisioning}, now); err != nil {
			t.Fatal(err)
		}
		same("after one came back")
	})
}

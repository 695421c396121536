package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// A notice keeps its detail (the key IDs of an access-key notice), and
// QueueJobOnce queues a kind and payload once, whatever became of the
// first job. On both engines.
func TestNoticeDetailAndJobsQueuedOnce(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, engine, storetest.DSN(t, engine))
			now := time.Now()
			u := &portal.User{UserName: "kenji", State: portal.StateInvited, CreatedAt: now, UpdatedAt: now}
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			n := &store.Notice{UserID: u.ID, Kind: "keys", Recipient: "kenji@example.com", CreatedAt: now, Detail: `[{"id":"AKIA1"}]`}
			if err := st.QueueNotice(ctx, n); err != nil {
				t.Fatal(err)
			}
			if got, err := st.FindNotice(ctx, n.ID); err != nil || got.Detail != n.Detail {
				t.Fatalf("detail %q, %v", got.Detail, err)
			}
			for i, want := range []bool{true, false} {
				q, err := st.QueueJobOnce(ctx, store.JobPostureReport, `{"week":"2026-W49","to":"a@example.com"}`, "system", now)
				if err != nil || q != want {
					t.Fatalf("queue #%d: %v %v, want %v", i+1, q, err, want)
				}
			}
			j, err := st.ClaimJob(ctx, "a", []string{store.JobPostureReport}, time.Minute, now)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.FinishJob(ctx, j.ID, "a", store.JobFailed, "refused", now); err != nil {
				t.Fatal(err)
			}
			if q, err := st.QueueJobOnce(ctx, store.JobPostureReport, `{"week":"2026-W49","to":"a@example.com"}`, "system", now); err != nil || q {
				t.Fatalf("queued again after it failed: %v %v", q, err)
			}
			if q, err := st.QueueJobOnce(ctx, store.JobPostureReport, `{"week":"2026-W50","to":"a@example.com"}`, "system", now); err != nil || !q {
				t.Fatalf("next week not queued: %v %v", q, err)
			}
		})
	}
}

package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// A queued notice comes with its delivery job; a job handed back for a
// retry is not claimable before its time; a sent notice loses its sealed
// link. On both engines.
func TestNoticesAndRetriedJobs(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st := storetest.Open(t, engine, storetest.DSN(t, engine))
			now := time.Now()
			u := &portal.User{UserName: "nora", State: portal.StateInvited, CreatedAt: now, UpdatedAt: now}
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			n := &store.Notice{UserID: u.ID, Kind: "invite", Recipient: "nora@example.com", LinkSealed: []byte("sealed"), CreatedAt: now}
			if err := st.QueueNotice(ctx, n); err != nil {
				t.Fatal(err)
			}
			j, err := st.ClaimJob(ctx, "a", []string{store.JobNotice}, time.Minute, now)
			if err != nil || j.Payload != strconv.FormatInt(n.ID, 10) {
				t.Fatalf("the notice's job: %+v, %v", j, err)
			}
			if err := st.NoticeAttempted(ctx, n.ID, false, false, portal.T("err.smtp.unreachable"), now); err != nil {
				t.Fatal(err)
			}
			if err := st.RetryJob(ctx, j.ID, "a", now.Add(time.Minute), "down", now); err != nil {
				t.Fatal(err)
			}
			if _, err := st.ClaimJob(ctx, "a", []string{store.JobNotice}, time.Minute, now.Add(30*time.Second)); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Fatalf("a job waiting for its retry was claimed early: %v", err)
			}
			if _, err := st.ClaimJob(ctx, "a", []string{store.JobNotice}, time.Minute, now.Add(2*time.Minute)); err != nil {
				t.Fatalf("the retry was not claimable at its time: %v", err)
			}
			if err := st.NoticeAttempted(ctx, n.ID, true, false, portal.Text{}, now.Add(2*time.Minute)); err != nil {
				t.Fatal(err)
			}
			got, err := st.FindNotice(ctx, n.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != store.NoticeSent || got.Attempts != 2 || got.LinkSealed != nil || got.SentAt.IsZero() {
				t.Fatalf("after delivery: %+v", got)
			}
			list, err := st.FindNotices(ctx, u.ID, 10)
			if err != nil || len(list) != 1 {
				t.Fatalf("the user's notices: %v %v", list, err)
			}
		})
	}
}

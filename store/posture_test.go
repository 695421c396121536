package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

func TestPostureSnapshots(t *testing.T) {
	ctx := context.Background()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		if _, err := s.LatestPostureSnapshot(ctx); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("no snapshot yet: err = %v, want ENOTFOUND", err)
		}
		for i, mfa := range []int{1, 2, 3} {
			p := &store.PostureSnapshot{TakenAt: t0.Add(time.Duration(i) * 24 * time.Hour), ReportAt: t0, Users: 5, ConsoleUsers: 4, ConsoleMFA: mfa,
				Failing: map[string]int{"iam_user_mfa_enabled_console_access": 4 - mfa, "iam_root_mfa_enabled": -1}, Detail: `{"n":` + string(rune('0'+i)) + `}`}
			if err := s.SavePostureSnapshot(ctx, p); err != nil || p.ID == 0 {
				t.Fatalf("save %d: %v (id %d)", i, err, p.ID)
			}
		}
		last, err := s.LatestPostureSnapshot(ctx)
		if err != nil || last.ConsoleMFA != 3 || last.Detail != `{"n":2}` || last.Failing["iam_root_mfa_enabled"] != -1 || !last.TakenAt.Equal(t0.Add(48*time.Hour)) {
			t.Fatalf("latest = %+v, %v", last, err)
		}
		since, err := s.PostureSnapshotsSince(ctx, t0.Add(24*time.Hour))
		if err != nil || len(since) != 2 || since[0].ConsoleMFA != 2 || since[1].ConsoleMFA != 3 || since[0].Failing["iam_user_mfa_enabled_console_access"] != 2 {
			t.Fatalf("since = %+v, %v", since, err)
		}
		// Only the newest keeps its detail.
		all, _ := s.PostureSnapshotsSince(ctx, time.Time{})
		if len(all) != 3 {
			t.Fatalf("%d snapshots", len(all))
		}
	})
}

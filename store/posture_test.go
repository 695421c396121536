package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

func TestPostureSnapshots(t *testing.T) {
	ctx := context.Background()
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		if _, err := s.LatestPostureSnapshot(ctx, ""); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("no snapshot yet: err = %v, want ENOTFOUND", err)
		}
		for i, mfa := range []int{1, 2, 3} {
			p := &store.PostureSnapshot{TakenAt: t0.Add(time.Duration(i) * 24 * time.Hour), ReportAt: t0, Users: 5, ConsoleUsers: 4, ConsoleMFA: mfa,
				Failing: map[string]int{"iam_user_mfa_enabled_console_access": 4 - mfa, "iam_root_mfa_enabled": -1}, Detail: `{"n":` + string(rune('0'+i)) + `}`}
			if err := s.SavePostureSnapshot(ctx, p); err != nil || p.ID == 0 {
				t.Fatalf("save %d: %v (id %d)", i, err, p.ID)
			}
		}
		last, err := s.LatestPostureSnapshot(ctx, "")
		if err != nil || last.ConsoleMFA != 3 || last.Detail != `{"n":2}` || last.Failing["iam_root_mfa_enabled"] != -1 || !last.TakenAt.Equal(t0.Add(48*time.Hour)) {
			t.Fatalf("latest = %+v, %v", last, err)
		}
		since, err := s.PostureSnapshotsSince(ctx, "", t0.Add(24*time.Hour))
		if err != nil || len(since) != 2 || since[0].ConsoleMFA != 2 || since[1].ConsoleMFA != 3 || since[0].Failing["iam_user_mfa_enabled_console_access"] != 2 {
			t.Fatalf("since = %+v, %v", since, err)
		}
		// Only the newest keeps its detail.
		all, _ := s.PostureSnapshotsSince(ctx, "", time.Time{})
		if len(all) != 3 {
			t.Fatalf("%d snapshots", len(all))
		}
	})
}

// Each account has its own snapshots: the latest, the trend and the kept
// detail are per account; rows recorded before accounts existed are the
// hub's once the hub is known, and "" asks for the hub's.
func TestPostureSnapshotsPerAccount(t *testing.T) {
	ctx := context.Background()
	const member = "222222222222"
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		save := func(account string, mfa int, at time.Time) {
			t.Helper()
			p := &store.PostureSnapshot{AccountID: account, TakenAt: at, ReportAt: at, ConsoleUsers: 4, ConsoleMFA: mfa, Detail: `{"mfa":` + string(rune('0'+mfa)) + `}`}
			if err := s.SavePostureSnapshot(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		save("", 1, t0) // recorded before accounts existed
		if err := s.EnsureHubAccount(ctx, hubID, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.AddAccount(ctx, &portal.Account{ID: member, CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LatestPostureSnapshot(ctx, member); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("member before its first snapshot: %v", err)
		}
		save(member, 2, t0.Add(time.Hour))
		save(hubID, 3, t0.Add(2*time.Hour))
		save(member, 4, t0.Add(3*time.Hour))

		hub, err := s.LatestPostureSnapshot(ctx, "")
		if err != nil || hub.AccountID != hubID || hub.ConsoleMFA != 3 || hub.Detail != `{"mfa":3}` {
			t.Fatalf("hub latest = %+v, %v", hub, err)
		}
		m, err := s.LatestPostureSnapshot(ctx, member)
		if err != nil || m.AccountID != member || m.ConsoleMFA != 4 || m.Detail != `{"mfa":4}` {
			t.Fatalf("member latest = %+v, %v", m, err)
		}
		trend, err := s.PostureSnapshotsSince(ctx, hubID, time.Time{})
		if err != nil || len(trend) != 2 || trend[0].ConsoleMFA != 1 || trend[0].AccountID != hubID || trend[1].ConsoleMFA != 3 {
			t.Fatalf("hub trend (the old row included) = %+v, %v", trend, err)
		}
		if trend, _ := s.PostureSnapshotsSince(ctx, member, time.Time{}); len(trend) != 2 || trend[0].ConsoleMFA != 2 {
			t.Fatalf("member trend = %+v", trend)
		}
	})
}

// Snapshots recorded before migration 26 stay, as the hub account's.
func TestPostureMigrationKeepsSnapshots(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t, "sqlite")
	db := storetest.MigratedTo(t, "sqlite", dsn, 25)
	if _, err := db.Exec(`INSERT INTO posture_snapshots (id, taken_at, console_users, console_mfa, detail) VALUES (5, 1000, 4, 3, '{}')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := storetest.Open(t, "sqlite", dsn)
	if err := s.EnsureHubAccount(ctx, hubID, t0); err != nil {
		t.Fatal(err)
	}
	last, err := s.LatestPostureSnapshot(ctx, hubID)
	if err != nil || last.ID != 5 || last.AccountID != hubID || last.ConsoleMFA != 3 || last.Detail != "{}" {
		t.Fatalf("after the migration: %+v, %v", last, err)
	}
}

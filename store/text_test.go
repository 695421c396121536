package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// Texts for people are kept as a message key with arguments, on every
// engine, and come back as such (integers as integers, nested messages as
// messages); a row written before (a sentence in the old column) keeps its
// sentence and no message.
func TestKeptTextsRoundTrip(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, engine)
			s := storetest.Open(t, engine, dsn)
			want := portal.T("audit.offboard.failed", []portal.Text{portal.T("offboard.step.key", "AKIA1")},
				portal.T("offboard.step.user"), portal.T("err.iam.problem", "Boom"))
			e := &portal.AuditEvent{At: t0, Actor: "admin", Action: "user.offboard.failed", TargetKind: portal.TargetUser, Target: "bob", Text: want}
			if err := s.CreateAuditEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
			run := &store.SyncRun{StartedAt: t0, FinishedAt: t0, Source: "manual", OK: true, Text: portal.T("sync.summary", 3, 1, 1, 0, 0, 2)}
			if err := s.CreateSyncRun(ctx, run); err != nil {
				t.Fatal(err)
			}

			// An event of an older version: only the sentence.
			db, err := sql.Open(map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[engine], dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.ExecContext(ctx, `INSERT INTO audit_events (at, actor, action, target, detail, request_id) VALUES (1, 'admin', 'user.onboard', 'old', 'IAM user created', '')`); err != nil {
				t.Fatal(err)
			}

			events, err := s.FindAuditEvents(ctx, portal.AuditFilter{})
			if err != nil || len(events) != 2 {
				t.Fatalf("events = %v, %v", events, err)
			}
			byTarget := map[string]*portal.AuditEvent{events[0].Target: events[0], events[1].Target: events[1]}
			if got := byTarget["bob"]; fmt.Sprintf("%#v", got.Text) != fmt.Sprintf("%#v", want) || got.Detail != "" {
				t.Errorf("kept event detail:\n got %#v (%q)\nwant %#v", got.Text, got.Detail, want)
			}
			if got := byTarget["old"]; !got.Text.IsZero() || got.Detail != "IAM user created" {
				t.Errorf("older event: text %#v, detail %q", got.Text, got.Detail)
			}
			last, err := s.LastSyncRun(ctx)
			if err != nil || fmt.Sprintf("%#v", last.Text) != fmt.Sprintf("%#v", portal.T("sync.summary", int64(3), int64(1), int64(1), int64(0), int64(0), int64(2))) {
				t.Errorf("sync run text = %#v, %v", last, err)
			}
		})
	}
}

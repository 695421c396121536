package store_test

import (
	"context"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store/storetest"
)

// Events written before target kinds existed get theirs from their action
// when the database is upgraded, despite the log's append-only triggers;
// the triggers hold again afterwards.
func TestAuditTargetKindsOfOlderEvents(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, engine)
			db := storetest.MigratedTo(t, engine, dsn, 13)
			want := map[string]string{"operator.signin": portal.TargetOperator, "apitoken.create": portal.TargetOperator,
				"policy.publish": portal.TargetPolicy, "bulk.download": portal.TargetJob, "mfa.device.delete.refused": portal.TargetDevice,
				"user.onboard": portal.TargetUser, "invite.claim": portal.TargetUser}
			for action := range want {
				q := `INSERT INTO audit_events (at, actor, action, target, detail, request_id) VALUES (1, 'a', '` + action + `', 'bob', '', '')`
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			s := storetest.Open(t, engine, dsn)
			events, err := s.FindAuditEvents(ctx, portal.AuditFilter{Target: "bob"})
			if err != nil || len(events) != len(want) {
				t.Fatalf("%d events, %v", len(events), err)
			}
			for _, e := range events {
				if e.TargetKind != want[e.Action] {
					t.Errorf("%s: kind %q, want %q", e.Action, e.TargetKind, want[e.Action])
				}
			}
			if _, err := s.DB().ExecContext(ctx, `UPDATE audit_events SET target_kind = 'user'`); err == nil {
				t.Fatal("the audit log took an UPDATE after the upgrade")
			}
			if err := s.CreateAuditEvent(ctx, &portal.AuditEvent{Actor: "a", Action: "x", Target: "bob"}); err == nil {
				t.Fatal("an event without a target kind was recorded")
			}
		})
	}
}

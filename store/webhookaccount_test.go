package store_test

import (
	"context"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// accountsOfDeliveries returns the account of each delivery of endpoint
// 1, by subject kind and subject.
func accountsOfDeliveries(t *testing.T, s *store.Store) map[string]string {
	t.Helper()
	ds, err := s.FindWebhookDeliveries(context.Background(), 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, d := range ds {
		out[d.SubjectKind+":"+d.Subject] = d.AccountID
	}
	return out
}

// Deliveries queued before deliveries named their account are kept by the
// upgrade: those about users get the hub's ID when the portal had recorded
// it (otherwise none, which the payload reads as the hub's), those about
// other subjects none. A delivery queued after names the account of its
// audit event.
func TestWebhookDeliveryAccountOfOlderDeliveries(t *testing.T) {
	const hub, member = "111111111111", "222222222222"
	older := []string{
		`INSERT INTO webhook_endpoints (url, events, secret_sealed, enabled, created_at, updated_at) VALUES ('https://hooks.example/x', 'user.mfa_reset,bulk.finished', 'sealed', 1, 1, 1)`,
		`INSERT INTO webhook_deliveries (endpoint_id, msg_id, event_type, event_at, actor, subject_kind, subject, display_name, state, attempts, status_code, created_at, updated_at, delivered_at)
			VALUES (1, 'msg_1', 'user.mfa_reset', 1, 'a', 'user', 'bob', 'Bob', 'enrolled', 1, 204, 1, 2, 2)`,
		`INSERT INTO webhook_deliveries (endpoint_id, msg_id, event_type, event_at, actor, subject_kind, subject, done_count, created_at, updated_at)
			VALUES (1, 'msg_2', 'bulk.finished', 3, 'a', 'job', '7', 4, 3, 3)`,
	}
	for _, engine := range storetest.Engines(t) {
		t.Run(engine+"/hub known", func(t *testing.T) {
			ctx := context.Background()
			db, dsn := upTo(t, engine, 28)
			for _, q := range append([]string{`INSERT INTO accounts (account_id, hub, created_at) VALUES ('` + hub + `', 1, 1)`,
				`INSERT INTO accounts (account_id, hub, created_at) VALUES ('` + member + `', 0, 1)`}, older...) {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			s := storetest.Open(t, engine, dsn)
			if got := accountsOfDeliveries(t, s); len(got) != 2 || got["user:bob"] != hub || got["job:7"] != "" {
				t.Errorf("accounts after the upgrade: %v", got)
			}
			d, err := s.FindWebhookDelivery(ctx, 1)
			if err != nil || d.MsgID != "msg_1" || d.DisplayName != "Bob" || d.Attempts != 1 || d.StatusCode != 204 || d.DeliveredAt.IsZero() {
				t.Errorf("the older delivery after the upgrade: %+v, %v", d, err)
			}
		})
		t.Run(engine+"/hub not known yet", func(t *testing.T) {
			ctx := context.Background()
			db, dsn := upTo(t, engine, 28)
			for _, q := range older {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			s := storetest.Open(t, engine, dsn)
			if err := s.EnsureHubAccount(ctx, hub, t0); err != nil {
				t.Fatal(err)
			}
			for _, e := range []*portal.AuditEvent{
				{At: t0, Actor: "a", Action: "mfa.reset", TargetKind: portal.TargetUser, Target: "carol", AccountID: member},
				{At: t0, Actor: "a", Action: "mfa.reset", TargetKind: portal.TargetUser, Target: "dana", AccountID: hub},
				{At: t0, Actor: "a", Action: "bulk.finish", TargetKind: portal.TargetJob, Target: "8"},
			} {
				if err := s.CreateAuditEvent(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			want := map[string]string{"user:bob": "", "job:7": "", "user:carol": member, "user:dana": hub, "job:8": ""}
			got := accountsOfDeliveries(t, s)
			if len(got) != len(want) {
				t.Fatalf("deliveries: %v, want %v", got, want)
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("delivery %s: account %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

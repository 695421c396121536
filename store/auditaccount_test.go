package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// upTo returns a database of engine migrated up to version, and its DSN.
func upTo(t *testing.T, engine string, version int64) (*sql.DB, string) {
	t.Helper()
	dsn := storetest.DSN(t, engine)
	return storetest.MigratedTo(t, engine, dsn, version), dsn
}

// accountsOf returns the account of each event about target, by action.
func accountsOf(t *testing.T, s *store.Store, f portal.AuditFilter) map[string]string {
	t.Helper()
	events, err := s.FindAuditEvents(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range events {
		out[e.Action] = e.AccountID
	}
	return out
}

// Events about IAM users recorded before events named their account are
// the hub's: the upgrade writes the hub's ID in them when the portal had
// recorded it (and the log is append-only again afterwards); otherwise
// they keep none and the store reads them as the hub's. Events about
// other targets have no account.
func TestAuditAccountOfOlderEvents(t *testing.T) {
	const hub, member = "111111111111", "222222222222"
	for _, engine := range storetest.Engines(t) {
		t.Run(engine+"/hub known", func(t *testing.T) {
			ctx := context.Background()
			db, dsn := upTo(t, engine, 27)
			for _, q := range []string{
				`INSERT INTO accounts (account_id, hub, created_at) VALUES ('` + hub + `', 1, 1)`,
				`INSERT INTO accounts (account_id, hub, created_at) VALUES ('` + member + `', 0, 1)`,
				`INSERT INTO audit_events (at, actor, action, target_kind, target, detail, request_id) VALUES (1, 'a', 'user.onboard', 'user', 'bob', '', '')`,
				`INSERT INTO audit_events (at, actor, action, target_kind, target, detail, request_id) VALUES (2, 'a', 'operator.signin', 'operator', 'bob', '', '')`,
			} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			s := storetest.Open(t, engine, dsn)
			if got := accountsOf(t, s, portal.AuditFilter{Target: "bob"}); got["user.onboard"] != hub || got["operator.signin"] != "" || len(got) != 2 {
				t.Errorf("accounts after the upgrade: %v", got)
			}
			if _, err := s.DB().ExecContext(ctx, `UPDATE audit_events SET account_id = '`+member+`'`); err == nil {
				t.Fatal("the audit log took an UPDATE after the upgrade")
			}
			if got := accountsOf(t, s, portal.AuditFilter{Target: "bob", Account: member}); len(got) != 0 {
				t.Errorf("the member's events: %v", got)
			}
		})
		t.Run(engine+"/hub not known yet", func(t *testing.T) {
			ctx := context.Background()
			db, dsn := upTo(t, engine, 27)
			if _, err := db.ExecContext(ctx, `INSERT INTO audit_events (at, actor, action, target_kind, target, detail, request_id)
				VALUES (1, 'a', 'user.onboard', 'user', 'bob', '', '')`); err != nil {
				t.Fatal(err)
			}
			s := storetest.Open(t, engine, dsn)
			if err := s.EnsureHubAccount(ctx, hub, t0); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DB().ExecContext(ctx, `INSERT INTO accounts (account_id, hub, created_at) VALUES ('`+member+`', 0, 1)`); err != nil {
				t.Fatal(err)
			}
			for _, e := range []*portal.AuditEvent{
				{At: t0, Actor: "a", Action: "mfa.reset", TargetKind: portal.TargetUser, Target: "bob", AccountID: member},
				{At: t0, Actor: "a", Action: "invite.resend", TargetKind: portal.TargetUser, Target: "bob", AccountID: hub},
				{At: t0, Actor: "a", Action: "operator.signin", TargetKind: portal.TargetOperator, Target: "bob"},
			} {
				if err := s.CreateAuditEvent(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			got := accountsOf(t, s, portal.AuditFilter{TargetKind: portal.TargetUser, Target: "bob", Account: hub})
			if _, ok := got["user.onboard"]; !ok || got["invite.resend"] != hub || len(got) != 2 {
				t.Errorf("the hub's bob: %v", got)
			}
			if got := accountsOf(t, s, portal.AuditFilter{Target: "bob", Account: member}); got["mfa.reset"] != member || len(got) != 1 {
				t.Errorf("the member's bob: %v", got)
			}
			if got := accountsOf(t, s, portal.AuditFilter{Target: "bob"}); len(got) != 4 {
				t.Errorf("every account: %v", got)
			}
		})
	}
}

// A webhook delivery about a user describes the user of the event's
// account, not another account's user of the same name.
func TestWebhookDeliveryDescribesTheUserOfTheEventsAccount(t *testing.T) {
	const hub, member = "111111111111", "222222222222"
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.EnsureHubAccount(ctx, hub, t0); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*portal.User{
			{AccountID: hub, UserName: "dana", DisplayName: "Dana of the hub", State: portal.StateInvited, CreatedAt: t0, UpdatedAt: t0},
			{AccountID: member, UserName: "dana", DisplayName: "Dana of the member", State: portal.StateEnrolled, CreatedAt: t0, UpdatedAt: t0},
		} {
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		ep := &store.WebhookEndpoint{URL: "https://hooks.example/x", Events: []string{portal.EventUserMFAReset}, SecretSealed: []byte("sealed"), Enabled: true, CreatedAt: t0, UpdatedAt: t0}
		if err := s.CreateWebhookEndpoint(ctx, ep); err != nil {
			t.Fatal(err)
		}
		for _, acct := range []string{member, hub} {
			if err := s.CreateAuditEvent(ctx, &portal.AuditEvent{At: t0, Actor: "a", Action: "mfa.reset", TargetKind: portal.TargetUser,
				Target: "dana", AccountID: acct}); err != nil {
				t.Fatal(err)
			}
		}
		ds, err := s.FindWebhookDeliveries(ctx, ep.ID, 10)
		if err != nil || len(ds) != 2 {
			t.Fatalf("%d deliveries, %v", len(ds), err)
		}
		var got []string
		for _, d := range ds {
			got = append(got, d.DisplayName+"/"+d.State)
		}
		// Newest first: the hub's event, then the member's.
		if got[0] != "Dana of the hub/invited" || got[1] != "Dana of the member/enrolled" {
			t.Errorf("deliveries describe %q", got)
		}
	})
}

package webhook_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/store/storetest"
	"github.com/gatehouse/portal/webhook"
)

// A delivery's data.account is the account of the event it reports: a
// member account's user's event names the member account, a hub user's
// the hub, and an event about no account (the policy, a bulk job) the hub
// as before — even when the hub and the member both have a "dana".
func TestPayloadNamesTheAccountOfTheEvent(t *testing.T) {
	const hub, member = "123456789012", "210987654321" // hub: the fixture's
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, engine, true)
			rc := newReceiver(t)
			ep, secret, err := f.svc.Create(ctx, f.admin, webhook.Registration{URL: rc.srv.URL + "/hook",
				Events: []string{portal.EventUserEnrolled, portal.EventPolicyDrift, portal.EventBulkFinished}})
			if err != nil {
				t.Fatal(err)
			}
			rc.mu.Lock()
			rc.secret = secret
			rc.mu.Unlock()
			for _, u := range []*portal.User{
				{AccountID: member, UserName: "dana", DisplayName: "Dana of the member", State: portal.StateEnrolled, CreatedAt: time.Now()},
				{AccountID: hub, UserName: "dana", DisplayName: "Dana of the hub", State: portal.StateEnrolled, CreatedAt: time.Now()},
			} {
				if err := f.st.CreateUser(ctx, u); err != nil {
					t.Fatal(err)
				}
			}
			f.audit.Record(ctx, portal.AuditEvent{Actor: "invitee:dana", Action: "mfa.enable", TargetKind: portal.TargetUser, Target: "dana", AccountID: member})
			f.audit.Record(ctx, portal.AuditEvent{Actor: "invitee:dana", Action: "mfa.enable", TargetKind: portal.TargetUser, Target: "dana", AccountID: hub})
			f.audit.Record(ctx, portal.AuditEvent{Actor: "admin", Action: "policy.drift", TargetKind: portal.TargetPolicy, Target: "forced-mfa"})
			f.audit.Record(ctx, portal.AuditEvent{Actor: "admin", Action: "bulk.finish", TargetKind: portal.TargetJob, Target: "7"})

			eventually.True(t, 10*time.Second, 5*time.Millisecond, "every delivery taken", func() bool {
				n := 0
				for _, d := range f.deliveries(t, ep.ID) {
					if !d.DeliveredAt.IsZero() {
						n++
					}
				}
				return n == 4
			})
			got := map[string]string{} // what the payload is about → its data.account
			for _, r := range rc.requests() {
				var p struct {
					Type string `json:"type"`
					Data struct {
						Account string `json:"account"`
						User    *struct {
							DisplayName string `json:"display_name"`
						} `json:"user"`
					} `json:"data"`
				}
				if err := json.Unmarshal(r.body, &p); err != nil {
					t.Fatal(err)
				}
				key := p.Type
				if p.Data.User != nil {
					key = p.Data.User.DisplayName
				}
				got[key] = p.Data.Account
			}
			want := map[string]string{"Dana of the member": member, "Dana of the hub": hub,
				portal.EventPolicyDrift: hub, portal.EventBulkFinished: hub}
			if len(got) != len(want) {
				t.Fatalf("payloads: %v, want %v", got, want)
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("the payload of %q names account %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

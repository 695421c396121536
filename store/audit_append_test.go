package store_test

import (
	"context"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// The audit log is append-only from the application's side: the Store has
// no method that changes or deletes events, and the database refuses it.
func TestAuditLogIsAppendOnly(t *testing.T) {
	mutator := regexp.MustCompile(`^(Update|Delete|Remove|Purge|Edit|Set|Clear|Truncate).*Audit`)
	typ := reflect.TypeOf(&store.Store{})
	for i := 0; i < typ.NumMethod(); i++ {
		if name := typ.Method(i).Name; mutator.MatchString(name) {
			t.Errorf("store.Store has %s: the audit log must be append-only", name)
		}
	}
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		e := &portal.AuditEvent{At: t0, Actor: "admin", Action: "user.onboard", TargetKind: portal.TargetUser, Target: "test"}
		if err := s.CreateAuditEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().ExecContext(ctx, `UPDATE audit_events SET actor = 'mallory'`); err == nil {
			t.Error("the database let an audit event be changed")
		}
		if _, err := s.DB().ExecContext(ctx, `DELETE FROM audit_events`); err == nil {
			t.Error("the database let an audit event be deleted")
		}
		got, err := s.FindAuditEvents(ctx, portal.AuditFilter{Since: t0, Until: t0.Add(time.Second)})
		if err != nil || len(got) != 1 || got[0].Actor != "admin" {
			t.Fatalf("events %v, %v", got, err)
		}
		if got, _ := s.FindAuditEvents(ctx, portal.AuditFilter{Since: t0.Add(time.Second)}); len(got) != 0 {
			t.Fatalf("time filter let %d events through", len(got))
		}
	})
}

package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatehouse/portal"
)

// An admin cannot disable their own account, even with another admin
// active (the operators page offers no such button either); the other
// admin can, and the account stays enabled after the refused attempt.
func TestAdminCannotDisableThemselves(t *testing.T) {
	s := newTestService(t, "sqlite", 1)
	ctx := context.Background()
	alice, err := s.cfg.Store.FindOperatorByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	bob := &portal.Operator{Username: "bob", PasswordHash: alice.PasswordHash, TOTPSecretEnc: alice.TOTPSecretEnc, Role: portal.RoleAdmin, CreatedAt: time.Now()}
	if err := s.cfg.Store.CreateOperator(ctx, bob); err != nil {
		t.Fatal(err)
	}
	err = s.SetDisabled(ctx, Caller{Operator: alice}, alice, true)
	var pe *portal.Error
	if !errors.As(err, &pe) || pe.Code != portal.ECONFLICT || pe.Key != "err.operator.disable.self" {
		t.Fatalf("self-disable: %v, want ECONFLICT err.operator.disable.self", err)
	}
	if again, _ := s.cfg.Store.FindOperatorByID(ctx, alice.ID); !again.DisabledAt.IsZero() {
		t.Fatal("the refused self-disable disabled the account")
	}
	if err := s.SetDisabled(ctx, Caller{Operator: bob}, alice, true); err != nil {
		t.Fatalf("another admin disabling alice: %v", err)
	}
	if again, _ := s.cfg.Store.FindOperatorByID(ctx, alice.ID); again.DisabledAt.IsZero() {
		t.Fatal("another admin's disable did not take")
	}
}

package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

func newOperator(t *testing.T, s *store.Store, name string) *portal.Operator {
	t.Helper()
	op := &portal.Operator{Username: name, PasswordHash: "x", TOTPSecretEnc: []byte{1}, Role: portal.RoleAdmin, CreatedAt: t0}
	if err := s.CreateOperator(context.Background(), op); err != nil {
		t.Fatal(err)
	}
	return op
}

func newAPIToken(t *testing.T, s *store.Store, op *portal.Operator, name string) *store.APIToken {
	t.Helper()
	tok := &store.APIToken{OperatorID: op.ID, Name: name, TokenHash: "h-" + op.Username + "-" + name, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	if err := s.CreateAPIToken(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	return tok
}

// Tokens keep their expiry and kind; an operator revokes only their own,
// an admin's revoke (operator 0) any; "sign out everywhere" and a TOTP
// reset revoke every token of the operator with the sessions.
func TestAPITokenLifecycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ann, bob := newOperator(t, s, "ann"), newOperator(t, s, "bob")
		a1 := newAPIToken(t, s, ann, "a1")
		b1, b2 := newAPIToken(t, s, bob, "b1"), newAPIToken(t, s, bob, "b2")
		scim := &store.APIToken{OperatorID: bob.ID, Name: "s", Kind: store.TokenKindSCIM, TokenHash: "h-scim", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.CreateAPIToken(ctx, scim); err != nil {
			t.Fatal(err)
		}

		got, err := s.FindAPITokenByHash(ctx, a1.TokenHash)
		if err != nil || !got.ExpiresAt.Equal(t0.Add(time.Hour)) || got.Kind != store.TokenKindAPI || got.Operator != "ann" {
			t.Fatalf("round trip: %+v %v", got, err)
		}
		if got.Expired(t0.Add(59*time.Minute)) || !got.Expired(t0.Add(time.Hour)) {
			t.Fatal("Expired is wrong at the boundary")
		}
		if got, _ := s.FindAPITokenByHash(ctx, "h-scim"); got.Kind != store.TokenKindSCIM {
			t.Fatalf("kind %q", got.Kind)
		}
		all, err := s.FindAllAPITokens(ctx)
		if err != nil || len(all) != 4 || all[0].Operator != "ann" || all[1].Operator != "bob" {
			t.Fatalf("all tokens: %v %v", all, err)
		}

		if _, err := s.RevokeAPIToken(ctx, ann.ID, b1.ID, t0); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("ann revoked bob's token: %v", err)
		}
		if tok, err := s.RevokeAPIToken(ctx, 0, b1.ID, t0); err != nil || tok.Name != "b1" || tok.Operator != "bob" {
			t.Fatalf("admin revoke: %+v %v", tok, err)
		}
		if _, err := s.RevokeAPIToken(ctx, 0, b1.ID, t0); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("second revoke: %v", err)
		}

		sess := &portal.Session{IDHash: "sess-bob", OperatorID: bob.ID, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		n, err := s.EndOperatorAccess(ctx, bob.ID, t0)
		if err != nil || n != 2 {
			t.Fatalf("sign out everywhere revoked %d (%v), want b2 and the SCIM token", n, err)
		}
		if tok, _ := s.FindAPITokenByHash(ctx, b2.TokenHash); tok.RevokedAt.IsZero() {
			t.Fatal("b2 survived sign-out everywhere")
		}
		if _, err := s.FindSession(ctx, "sess-bob"); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("session survived: %v", err)
		}
		if tok, _ := s.FindAPITokenByHash(ctx, a1.TokenHash); !tok.RevokedAt.IsZero() {
			t.Fatal("another operator's token was revoked")
		}

		n, err = s.StartTOTPReset(ctx, &store.SetupToken{TokenHash: "reset-ann", OperatorID: ann.ID, Username: "ann", Role: portal.RoleAdmin, CreatedBy: "bob",
			CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)})
		if err != nil || n != 1 {
			t.Fatalf("TOTP reset revoked %d (%v)", n, err)
		}
		if tok, _ := s.FindAPITokenByHash(ctx, a1.TokenHash); tok.RevokedAt.IsZero() {
			t.Fatal("a1 survived the TOTP reset")
		}
	})
}

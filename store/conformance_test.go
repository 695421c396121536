package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

func newUser(t *testing.T, s *store.Store, name string) *portal.User {
	t.Helper()
	u := &portal.User{UserName: name, DisplayName: "D " + name, Email: name + "@example.com", State: portal.StateProvisioning,
		Deadline: t0.Add(7 * 24 * time.Hour), CreatedBy: "admin", CreatedAt: t0, UpdatedAt: t0}
	if err := s.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUsers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "Alice")
		t.Run("names are unique ignoring case", func(t *testing.T) {
			err := s.CreateUser(ctx, &portal.User{UserName: "alice", State: portal.StateProvisioning, CreatedAt: t0, UpdatedAt: t0})
			if got, want := portal.ErrorCode(err), portal.EINVALID; got != want {
				t.Fatalf("duplicate: code %q (%v), want %q", got, err, want)
			}
		})
		t.Run("find by name ignores case and round-trips every field", func(t *testing.T) {
			got, err := s.FindUserByName(ctx, "ALICE")
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != u.ID || got.UserName != "Alice" || got.Email != u.Email || !got.Deadline.Equal(u.Deadline) || got.State != portal.StateProvisioning {
				t.Fatalf("got %+v, want %+v", got, u)
			}
		})
		t.Run("advanced options round-trip and default to path /", func(t *testing.T) {
			adv := &portal.User{UserName: "pathy", Path: "/eng/", PasswordResetRequired: true, State: portal.StateProvisioning, CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateUser(ctx, adv); err != nil {
				t.Fatal(err)
			}
			got, _ := s.FindUserByName(ctx, "pathy")
			if got.Path != "/eng/" || !got.PasswordResetRequired {
				t.Fatalf("got path %q reset %v", got.Path, got.PasswordResetRequired)
			}
			if def, _ := s.FindUserByName(ctx, "alice"); def.Path != "/" || def.PasswordResetRequired {
				t.Fatalf("defaults: path %q reset %v", def.Path, def.PasswordResetRequired)
			}
		})
		t.Run("unknown users are not found", func(t *testing.T) {
			if _, err := s.FindUserByName(ctx, "nobody"); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("update changes only the given fields", func(t *testing.T) {
			st, serial, at := portal.StateEnrolled, "arn:aws:iam::1:mfa/Alice", t0.Add(time.Hour)
			if err := s.UpdateUser(ctx, u.ID, store.UserUpdate{State: &st, MFASerial: &serial, EnrolledAt: &at}, at); err != nil {
				t.Fatal(err)
			}
			got, _ := s.FindUserByID(ctx, u.ID)
			if got.State != st || got.MFASerial != serial || !got.EnrolledAt.Equal(at) || got.Email != u.Email {
				t.Fatalf("after update: %+v", got)
			}
		})
		t.Run("the IAM UserId round-trips, updates and finds its user", func(t *testing.T) {
			withID := &portal.User{UserName: "idd", IAMUserID: "AIDAEXAMPLE1", State: portal.StateInvited, CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateUser(ctx, withID); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.FindUserByName(ctx, "idd"); got.IAMUserID != "AIDAEXAMPLE1" {
				t.Fatalf("IAMUserID = %q", got.IAMUserID)
			}
			id := "AIDAEXAMPLE2"
			if err := s.UpdateUser(ctx, withID.ID, store.UserUpdate{IAMUserID: &id}, t0); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindUsers(ctx, portal.UserFilter{IAMUserID: id})
			if err != nil || len(got.Users) != 1 || got.Users[0].UserName != "idd" {
				t.Fatalf("find by IAM UserId: %v %v", got, err)
			}
			st := portal.StateOffboarded
			if err := s.UpdateUser(ctx, withID.ID, store.UserUpdate{State: &st}, t0); err != nil { // out of the way of later subtests
				t.Fatal(err)
			}
		})
		t.Run("filter by query and state", func(t *testing.T) {
			newUser(t, s, "bob")
			newUser(t, s, "carol")
			find := func(f portal.UserFilter) []*portal.User {
				t.Helper()
				p, err := s.FindUsers(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				return p.Users
			}
			if got := find(portal.UserFilter{Query: "CAR"}); len(got) != 1 || got[0].UserName != "carol" {
				t.Fatalf("query: %v", got)
			}
			if got := find(portal.UserFilter{States: []portal.State{portal.StateEnrolled}}); len(got) != 1 || got[0].UserName != "Alice" {
				t.Fatalf("state: %v", got)
			}
			if got := find(portal.UserFilter{Limit: 2}); len(got) != 2 || got[0].UserName != "Alice" || got[1].UserName != "bob" {
				t.Fatalf("limit and order: %v", got)
			}
		})
	})
}

func TestInvites(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "dan")
		first := &portal.Invite{UserID: u.ID, TokenHash: "h1", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.IssueInvite(ctx, first); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindUserByID(ctx, u.ID); got.State != portal.StateInvited {
			t.Fatalf("issuing an invite left state %q", got.State)
		}
		second := &portal.Invite{UserID: u.ID, TokenHash: "h2", CreatedAt: t0.Add(time.Minute), ExpiresAt: t0.Add(time.Hour)}
		if err := s.IssueInvite(ctx, second); err != nil {
			t.Fatal(err)
		}
		t.Run("a new invite revokes the older one", func(t *testing.T) {
			old, owner, err := s.FindInviteByHash(ctx, "h1")
			if err != nil || owner.ID != u.ID || owner.UserName != u.UserName {
				t.Fatalf("invite's user = %+v (%v), want %s", owner, err, u.UserName)
			}
			if old.RevokedAt.IsZero() {
				t.Fatal("old invite still valid")
			}
			if err := old.Claimable(t0.Add(2 * time.Minute)); portal.ErrorCode(err) != portal.EGONE {
				t.Fatalf("old invite claimable: %v", err)
			}
		})
		t.Run("an invite is claimed exactly once", func(t *testing.T) {
			cs := &portal.ClaimSession{IDHash: "c1", UserID: u.ID, InviteID: second.ID, CreatedAt: t0.Add(2 * time.Minute), ExpiresAt: t0.Add(time.Hour)}
			if err := s.ClaimInvite(ctx, second, cs); err != nil {
				t.Fatal(err)
			}
			again := &portal.ClaimSession{IDHash: "c2", UserID: u.ID, InviteID: second.ID, CreatedAt: t0.Add(3 * time.Minute), ExpiresAt: t0.Add(time.Hour)}
			if err := s.ClaimInvite(ctx, second, again); portal.ErrorCode(err) != portal.EGONE {
				t.Fatalf("second claim: %v", err)
			}
			got, err := s.FindClaimSession(ctx, "c1", t0.Add(4*time.Minute))
			if err != nil || got.UserID != u.ID {
				t.Fatalf("claim session: %+v %v", got, err)
			}
			if _, err := s.FindClaimSession(ctx, "c1", t0.Add(2*time.Hour)); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Fatalf("expired claim session found: %v", err)
			}
		})
		t.Run("a released claim can be claimed again", func(t *testing.T) {
			if err := s.ReleaseClaim(ctx, second, "c1"); err != nil {
				t.Fatal(err)
			}
			cs := &portal.ClaimSession{IDHash: "c3", UserID: u.ID, InviteID: second.ID, CreatedAt: t0.Add(5 * time.Minute), ExpiresAt: t0.Add(time.Hour)}
			if err := s.ClaimInvite(ctx, second, cs); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("an expired invite cannot be claimed", func(t *testing.T) {
			inv := &portal.Invite{UserID: u.ID, TokenHash: "h3", CreatedAt: t0, ExpiresAt: t0.Add(time.Minute)}
			s.IssueInvite(ctx, inv)
			cs := &portal.ClaimSession{IDHash: "c4", UserID: u.ID, InviteID: inv.ID, CreatedAt: t0.Add(time.Hour), ExpiresAt: t0.Add(2 * time.Hour)}
			if err := s.ClaimInvite(ctx, inv, cs); portal.ErrorCode(err) != portal.EGONE {
				t.Fatalf("err = %v", err)
			}
		})
	})
}

func TestSagaSteps(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "erin")
		s.StartStep(ctx, u.ID, "create_user", t0)
		s.FailStep(ctx, u.ID, "create_user", portal.T("err.iam.problem", "Boom"), t0)
		if st, _ := s.FindSteps(ctx, u.ID); fmt.Sprint(st["create_user"].LastErrorText) != fmt.Sprint(portal.T("err.iam.problem", "Boom")) {
			t.Fatalf("failed step keeps %+v", st["create_user"])
		}
		s.StartStep(ctx, u.ID, "create_user", t0)
		s.FinishStep(ctx, u.ID, "create_user", t0)
		steps, err := s.FindSteps(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := steps["create_user"]
		if got.Status != store.StepDone || got.Attempts != 2 || !got.LastErrorText.IsZero() {
			t.Fatalf("step = %+v, want done after 2 attempts without error", got)
		}
	})
}

func TestOperatorsAndSessions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.CreateSetupToken(ctx, &store.SetupToken{TokenHash: "st", CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		op := &portal.Operator{Username: "Admin", PasswordHash: "x", TOTPSecretEnc: []byte{1, 2, 3}, TOTPLastStep: 10, Role: portal.RoleAdmin, CreatedAt: t0}
		if err := s.CreateFirstAdmin(ctx, "st", op); err != nil {
			t.Fatal(err)
		}
		t.Run("the setup token works once", func(t *testing.T) {
			again := &portal.Operator{Username: "other", PasswordHash: "x", TOTPSecretEnc: []byte{1}, Role: portal.RoleAdmin, CreatedAt: t0}
			if err := s.CreateFirstAdmin(ctx, "st", again); portal.ErrorCode(err) != portal.EGONE {
				t.Fatalf("err = %v", err)
			}
			if n, _ := s.CountOperators(ctx); n != 1 {
				t.Fatalf("operators = %d", n)
			}
		})
		t.Run("operators are found ignoring case with their secret", func(t *testing.T) {
			got, err := s.FindOperatorByUsername(ctx, "admin")
			if err != nil || got.ID != op.ID || string(got.TOTPSecretEnc) != string(op.TOTPSecretEnc) || got.Role != portal.RoleAdmin {
				t.Fatalf("got %+v %v", got, err)
			}
		})
		t.Run("a TOTP step is accepted once and never an older one", func(t *testing.T) {
			if err := s.UseTOTPStep(ctx, op.ID, 11); err != nil {
				t.Fatal(err)
			}
			for _, step := range []int64{11, 10} {
				if err := s.UseTOTPStep(ctx, op.ID, step); portal.ErrorCode(err) != portal.ECONFLICT {
					t.Fatalf("step %d reused: %v", step, err)
				}
			}
		})
		t.Run("sessions are stored, touched and deleted", func(t *testing.T) {
			sess := &portal.Session{IDHash: "sh", OperatorID: op.ID, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(time.Hour)}
			if err := s.CreateSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
			s.TouchSession(ctx, "sh", t0.Add(time.Minute))
			got, err := s.FindSession(ctx, "sh")
			if err != nil || !got.LastSeenAt.Equal(t0.Add(time.Minute)) {
				t.Fatalf("got %+v %v", got, err)
			}
			s.DeleteSession(ctx, "sh")
			if _, err := s.FindSession(ctx, "sh"); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Fatalf("deleted session found: %v", err)
			}
		})
	})
}

func TestAuditLog(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for i, target := range []string{"a", "b", "a"} {
			e := &portal.AuditEvent{At: t0.Add(time.Duration(i) * time.Second), Actor: "admin", Action: "user.onboard", TargetKind: portal.TargetUser, Target: target, RequestID: "r"}
			if err := s.CreateAuditEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.FindAuditEvents(ctx, portal.AuditFilter{Target: "a"})
		if err != nil || len(got) != 2 || !got[0].At.After(got[1].At) {
			t.Fatalf("events for a: %v %v (want 2, newest first)", got, err)
		}
	})
}

func TestLeases(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		got := func(holder string, at time.Time) bool {
			t.Helper()
			ok, err := s.AcquireLease(ctx, "sync", holder, time.Minute, at)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !got("a", t0) {
			t.Fatal("a free lease was not granted")
		}
		if got("b", t0.Add(30*time.Second)) {
			t.Fatal("a held lease was granted to another holder")
		}
		if !got("a", t0.Add(30*time.Second)) {
			t.Fatal("the holder could not renew its lease")
		}
		if !got("b", t0.Add(2*time.Minute)) {
			t.Fatal("an expired lease was not taken over")
		}
		if err := s.ReleaseLease(ctx, "sync", "b"); err != nil {
			t.Fatal(err)
		}
		if !got("c", t0.Add(2*time.Minute)) {
			t.Fatal("a released lease was not granted")
		}
	})
}

package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// The invite claim in two steps: the claim, then the console password. A
// claim without the second step is interrupted until it is finished or a
// new invite replaces it.
func TestClaimSteps(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "fay")
		inv := &portal.Invite{UserID: u.ID, TokenHash: "fay1", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.IssueInvite(ctx, inv); err != nil {
			t.Fatal(err)
		}
		cs := &portal.ClaimSession{IDHash: "browser", UserID: u.ID, InviteID: inv.ID, CreatedAt: t0.Add(time.Minute), ExpiresAt: t0.Add(time.Hour)}
		if err := s.ClaimInvite(ctx, inv, cs); err != nil {
			t.Fatal(err)
		}
		interrupted := func() []string {
			t.Helper()
			page, err := s.FindUsers(ctx, portal.UserFilter{ClaimInterrupted: true})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, u := range page.Users {
				names = append(names, u.UserName)
			}
			return names
		}
		t.Run("a claim without a password is interrupted", func(t *testing.T) {
			got, err := s.FindClaimSession(ctx, "browser", t0.Add(2*time.Minute))
			if err != nil || !got.PasswordAt.IsZero() {
				t.Fatalf("session %+v (%v), want no password yet", got, err)
			}
			if names := interrupted(); len(names) != 1 || names[0] != "fay" {
				t.Fatalf("interrupted = %v, want [fay]", names)
			}
			if latest, _ := s.FindLatestInvite(ctx, u.ID); !latest.Interrupted() {
				t.Fatal("the invite does not say it was interrupted")
			}
		})
		t.Run("the password completes the claim", func(t *testing.T) {
			if err := s.SetPasswordSaved(ctx, "browser", t0.Add(2*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if err := s.RecordPassword(ctx, cs, t0.Add(3*time.Minute)); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindClaimSession(ctx, "browser", t0.Add(4*time.Minute))
			if err != nil || !got.PasswordAt.Equal(t0.Add(3*time.Minute)) || !got.SavedAt.IsZero() {
				t.Fatalf("session %+v (%v): want the password time and no confirmation for the new password", got, err)
			}
			if user, _ := s.FindUserByID(ctx, u.ID); user.State != portal.StateClaimed {
				t.Fatalf("state %q, want claimed", user.State)
			}
			if names := interrupted(); len(names) != 0 {
				t.Fatalf("interrupted = %v after the password", names)
			}
			// A second password keeps the claim's first time.
			if err := s.RecordPassword(ctx, cs, t0.Add(5*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.FindClaimSession(ctx, "browser", t0.Add(6*time.Minute)); !got.PasswordAt.Equal(t0.Add(3 * time.Minute)) {
				t.Fatalf("password time moved to %v", got.PasswordAt)
			}
			if err := s.SetPasswordSaved(ctx, "browser", t0.Add(6*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.FindClaimSession(ctx, "browser", t0.Add(7*time.Minute)); !got.SavedAt.Equal(t0.Add(6 * time.Minute)) {
				t.Fatalf("saved at %v", got.SavedAt)
			}
		})
		t.Run("a new invite ends the older setup sessions", func(t *testing.T) {
			next := &portal.Invite{UserID: u.ID, TokenHash: "fay2", CreatedAt: t0.Add(8 * time.Minute), ExpiresAt: t0.Add(2 * time.Hour)}
			if err := s.IssueInvite(ctx, next); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindClaimSession(ctx, "browser", t0.Add(9*time.Minute)); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Fatalf("old session after a new invite: %v", err)
			}
			// The same browser claims the new invite under the same ID.
			again := &portal.ClaimSession{IDHash: "browser", UserID: u.ID, InviteID: next.ID, CreatedAt: t0.Add(10 * time.Minute), ExpiresAt: t0.Add(time.Hour)}
			if err := s.ClaimInvite(ctx, next, again); err != nil {
				t.Fatal(err)
			}
			if names := interrupted(); len(names) != 1 {
				t.Fatalf("interrupted = %v: the newest invite's claim is interrupted", names)
			}
		})
		t.Run("a browser's claim of another invite replaces its session", func(t *testing.T) {
			g := newUser(t, s, "gus")
			inv := &portal.Invite{UserID: g.ID, TokenHash: "gus1", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
			if err := s.IssueInvite(ctx, inv); err != nil {
				t.Fatal(err)
			}
			cs := &portal.ClaimSession{IDHash: "browser", UserID: g.ID, InviteID: inv.ID, CreatedAt: t0.Add(11 * time.Minute), ExpiresAt: t0.Add(time.Hour)}
			if err := s.ClaimInvite(ctx, inv, cs); err != nil {
				t.Fatal(err)
			}
			if got, err := s.FindClaimSession(ctx, "browser", t0.Add(12*time.Minute)); err != nil || got.UserID != g.ID {
				t.Fatalf("session %+v (%v), want gus's", got, err)
			}
		})
	})
}

package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// RecordOffboarded closes a user's record in one write: its unclaimed
// invites revoked, the user offboarded without an MFA serial, the records of
// the devices the offboarding deleted dropped (and only those).
func TestRecordOffboarded(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "olga")
		serial, leftover := "arn:aws:iam::1:mfa/olga", "arn:aws:iam::1:mfa/olga-0a1b2c"
		for _, d := range []string{serial, leftover} {
			if err := s.CreateDevice(ctx, store.CreatedDevice{Serial: d, UserID: u.ID, CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordEnrollment(ctx, u.ID, "arn:aws:iam::1:mfa/olga-hw", "", t0); err != nil {
			t.Fatal(err)
		}
		inv := &portal.Invite{UserID: u.ID, TokenHash: "olga1", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.IssueInvite(ctx, inv); err != nil {
			t.Fatal(err)
		}

		if err := s.RecordOffboarded(ctx, u.ID+1000, []string{serial}, t0); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("offboarding no record: %v, want ENOTFOUND", err)
		}
		if latest, _ := s.FindLatestInvite(ctx, u.ID); !latest.RevokedAt.IsZero() {
			t.Fatal("a failed offboarding revoked the invite")
		}

		at := t0.Add(time.Minute)
		if err := s.RecordOffboarded(ctx, u.ID, []string{serial}, at); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindUserByID(ctx, u.ID)
		if err != nil || got.State != portal.StateOffboarded || got.MFASerial != "" || !got.UpdatedAt.Equal(at) {
			t.Fatalf("user = %+v (%v), want offboarded without a serial", got, err)
		}
		if latest, _ := s.FindLatestInvite(ctx, u.ID); !latest.RevokedAt.Equal(at) {
			t.Fatalf("invite = %+v, want revoked at %v", latest, at)
		}
		if devs, _ := s.FindDevices(ctx); len(devs) != 1 || devs[leftover].Serial != leftover {
			t.Fatalf("device records = %+v, want only the one not deleted", devs)
		}
	})
}

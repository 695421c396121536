package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

func TestCreatedDevices(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "dev")
		for _, serial := range []string{"arn:aws:iam::1:mfa/dev", "arn:aws:iam::1:mfa/dev-0a1b2c", "arn:aws:iam::1:mfa/dev"} {
			if err := s.CreateDevice(ctx, store.CreatedDevice{Serial: serial, UserID: u.ID, CreatedAt: t0}); err != nil {
				t.Fatalf("record %s: %v", serial, err)
			}
		}
		got, err := s.FindDevices(ctx)
		if err != nil || len(got) != 2 || got["arn:aws:iam::1:mfa/dev"].UserID != u.ID || !got["arn:aws:iam::1:mfa/dev"].CreatedAt.Equal(t0) {
			t.Fatalf("devices = %+v, %v", got, err)
		}
		if err := s.DeleteDevices(ctx, "arn:aws:iam::1:mfa/dev", "arn:aws:iam::1:mfa/never"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindDevices(ctx); len(got) != 1 {
			t.Fatalf("after delete: %+v", got)
		}
		if err := s.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.FindDevices(ctx); len(got) != 0 {
			t.Fatalf("devices of a deleted record are kept: %+v", got)
		}
	})
}

// RecordEnrollment makes the three records of an enabled device in one
// write: the user enrolled with it, the device no longer one of Gatehouse's
// waiting ones, the setup session no longer waiting for it. For a record
// that is gone it changes nothing.
func TestRecordEnrollment(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "eve")
		serial, other := "arn:aws:iam::1:mfa/eve", "arn:aws:iam::1:mfa/eve-0a1b2c"
		for _, d := range []string{serial, other} {
			if err := s.CreateDevice(ctx, store.CreatedDevice{Serial: d, UserID: u.ID, CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		inv := &portal.Invite{UserID: u.ID, TokenHash: "eve1", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.IssueInvite(ctx, inv); err != nil {
			t.Fatal(err)
		}
		cs := &portal.ClaimSession{IDHash: "eve-browser", UserID: u.ID, InviteID: inv.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		if err := s.ClaimInvite(ctx, inv, cs); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPendingSerial(ctx, cs.IDHash, serial); err != nil {
			t.Fatal(err)
		}

		if err := s.RecordEnrollment(ctx, u.ID+1000, serial, cs.IDHash, t0.Add(time.Minute)); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("enrollment of no record: %v, want ENOTFOUND", err)
		}
		if devs, _ := s.FindDevices(ctx); len(devs) != 2 {
			t.Fatalf("a failed enrollment dropped device records: %+v", devs)
		}
		if got, _ := s.FindClaimSession(ctx, cs.IDHash, t0.Add(time.Minute)); got.PendingSerial != serial {
			t.Fatalf("a failed enrollment cleared the pending serial: %+v", got)
		}

		at := t0.Add(2 * time.Minute)
		if err := s.RecordEnrollment(ctx, u.ID, serial, cs.IDHash, at); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindUserByID(ctx, u.ID)
		if err != nil || got.State != portal.StateEnrolled || got.MFASerial != serial || !got.EnrolledAt.Equal(at) || !got.UpdatedAt.Equal(at) {
			t.Fatalf("user = %+v (%v), want enrolled with %s at %v", got, err, serial, at)
		}
		if devs, _ := s.FindDevices(ctx); len(devs) != 1 || devs[other].Serial != other {
			t.Fatalf("device records = %+v, want only the other one", devs)
		}
		if got, _ := s.FindClaimSession(ctx, cs.IDHash, at); got.PendingSerial != "" {
			t.Fatalf("pending serial = %q, want none", got.PendingSerial)
		}
		// Without a setup session (a device found by the status sync).
		if err := s.RecordEnrollment(ctx, u.ID, other, "", at); err != nil {
			t.Fatal(err)
		}
		if devs, _ := s.FindDevices(ctx); len(devs) != 0 {
			t.Fatalf("device records = %+v, want none", devs)
		}
	})
}

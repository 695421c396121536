package store_test

import (
	"context"
	"testing"

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

package store_test

import (
	"context"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// UpdateAccount saves a member's name, role and external ID; the hub keeps
// its empty role and external ID whatever it is given; an unknown account
// is not found.
func TestUpdateAccount(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.EnsureHubAccount(ctx, hubID, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.AddAccount(ctx, &portal.Account{ID: memberID, RoleARN: "arn:aws:iam::222222222222:role/A", ExternalID: "ext-1", CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateAccount(ctx, &portal.Account{ID: memberID, Name: "prod", RoleARN: "arn:aws:iam::222222222222:role/B", ExternalID: "ext-2"}); err != nil {
			t.Fatal(err)
		}
		if a, _ := s.FindAccount(ctx, memberID); a.Name != "prod" || a.RoleARN != "arn:aws:iam::222222222222:role/B" || a.ExternalID != "ext-2" {
			t.Errorf("member after the edit: %+v", a)
		}
		if err := s.UpdateAccount(ctx, &portal.Account{ID: hubID, Name: "main", RoleARN: "arn:aws:iam::111111111111:role/X", ExternalID: "x"}); err != nil {
			t.Fatal(err)
		}
		if a, _ := s.FindAccount(ctx, hubID); a.Name != "main" || a.RoleARN != "" || a.ExternalID != "" || !a.Hub {
			t.Errorf("hub after the edit: %+v", a)
		}
		if err := s.UpdateAccount(ctx, &portal.Account{ID: "999999999999"}); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Errorf("an unknown account: %v", err)
		}
	})
}

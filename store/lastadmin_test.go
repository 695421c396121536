package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// Two admins disabling each other at the same moment: the check and the
// write share one transaction, so one of them stays an active admin.
func TestTwoAdminsCannotDisableEachOther(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, engine, storetest.DSN(t, engine))
			var ids []int64
			for _, name := range []string{"ann", "ben"} {
				op := &portal.Operator{Username: name, PasswordHash: "h", TOTPSecretEnc: []byte("sealed"), Role: portal.RoleAdmin, CreatedAt: time.Now()}
				if err := s.CreateOperator(ctx, op); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, op.ID)
			}
			for round := range 10 {
				now := time.Now()
				errs := make([]error, 2)
				var wg sync.WaitGroup
				for i, id := range ids {
					wg.Go(func() { errs[i] = s.UpdateOperator(ctx, id, store.OperatorUpdate{DisabledAt: &now}) })
				}
				wg.Wait()
				active := 0
				for _, id := range ids {
					op, err := s.FindOperatorByID(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if op.DisabledAt.IsZero() {
						active++
					}
				}
				if active != 1 {
					t.Fatalf("round %d: %d active admins after both disabled each other (errors %v)", round, active, errs)
				}
				// Enable both again for the next round.
				zero := time.Time{}
				for _, id := range ids {
					if err := s.UpdateOperator(ctx, id, store.OperatorUpdate{DisabledAt: &zero}); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}

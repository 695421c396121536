package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// A recovery code works once, even under parallel use; a new set replaces
// every earlier code.
func TestRecoveryCodesAreSingleUse(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ann, bob := newOperator(t, s, "ann"), newOperator(t, s, "bob")
		if err := s.ReplaceRecoveryCodes(ctx, ann.ID, []string{"h1", "h2", "h3"}, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UseRecoveryCode(ctx, bob.ID, "h1", t0); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("bob used ann's code: %v", err)
		}
		var ok atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.UseRecoveryCode(ctx, ann.ID, "h1", t0); err == nil {
					ok.Add(1)
				} else if portal.ErrorCode(err) != portal.ENOTFOUND {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 {
			t.Fatalf("the code worked %d times under parallel use", ok.Load())
		}
		if left, err := s.UseRecoveryCode(ctx, ann.ID, "h2", t0); err != nil || left != 1 {
			t.Fatalf("left %d, %v", left, err)
		}
		if err := s.ReplaceRecoveryCodes(ctx, ann.ID, []string{"n1", "n2"}, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UseRecoveryCode(ctx, ann.ID, "h3", t0); portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("an old code survived the new set: %v", err)
		}
		if n, err := s.CountRecoveryCodes(ctx, ann.ID); err != nil || n != 2 {
			t.Fatalf("count %d, %v", n, err)
		}
	})
}

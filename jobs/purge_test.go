package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// The runner's periodic purge deletes Idempotency-Key records older than a
// day and keeps younger ones.
func TestIdempotencyKeysOlderThanADayArePurged(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, engine, storetest.DSN(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			now := time.Now()
			op := &portal.Operator{Username: "ops", PasswordHash: "x", TOTPSecretEnc: []byte("x"), Role: portal.RoleAdmin, CreatedAt: now}
			if err := st.CreateOperator(ctx, op); err != nil {
				t.Fatal(err)
			}
			for key, age := range map[string]time.Duration{"old": 25 * time.Hour, "young": 23 * time.Hour} {
				if _, _, err := st.ClaimIdempotencyKey(ctx, op.ID, key, "h", now.Add(-age), now.Add(-48*time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
			jobs.PurgeIdempotencyKeys(st, 24*time.Hour, quiet, func() time.Time { return now }).Run(ctx)
			// A claim that expires nothing itself tells whether the row is
			// still there: it claims a purged key, and finds a kept one.
			for key, gone := range map[string]bool{"old": true, "young": false} {
				claimed, _, err := st.ClaimIdempotencyKey(ctx, op.ID, key, "h", now, time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				if claimed != gone {
					t.Errorf("key %s: purged %v, want %v", key, claimed, gone)
				}
			}
		})
	}
}

package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/gatehouse/portal/store"
)

// PurgeIdempotencyKeys returns the hourly periodic work that deletes the
// JSON API's Idempotency-Key records older than keep (a retry after that is
// a new request anyway: the key is used afresh). Without it the table keeps
// a row for every POST ever made.
func PurgeIdempotencyKeys(st *store.Store, keep time.Duration, log *slog.Logger, now func() time.Time) Periodic {
	if now == nil {
		now = time.Now
	}
	return Periodic{Every: time.Hour, Run: func(ctx context.Context) {
		n, err := st.PurgeIdempotencyKeys(ctx, now().Add(-keep))
		if err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "purge idempotency keys", "err", err)
		} else if n > 0 {
			log.InfoContext(ctx, "purged old idempotency keys", "count", n)
		}
	}}
}

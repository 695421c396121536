package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/gatehouse/portal/store"
)

// AnalyzeStatistics returns the hourly periodic work that refreshes the
// database's query-planner statistics (store.Analyze), so list and
// dashboard queries keep their index plans as the user table grows.
func AnalyzeStatistics(st *store.Store, log *slog.Logger) Periodic {
	return Periodic{Every: time.Hour, Run: func(ctx context.Context) {
		if err := st.Analyze(ctx); err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "analyze statistics", "err", err)
		}
	}}
}

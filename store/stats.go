package store

import (
	"context"
	"fmt"
)

// countBy runs a "SELECT key, COUNT(*) … GROUP BY key" query and returns
// the counts by key.
func (s *Store) countBy(ctx context.Context, query string, args ...any) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("count by: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, fmt.Errorf("count by: %w", err)
		}
		out[key] += n
	}
	return out, rows.Err()
}

// Rebind rewrites a query written with ? placeholders for the store's
// dialect (for tests and tools that query tables directly).
func (s *Store) Rebind(query string) string { return s.q(query) }

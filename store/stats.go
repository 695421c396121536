package store

import (
	"context"
	"time"

	"github.com/gatehouse/portal"
)

// CountUsersByStatus counts managed users by the status people see: the
// state, except pending users past their deadline, who are "overdue". One
// grouped query, cheap enough for every metrics scrape.
func (s *Store) CountUsersByStatus(ctx context.Context, now time.Time) (map[portal.Status]int, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT CASE WHEN state IN ('provisioning', 'invited', 'claimed') AND deadline > 0 AND deadline < ?
		THEN 'overdue' ELSE state END AS status, COUNT(*) FROM users GROUP BY 1`), ms(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[portal.Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[portal.Status(st)] += n
	}
	return out, rows.Err()
}

// Rebind rewrites a query written with ? placeholders for the store's
// dialect (for tests and tools that query tables directly).
func (s *Store) Rebind(query string) string { return s.q(query) }

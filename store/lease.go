package store

import (
	"context"
	"fmt"
	"time"
)

// AcquireLease gives holder the lease name until now+ttl, if nobody else
// holds an unexpired lease on it; holder may renew its own lease. It reports
// whether holder has the lease. One atomic upsert, so two replicas racing for
// the same lease cannot both win, on SQLite or PostgreSQL.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.expires_at < ? OR leases.holder = excluded.holder`),
		name, holder, ms(now.Add(ttl)), ms(now))
	if err != nil {
		return false, fmt.Errorf("acquire lease %q: %w", name, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseLease gives up holder's lease on name (a no-op if it holds none).
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM leases WHERE name = ? AND holder = ?`), name, holder)
	return wrapErr(err, "release lease %q", name)
}

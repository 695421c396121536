package store

import (
	"context"
	"time"
)

// RecordAuthFailure notes a failed password or code attempt against subject
// (such as "operator:alice" or "invite:42"). The rows live in the database
// so that the limit holds however many replicas serve the portal.
func (s *Store) RecordAuthFailure(ctx context.Context, subject string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO auth_failures (subject, at) VALUES (?, ?)`), subject, ms(at))
	return err
}

// RecentAuthFailures returns the times of up to limit failures against
// subject at or after since, newest first.
func (s *Store) RecentAuthFailures(ctx context.Context, subject string, since time.Time, limit int) ([]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT at FROM auth_failures WHERE subject = ? AND at >= ? ORDER BY at DESC LIMIT ?`), subject, ms(since), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, fromMS(at))
	}
	return out, rows.Err()
}

// ClearAuthFailures forgets the failures against subject (after a success)
// and, for every subject, those older than before.
func (s *Store) ClearAuthFailures(ctx context.Context, subject string, before time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM auth_failures WHERE subject = ? OR at < ?`), subject, ms(before))
	return err
}

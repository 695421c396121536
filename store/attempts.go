package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

// TakeAttempt records one attempt at a secret (a password, a TOTP code, a
// pair of MFA codes) against subject — an operator name, an invite, a
// one-time link — before the secret is checked. It refuses the attempt
// with ETOOMANY, recording nothing, when limit.Max attempts are recorded
// within limit.Window before now; the error says when the oldest of them
// leaves the window.
//
// Counting and recording are one transaction that first writes the
// subject's row in attempt_subjects. That write serialises attempts against
// one subject on both engines (SQLite: the write lock of BEGIN IMMEDIATE;
// PostgreSQL: the row lock of the upsert, held until commit), so each
// attempt counts every attempt recorded before it: N parallel guesses let
// exactly limit.Max through to the slow check, never more. The rows live in
// the database, so the limit holds across replicas.
func (s *Store) TakeAttempt(ctx context.Context, subject string, limit portal.AttemptLimit, now time.Time) error {
	var refused error
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO attempt_subjects (subject, last_at) VALUES (?, ?)
			ON CONFLICT (subject) DO UPDATE SET last_at = excluded.last_at`), subject, ms(now)); err != nil {
			return fmt.Errorf("take attempt %q: %w", subject, err)
		}
		rows, err := tx.QueryContext(ctx, s.q(`SELECT at FROM auth_failures WHERE subject = ? AND at > ? ORDER BY at DESC LIMIT ?`),
			subject, ms(now.Add(-limit.Window)), limit.Max)
		if err != nil {
			return fmt.Errorf("take attempt %q: %w", subject, err)
		}
		var times []int64
		for rows.Next() {
			var at int64
			if err := rows.Scan(&at); err != nil {
				rows.Close()
				return wrapErr(err, "take attempt %q", subject)
			}
			times = append(times, at)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("take attempt %q: %w", subject, err)
		}
		if len(times) >= limit.Max {
			// The oldest of the last Max attempts leaves the window first.
			refused = portal.TooManyAttempts(now, fromMS(times[limit.Max-1]).Add(limit.Window))
			return nil
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO auth_failures (subject, at) VALUES (?, ?)`), subject, ms(now))
		return wrapErr(err, "take attempt %q", subject)
	})
	if err != nil {
		return fmt.Errorf("take attempt %q: %w", subject, err)
	}
	return refused
}

// ClearAttempts forgets subject's attempts after a success, and every
// subject's attempts (and subject rows) that left the window before.
func (s *Store) ClearAttempts(ctx context.Context, subject string, before time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM auth_failures WHERE subject = ? OR at < ?`), subject, ms(before)); err != nil {
			return fmt.Errorf("clear attempts %q: %w", subject, err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM attempt_subjects WHERE subject = ? OR last_at < ?`), subject, ms(before)); err != nil {
			return fmt.Errorf("clear attempt subjects: %w", err)
		}
		return nil
	})
}

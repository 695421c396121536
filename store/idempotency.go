package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Idempotent is what an Idempotency-Key has recorded: the hash of the
// request it was first used with and, once answered, the answer (Status 0
// while the first request is still running).
type Idempotent struct {
	RequestHash string
	Status      int
	Body        string
	CreatedAt   time.Time
}

// ClaimIdempotencyKey records key for operatorID and requestHash if the key
// is new, or older than expired (then it is used afresh), and reports
// whether this call claimed it. When it did not, the recorded use is
// returned.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, operatorID int64, key, requestHash string, now, expired time.Time) (bool, *Idempotent, error) {
	var claimed bool
	var rec *Idempotent
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM api_idempotency WHERE operator_id = ? AND idem_key = ? AND created_at < ?`),
			operatorID, key, ms(expired)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO api_idempotency (operator_id, idem_key, request_hash, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (operator_id, idem_key) DO NOTHING`), operatorID, key, requestHash, ms(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			claimed = true
			return nil
		}
		var r Idempotent
		var created int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT request_hash, status, body, created_at FROM api_idempotency WHERE operator_id = ? AND idem_key = ?`),
			operatorID, key).Scan(&r.RequestHash, &r.Status, &r.Body, &created); err != nil {
			return err
		}
		r.CreatedAt = fromMS(created)
		rec = &r
		return nil
	})
	if err != nil {
		return false, nil, fmt.Errorf("claim idempotency key: %w", err)
	}
	return claimed, rec, nil
}

// FinishIdempotencyKey records the answer of the request that claimed key.
func (s *Store) FinishIdempotencyKey(ctx context.Context, operatorID int64, key string, status int, body string) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE api_idempotency SET status = ?, body = ? WHERE operator_id = ? AND idem_key = ?`), status, body, operatorID, key)
	return wrapErr(err, "finish idempotency key")
}

// ReleaseIdempotencyKey forgets key, so that a request that failed in a
// way worth retrying (a 5xx) can be sent again with it.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, operatorID int64, key string) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM api_idempotency WHERE operator_id = ? AND idem_key = ? AND status = 0`), operatorID, key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return wrapErr(err, "release idempotency key")
}

// PurgeIdempotencyKeys deletes the Idempotency-Key records created before
// before (answered or not) and returns how many it deleted.
func (s *Store) PurgeIdempotencyKeys(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM api_idempotency WHERE created_at < ?`), ms(before))
	if err != nil {
		return 0, fmt.Errorf("purge idempotency keys: %w", err)
	}
	return res.RowsAffected()
}

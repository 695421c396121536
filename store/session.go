package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

// CreateSession stores a new operator session.
func (s *Store) CreateSession(ctx context.Context, sess *portal.Session) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO sessions (id_hash, operator_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
		sess.IDHash, sess.OperatorID, ms(sess.CreatedAt), ms(sess.LastSeenAt), ms(sess.ExpiresAt))
	return wrapErr(err, "create session")
}

// FindSession returns a session by the hash of its ID.
func (s *Store) FindSession(ctx context.Context, idHash string) (*portal.Session, error) {
	var sess portal.Session
	var created, seen, expires int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT id_hash, operator_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?`), idHash).
		Scan(&sess.IDHash, &sess.OperatorID, &created, &seen, &expires)
	if err != nil {
		return nil, notFound(err, "err.session.ended")
	}
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = fromMS(created), fromMS(seen), fromMS(expires)
	return &sess, nil
}

// TouchSession records activity on a session (for the idle timeout).
func (s *Store) TouchSession(ctx context.Context, idHash string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?`), ms(now), idHash)
	return wrapErr(err, "touch session")
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE id_hash = ?`), idHash)
	return wrapErr(err, "delete session")
}

// DeleteExpiredSessions removes sessions past their absolute expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE expires_at < ?`), ms(now)); err != nil {
			return fmt.Errorf("delete expired sessions: %w", err)
		}
		_, err := tx.ExecContext(ctx, s.q(`DELETE FROM claim_sessions WHERE expires_at < ?`), ms(now))
		return wrapErr(err, "delete expired sessions")
	})
}

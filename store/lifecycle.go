package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

// The user lifecycle: a user's deadline, the once-only steps around it
// (reminder, overdue notice, automatic action) and the language notices to
// the user are written in.

// SetDeadline moves a user's enrollment deadline and clears the once-only
// lifecycle marks (reminder, overdue, overdue notice, automatic action), so they
// apply again to the new deadline.
func (s *Store) SetDeadline(ctx context.Context, id int64, deadline, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE users SET deadline = ?, updated_at = ? WHERE id = ?`), ms(deadline), ms(now), id)
		if err != nil {
			return fmt.Errorf("set deadline of user %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return portal.E(portal.ENOTFOUND, "err.user.nosuch")
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE user_lifecycle SET reminded_at = 0, overdue_sent_at = 0, deadline_action_at = 0, overdue_at = 0 WHERE user_id = ?`), id)
		return wrapErr(err, "set deadline of user %d", id)
	})
}

// Lifecycle marks: which once-only step of the deadline has been done.
const (
	MarkReminded       = "reminded_at"
	MarkOverdueSent    = "overdue_sent_at"
	MarkDeadlineAction = "deadline_action_at"
	// MarkOverdue is the user passing the deadline (the user.overdue
	// webhook event), whether or not a notice was sent.
	MarkOverdue = "overdue_at"
)

// Mark records that the lifecycle step mark happened for a user at now. It
// reports false when it had been recorded already, so concurrent callers
// cannot both act.
func (s *Store) Mark(ctx context.Context, userID int64, mark string, now time.Time) (bool, error) {
	switch mark {
	case MarkReminded, MarkOverdueSent, MarkDeadlineAction, MarkOverdue:
	default:
		return false, fmt.Errorf("unknown lifecycle mark %q", mark)
	}
	var won bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO user_lifecycle (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING`), userID); err != nil {
			return fmt.Errorf("mark user %d: %w", userID, err)
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE user_lifecycle SET `+mark+` = ? WHERE user_id = ? AND `+mark+` = 0`), ms(now), userID)
		if err != nil {
			return fmt.Errorf("mark user %d: %w", userID, err)
		}
		n, err := res.RowsAffected()
		won = n == 1
		return wrapErr(err, "mark user %d", userID)
	})
	return won, wrapErr(err, "mark user %d", userID)
}

// UserLang returns the language of notices to a user ("" when not set).
func (s *Store) UserLang(ctx context.Context, userID int64) (string, error) {
	var lang string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT lang FROM user_lifecycle WHERE user_id = ?`), userID).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return lang, wrapErr(err, "language of user %d", userID)
}

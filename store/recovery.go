package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

// ReplaceRecoveryCodes stores a new set of an operator's recovery codes
// (their hashes) and deletes every earlier one, used or not, in one
// transaction.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, operatorID int64, hashes []string, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM recovery_codes WHERE operator_id = ?`), operatorID); err != nil {
			return fmt.Errorf("replace recovery codes operator %d: %w", operatorID, err)
		}
		for _, h := range hashes {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO recovery_codes (operator_id, code_hash, created_at) VALUES (?, ?, ?)`), operatorID, h, ms(at)); err != nil {
				return fmt.Errorf("replace recovery codes operator %d: %w", operatorID, err)
			}
		}
		return nil
	})
}

// UseRecoveryCode marks the operator's unused code with that hash used, in
// one conditional UPDATE, so a code works once however many requests race
// with it; ENOTFOUND when there is no such unused code. It returns how many
// unused codes are left.
func (s *Store) UseRecoveryCode(ctx context.Context, operatorID int64, hash string, at time.Time) (left int, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE recovery_codes SET used_at = ? WHERE operator_id = ? AND code_hash = ? AND used_at = 0`), ms(at), operatorID, hash)
		if err != nil {
			return fmt.Errorf("use recovery code operator %d: %w", operatorID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return portal.E(portal.ENOTFOUND, "err.recovery.nosuch")
		}
		return tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM recovery_codes WHERE operator_id = ? AND used_at = 0`), operatorID).Scan(&left)
	})
	return left, err
}

// CountRecoveryCodes returns how many unused recovery codes an operator has.
func (s *Store) CountRecoveryCodes(ctx context.Context, operatorID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM recovery_codes WHERE operator_id = ? AND used_at = 0`), operatorID).Scan(&n)
	return n, wrapErr(err, "count recovery codes operator %d", operatorID)
}

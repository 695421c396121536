package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/migrations"
)

// FindOperators returns every operator, ordered by user name.
func (s *Store) FindOperators(ctx context.Context) ([]*portal.Operator, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+operatorCols+` FROM operators ORDER BY username_key`)
	if err != nil {
		return nil, fmt.Errorf("find operators: %w", err)
	}
	defer rows.Close()
	var out []*portal.Operator
	for rows.Next() {
		o, err := scanOperator(rows)
		if err != nil {
			return nil, fmt.Errorf("find operators: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// errLastAdmin is returned when a change would leave no active admin.
var errLastAdmin = portal.E(portal.ECONFLICT, "err.admin.last")

// OperatorUpdate is a change to an operator; nil fields stay as they are.
// DisabledAt set to the zero time enables the operator again.
type OperatorUpdate struct {
	Role       *portal.Role
	DisabledAt *time.Time
}

// UpdateOperator applies upd and ends every session of the operator (a
// privilege change must not ride on an old session ID). It fails with
// ECONFLICT when the change would leave no active admin: the check and the
// write share one transaction, so two admins demoting each other at once
// cannot both succeed (SQLite: BEGIN IMMEDIATE; PostgreSQL: the admin rows
// are locked FOR UPDATE).
func (s *Store) UpdateOperator(ctx context.Context, id int64, upd OperatorUpdate) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		lock := ""
		if s.dialect == migrations.Postgres {
			lock = " FOR UPDATE"
		}
		rows, err := tx.QueryContext(ctx, s.q(`SELECT id FROM operators WHERE role = ? AND disabled_at = 0`+lock), string(portal.RoleAdmin))
		if err != nil {
			return fmt.Errorf("update operator %d: %w", id, err)
		}
		admins := map[int64]bool{}
		for rows.Next() {
			var aid int64
			if err := rows.Scan(&aid); err != nil {
				rows.Close()
				return wrapErr(err, "update operator %d", id)
			}
			admins[aid] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("update operator %d: %w", id, err)
		}
		losesAdmin := (upd.Role != nil && *upd.Role != portal.RoleAdmin) || (upd.DisabledAt != nil && !upd.DisabledAt.IsZero())
		if admins[id] && losesAdmin && len(admins) <= 1 {
			return errLastAdmin
		}
		var res sql.Result
		switch {
		case upd.Role != nil && upd.DisabledAt != nil:
			res, err = tx.ExecContext(ctx, s.q(`UPDATE operators SET role = ?, disabled_at = ? WHERE id = ?`), string(*upd.Role), ms(*upd.DisabledAt), id)
		case upd.Role != nil:
			res, err = tx.ExecContext(ctx, s.q(`UPDATE operators SET role = ? WHERE id = ?`), string(*upd.Role), id)
		case upd.DisabledAt != nil:
			res, err = tx.ExecContext(ctx, s.q(`UPDATE operators SET disabled_at = ? WHERE id = ?`), ms(*upd.DisabledAt), id)
		default:
			return nil
		}
		if err != nil {
			return fmt.Errorf("update operator %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return portal.E(portal.ENOTFOUND, "err.operator.nosuch")
		}
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE operator_id = ?`), id)
		return wrapErr(err, "update operator %d", id)
	})
}

// EndOperatorAccess ends every session of an operator and revokes every
// API token of theirs at at, in one transaction ("sign out everywhere"). It
// returns how many tokens were revoked.
func (s *Store) EndOperatorAccess(ctx context.Context, operatorID int64, at time.Time) (tokens int, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE operator_id = ?`), operatorID); err != nil {
			return fmt.Errorf("delete sessions of operator %d: %w", operatorID, err)
		}
		tokens, err = s.revokeOperatorTokens(ctx, tx, operatorID, at)
		return err
	})
	return tokens, err
}

// useSetupToken marks an enrollment token used; EGONE if it was already.
func (s *Store) useSetupToken(ctx context.Context, tx *sql.Tx, hash string, at time.Time) error {
	res, err := tx.ExecContext(ctx, s.q(`UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at = 0`), ms(at), hash)
	if err != nil {
		return fmt.Errorf("use setup token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return portal.E(portal.EGONE, "err.setup.used")
	}
	return nil
}

// CreateInvitedOperator consumes an operator invite and creates the
// operator, in one transaction, so an invite link works exactly once.
func (s *Store) CreateInvitedOperator(ctx context.Context, tokenHash string, o *portal.Operator) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.useSetupToken(ctx, tx, tokenHash, o.CreatedAt); err != nil {
			return fmt.Errorf("create invited operator: %w", err)
		}
		return s.insertOperator(ctx, tx, o)
	})
}

// StartTOTPReset revokes an operator's authenticator: the stored secret is
// erased (so no code works), every session ends, every API token is
// revoked, earlier unused reset links are revoked and t, the new enrollment
// link, is stored. It returns how many API tokens were revoked.
func (s *Store) StartTOTPReset(ctx context.Context, t *SetupToken) (tokens int, err error) {
	t.Purpose = PurposeReset
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE operators SET totp_secret_enc = ? WHERE id = ?`), []byte{}, t.OperatorID)
		if err != nil {
			return fmt.Errorf("start TOTP reset: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return portal.E(portal.ENOTFOUND, "err.operator.nosuch")
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE operator_id = ?`), t.OperatorID); err != nil {
			return fmt.Errorf("start TOTP reset: %w", err)
		}
		if tokens, err = s.revokeOperatorTokens(ctx, tx, t.OperatorID, t.CreatedAt); err != nil {
			return fmt.Errorf("start TOTP reset: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE setup_tokens SET used_at = ? WHERE operator_id = ? AND purpose = ? AND used_at = 0`),
			ms(t.CreatedAt), t.OperatorID, PurposeReset); err != nil {
			return fmt.Errorf("start TOTP reset: %w", err)
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO setup_tokens (token_hash, totp_secret_enc, purpose, role, username, operator_id, created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			t.TokenHash, t.TOTPSecretEnc, t.Purpose, string(t.Role), t.Username, t.OperatorID, t.CreatedBy, ms(t.CreatedAt), ms(t.ExpiresAt))
		return wrapErr(err, "start TOTP reset")
	})
	return tokens, err
}

// CompleteTOTPReset consumes a reset link and stores the operator's new
// (encrypted) TOTP secret with its first accepted step.
func (s *Store) CompleteTOTPReset(ctx context.Context, tokenHash string, operatorID int64, enc []byte, step int64, at time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.useSetupToken(ctx, tx, tokenHash, at); err != nil {
			return fmt.Errorf("complete TOTP reset operator %d: %w", operatorID, err)
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE operators SET totp_secret_enc = ?, totp_last_step = ? WHERE id = ?`), enc, step, operatorID)
		return wrapErr(err, "complete TOTP reset operator %d", operatorID)
	})
}

// FindPendingOperatorInvites returns the operator invites not used, not
// revoked and not expired at now, oldest first (without their hashes).
func (s *Store) FindPendingOperatorInvites(ctx context.Context, now time.Time) ([]SetupToken, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT purpose, role, username, created_by, created_at, expires_at FROM setup_tokens
		WHERE purpose = ? AND used_at = 0 AND expires_at > ? ORDER BY created_at, username`), PurposeInvite, ms(now))
	if err != nil {
		return nil, fmt.Errorf("find pending operator invites: %w", err)
	}
	defer rows.Close()
	var out []SetupToken
	for rows.Next() {
		var t SetupToken
		var role string
		var created, expires int64
		if err := rows.Scan(&t.Purpose, &role, &t.Username, &t.CreatedBy, &created, &expires); err != nil {
			return nil, fmt.Errorf("find pending operator invites: %w", err)
		}
		t.Role, t.CreatedAt, t.ExpiresAt = portal.Role(role), fromMS(created), fromMS(expires)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeOperatorInvites ends every pending invite for username at at (an
// invite link then works no more, as if used); ENOTFOUND when none was
// pending.
func (s *Store) RevokeOperatorInvites(ctx context.Context, username string, at time.Time) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE setup_tokens SET used_at = ? WHERE purpose = ? AND username = ? AND used_at = 0`),
		ms(at), PurposeInvite, username)
	if err != nil {
		return fmt.Errorf("revoke operator invites of %s: %w", username, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return portal.E(portal.ENOTFOUND, "err.operator.invite.nosuch", username)
	}
	return nil
}

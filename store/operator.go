package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

const operatorCols = `id, username, password_hash, totp_secret_enc, totp_last_step, role, created_at, disabled_at`

func scanOperator(row interface{ Scan(...any) error }) (*portal.Operator, error) {
	var o portal.Operator
	var role string
	var created, disabled int64
	if err := row.Scan(&o.ID, &o.Username, &o.PasswordHash, &o.TOTPSecretEnc, &o.TOTPLastStep, &role, &created, &disabled); err != nil {
		return nil, fmt.Errorf("read operator: %w", err)
	}
	o.Role, o.CreatedAt, o.DisabledAt = portal.Role(role), fromMS(created), fromMS(disabled)
	return &o, nil
}

// CountOperators returns how many operators exist (disabled ones included).
func (s *Store) CountOperators(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM operators`).Scan(&n)
	return n, wrapErr(err, "count operators")
}

// FindOperatorByUsername returns the operator with that name, ignoring case.
func (s *Store) FindOperatorByUsername(ctx context.Context, username string) (*portal.Operator, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+operatorCols+` FROM operators WHERE username_key = ?`), portal.UserNameKey(username))
	o, err := scanOperator(row)
	return o, notFound(err, "err.operator.nosuch")
}

// FindOperatorByID returns the operator with that ID.
func (s *Store) FindOperatorByID(ctx context.Context, id int64) (*portal.Operator, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+operatorCols+` FROM operators WHERE id = ?`), id)
	o, err := scanOperator(row)
	return o, notFound(err, "err.operator.nosuch")
}

// UseTOTPStep records that the operator's code for step was accepted. It
// fails with ECONFLICT when that step or a later one was used already, which
// makes every TOTP code single-use.
func (s *Store) UseTOTPStep(ctx context.Context, operatorID, step int64) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE operators SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`), step, operatorID, step)
	if err != nil {
		return fmt.Errorf("use TOTP step operator %d: %w", operatorID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return portal.E(portal.ECONFLICT, "err.totp.reused")
	}
	return nil
}

// Setup token purposes: the first admin, an invited operator, or a new
// authenticator for an operator whose TOTP an admin reset.
const (
	PurposeSetup  = "setup"
	PurposeInvite = "invite"
	PurposeReset  = "reset"
)

// SetupToken is a one-time enrollment link: the first admin's setup, an
// operator invite or a TOTP reset. It carries the pending TOTP secret
// (encrypted) between showing the QR and confirming.
type SetupToken struct {
	TokenHash     string
	TOTPSecretEnc []byte
	Purpose       string      // PurposeSetup when empty
	Role          portal.Role // invite: the new operator's role
	Username      string      // invite: the new operator's name
	OperatorID    int64       // reset: whose authenticator is replaced
	CreatedBy     string
	CreatedAt     time.Time
	ExpiresAt     time.Time // zero: no expiry (first-admin setup)
	UsedAt        time.Time
}

// CreateSetupToken stores a new enrollment token.
func (s *Store) CreateSetupToken(ctx context.Context, t *SetupToken) error {
	if t.Purpose == "" {
		t.Purpose = PurposeSetup
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO setup_tokens (token_hash, totp_secret_enc, purpose, role, username, operator_id, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		t.TokenHash, t.TOTPSecretEnc, t.Purpose, string(t.Role), t.Username, t.OperatorID, t.CreatedBy, ms(t.CreatedAt), ms(t.ExpiresAt))
	return wrapErr(err, "create setup token")
}

// FindSetupToken returns an enrollment token by its hash.
func (s *Store) FindSetupToken(ctx context.Context, hash string) (*SetupToken, error) {
	var t SetupToken
	var role string
	var created, expires, used int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT token_hash, totp_secret_enc, purpose, role, username, operator_id, created_by, created_at, expires_at, used_at
		FROM setup_tokens WHERE token_hash = ?`), hash).
		Scan(&t.TokenHash, &t.TOTPSecretEnc, &t.Purpose, &role, &t.Username, &t.OperatorID, &t.CreatedBy, &created, &expires, &used)
	if err != nil {
		return nil, notFound(err, "err.setup.invalid")
	}
	t.Role, t.CreatedAt, t.ExpiresAt, t.UsedAt = portal.Role(role), fromMS(created), fromMS(expires), fromMS(used)
	return &t, nil
}

// SetSetupSecret stores the pending (encrypted) TOTP secret of a setup token.
func (s *Store) SetSetupSecret(ctx context.Context, hash string, enc []byte) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE setup_tokens SET totp_secret_enc = ? WHERE token_hash = ? AND used_at = 0`), enc, hash)
	return wrapErr(err, "set setup secret")
}

// CreateFirstAdmin consumes the setup token and creates the first operator,
// in one transaction: it fails with EGONE if the token was used or any
// operator exists already, so the setup link works exactly once.
func (s *Store) CreateFirstAdmin(ctx context.Context, tokenHash string, o *portal.Operator) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM operators`).Scan(&n); err != nil {
			return fmt.Errorf("create first admin: %w", err)
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at = 0`), ms(o.CreatedAt), tokenHash)
		if err != nil {
			return fmt.Errorf("create first admin: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 || n > 0 {
			return portal.E(portal.EGONE, "err.setup.done")
		}
		return s.insertOperator(ctx, tx, o)
	})
}

// CreateOperator adds an operator.
func (s *Store) CreateOperator(ctx context.Context, o *portal.Operator) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.insertOperator(ctx, tx, o) })
}

func (s *Store) insertOperator(ctx context.Context, tx *sql.Tx, o *portal.Operator) error {
	err := tx.QueryRowContext(ctx, s.q(`INSERT INTO operators (username, username_key, password_hash, totp_secret_enc, totp_last_step, role, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		o.Username, portal.UserNameKey(o.Username), o.PasswordHash, o.TOTPSecretEnc, o.TOTPLastStep, string(o.Role), ms(o.CreatedAt)).Scan(&o.ID)
	if isUniqueViolation(err) {
		return portal.FieldE("username", "err.operator.exists", o.Username)
	}
	return wrapErr(err, "insert operator")
}

// ReplacePasswordHash rewrites an operator's password hash from old to new
// (the same password hashed with other parameters). It changes nothing when
// the stored hash is no longer old, so a password set in the meantime is
// never overwritten; it reports whether it wrote.
func (s *Store) ReplacePasswordHash(ctx context.Context, id int64, old, new string) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE operators SET password_hash = ? WHERE id = ? AND password_hash = ?`), new, id, old)
	if err != nil {
		return false, fmt.Errorf("replace password hash of operator %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("replace password hash of operator %d: %w", id, err)
	}
	return n == 1, nil
}

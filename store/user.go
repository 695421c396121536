package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse/portal"
)

const userCols = `id, account_id, user_name, display_name, email, state, deadline, arn, mfa_serial, enrolled_at, created_by, created_at, updated_at, path, password_reset_required, iam_user_id`

func scanUser(row interface{ Scan(...any) error }) (*portal.User, error) {
	var u portal.User
	var state string
	var deadline, enrolled, created, updated, reset int64
	if err := row.Scan(&u.ID, &u.AccountID, &u.UserName, &u.DisplayName, &u.Email, &state, &deadline, &u.ARN, &u.MFASerial,
		&enrolled, &u.CreatedBy, &created, &updated, &u.Path, &reset, &u.IAMUserID); err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	u.PasswordResetRequired = reset != 0
	u.State = portal.State(state)
	u.Deadline, u.EnrolledAt, u.CreatedAt, u.UpdatedAt = fromMS(deadline), fromMS(enrolled), fromMS(created), fromMS(updated)
	return &u, nil
}

// inAccount is the condition "the user is in account ?" (the argument
// twice): a row recorded without an account (”, before accounts existed
// and until EnsureHubAccount fills it in) is the hub account's.
const inAccount = `(account_id = ? OR (account_id = '' AND EXISTS (SELECT 1 FROM accounts WHERE hub = 1 AND account_id = ?)))`

// FindUserByName returns the managed user with that name, ignoring case,
// when only one account holds it (FindUser with no account).
func (s *Store) FindUserByName(ctx context.Context, name string) (*portal.User, error) {
	return s.FindUser(ctx, "", name)
}

// FindUser returns the managed user with that name, ignoring case, in
// account. With account "" the name must be unique among all accounts: when
// several accounts hold it, the error (ECONFLICT) asks to choose one.
func (s *Store) FindUser(ctx context.Context, account, name string) (*portal.User, error) {
	if account != "" {
		u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE user_name_key = ? AND `+inAccount+` ORDER BY account_id DESC LIMIT 1`),
			portal.UserNameKey(name), account, account))
		return u, notFound(err, "err.user.notmanaged", name)
	}
	users, err := s.queryUsers(ctx, `SELECT `+userCols+` FROM users WHERE user_name_key = ? ORDER BY account_id LIMIT 2`, portal.UserNameKey(name))
	switch {
	case err != nil:
		return nil, fmt.Errorf("find user %s: %w", name, err)
	case len(users) == 0:
		return nil, portal.E(portal.ENOTFOUND, "err.user.notmanaged", name)
	case len(users) > 1:
		return nil, portal.E(portal.ECONFLICT, "err.user.ambiguous", name)
	}
	return users[0], nil
}

// FindUserByID returns the managed user with that ID.
func (s *Store) FindUserByID(ctx context.Context, id int64) (*portal.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+userCols+` FROM users WHERE id = ?`), id))
	return u, notFound(err, "err.user.nosuch")
}

// UserUpdate lists the fields UpdateUser may change; nil means unchanged.
type UserUpdate struct {
	State      *portal.State
	ARN        *string
	IAMUserID  *string
	MFASerial  *string
	EnrolledAt *time.Time
	// DisplayName and Email change what an identity provider keeps up to
	// date over SCIM.
	DisplayName *string
	Email       *string
}

// UpdateUser changes the given fields of user id and stamps updated_at.
func (s *Store) UpdateUser(ctx context.Context, id int64, upd UserUpdate, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.updateUser(ctx, tx, id, upd, now) })
}

func (s *Store) updateUser(ctx context.Context, tx *sql.Tx, id int64, upd UserUpdate, now time.Time) error {
	sets := []string{"updated_at = ?"}
	args := []any{ms(now)}
	if upd.State != nil {
		sets, args = append(sets, "state = ?"), append(args, string(*upd.State))
	}
	if upd.ARN != nil {
		sets, args = append(sets, "arn = ?"), append(args, *upd.ARN)
	}
	if upd.IAMUserID != nil {
		sets, args = append(sets, "iam_user_id = ?"), append(args, *upd.IAMUserID)
	}
	if upd.MFASerial != nil {
		sets, args = append(sets, "mfa_serial = ?"), append(args, *upd.MFASerial)
	}
	if upd.EnrolledAt != nil {
		sets, args = append(sets, "enrolled_at = ?"), append(args, ms(*upd.EnrolledAt))
	}
	if upd.DisplayName != nil {
		sets, args = append(sets, "display_name = ?"), append(args, *upd.DisplayName)
	}
	if upd.Email != nil {
		sets, args = append(sets, "email = ?"), append(args, *upd.Email)
	}
	res, err := tx.ExecContext(ctx, s.q(`UPDATE users SET `+strings.Join(sets, ", ")+` WHERE id = ?`), append(args, id)...)
	if err != nil {
		return fmt.Errorf("update user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return portal.E(portal.ENOTFOUND, "err.user.nosuch")
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

const accountCols = `account_id, name, hub, role_arn, external_id, status, reason, checked_at, created_by, created_at`

func scanAccount(row interface{ Scan(...any) error }) (*portal.Account, error) {
	var a portal.Account
	var hub int
	var status string
	var checked, created int64
	if err := row.Scan(&a.ID, &a.Name, &hub, &a.RoleARN, &a.ExternalID, &status, textCol{&a.Reason}, &checked,
		&a.CreatedBy, &created); err != nil {
		return nil, fmt.Errorf("read account: %w", err)
	}
	a.Hub, a.Status = hub != 0, portal.AccountStatus(status)
	a.CheckedAt, a.CreatedAt = fromMS(checked), fromMS(created)
	return &a, nil
}

// EnsureHubAccount records id as the hub account (Gatehouse's own, learned
// from GetCallerIdentity at start) and gives it the users and posture
// snapshots recorded before accounts existed (account_id ”). Another account that was the hub before
// stays, as a member account reached by the default role.
func (s *Store) EnsureHubAccount(ctx context.Context, id string, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE accounts SET hub = 0 WHERE hub = 1 AND account_id <> ?`), id); err != nil {
			return fmt.Errorf("ensure hub account: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO accounts (account_id, hub, role_arn, external_id, status, reason, checked_at, created_at)
			VALUES (?, 1, '', '', ?, '', ?, ?)
			ON CONFLICT (account_id) DO UPDATE SET hub = 1, role_arn = '', external_id = '', status = excluded.status, reason = '', checked_at = excluded.checked_at`),
			id, string(portal.AccountReachable), ms(now), ms(now)); err != nil {
			return fmt.Errorf("ensure hub account: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE users SET account_id = ? WHERE account_id = ''`), id); err != nil {
			return wrapErr(err, "give the hub account its users")
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE posture_snapshots SET account_id = ? WHERE account_id = ''`), id)
		return wrapErr(err, "give the hub account its posture snapshots")
	})
}

// Accounts returns every account, the hub first, then by name and ID.
func (s *Store) Accounts(ctx context.Context) ([]*portal.Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+accountCols+` FROM accounts ORDER BY hub DESC, name, account_id`)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	var out []*portal.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// FindAccount returns the account with that ID.
func (s *Store) FindAccount(ctx context.Context, id string) (*portal.Account, error) {
	a, err := scanAccount(s.db.QueryRowContext(ctx, s.q(`SELECT `+accountCols+` FROM accounts WHERE account_id = ?`), id))
	return a, notFound(err, "err.account.nosuch", id)
}

// AddAccount records a member account. An ID already recorded is a
// conflict on the form input account_id.
func (s *Store) AddAccount(ctx context.Context, a *portal.Account) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO accounts (`+accountCols+`) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`),
		a.ID, a.Name, a.RoleARN, a.ExternalID, string(a.Status), portal.EncodeText(a.Reason), ms(a.CheckedAt), a.CreatedBy, ms(a.CreatedAt))
	if isUniqueViolation(err) {
		return portal.FieldE("account_id", "err.account.exists", a.ID)
	}
	return wrapErr(err, "add account %s", a.ID)
}

// UpdateAccount saves a's name, role ARN and external ID. The hub keeps
// its empty role and external ID whatever a says: it is Gatehouse's own
// account, reached without a role, and cannot be edited into a broken one.
func (s *Store) UpdateAccount(ctx context.Context, a *portal.Account) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE accounts SET name = ?,
		role_arn = CASE WHEN hub = 1 THEN role_arn ELSE ? END, external_id = CASE WHEN hub = 1 THEN external_id ELSE ? END
		WHERE account_id = ?`), a.Name, a.RoleARN, a.ExternalID, a.ID)
	if err != nil {
		return fmt.Errorf("update account %s: %w", a.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return portal.E(portal.ENOTFOUND, "err.account.nosuch", a.ID)
	}
	return nil
}

// SetAccountStatus records the outcome of a check of account id.
func (s *Store) SetAccountStatus(ctx context.Context, id string, status portal.AccountStatus, reason portal.Text, at time.Time) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE accounts SET status = ?, reason = ?, checked_at = ? WHERE account_id = ?`),
		string(status), portal.EncodeText(reason), ms(at), id)
	if err != nil {
		return fmt.Errorf("set account %s status: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return portal.E(portal.ENOTFOUND, "err.account.nosuch", id)
	}
	return nil
}

// RemoveAccount forgets a member account. The hub cannot be removed, nor an
// account that still has users recorded (offboarded ones included: their
// records are the audit trail).
func (s *Store) RemoveAccount(ctx context.Context, id string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := scanAccount(tx.QueryRowContext(ctx, s.q(`SELECT `+accountCols+` FROM accounts WHERE account_id = ?`), id))
		if err != nil {
			return notFound(err, "err.account.nosuch", id)
		}
		if a.Hub {
			return portal.E(portal.ECONFLICT, "err.account.hub")
		}
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM users WHERE account_id = ?`), id).Scan(&n); err != nil {
			return fmt.Errorf("count account %s users: %w", id, err)
		}
		if n > 0 {
			return portal.E(portal.ECONFLICT, "err.account.hasusers", id, n)
		}
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM accounts WHERE account_id = ?`), id)
		return wrapErr(err, "remove account %s", id)
	})
}

package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse/portal"
)

// JobSCIMRemove is the job kind that offboards a user an identity provider
// deleted over SCIM, once the grace period has passed (payload: the user
// ID). It is queued with its run time at DELETE; re-activating the user in
// the grace period clears SCIMUser.RemoveAfter, and the job then does
// nothing.
const JobSCIMRemove = "scim_remove"

// SCIMUser is the SCIM side of a managed user that an identity provider
// provisioned: the id it addresses the user by, its externalId and
// userName, and what a disable or a DELETE left to undo.
type SCIMUser struct {
	UserID     int64
	SCIMID     string
	ExternalID string
	// UserName is the SCIM userName; the IAM user name is derived from an
	// attribute (userName by default) and may differ.
	UserName   string
	GivenName  string
	FamilyName string
	// IdP is the name of the SCIM token that last changed the user: the
	// identity provider, as the audit log names it.
	IdP    string
	Active bool
	// DisabledKeys are the access key IDs a disable deactivated.
	DisabledKeys []string
	// RemoveAfter, when set, is when a DELETE's offboarding runs (the end
	// of the grace period); RemovalJobID is that job.
	RemoveAfter  time.Time
	RemovalJobID int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

const scimCols = `user_id, scim_id, external_id, scim_user_name, given_name, family_name, idp, active, disabled_keys, remove_after, removal_job_id, created_at, updated_at`

func scanSCIMUser(row interface{ Scan(...any) error }) (*SCIMUser, error) {
	var u SCIMUser
	var active, removeAfter, created, updated int64
	var keys string
	if err := row.Scan(&u.UserID, &u.SCIMID, &u.ExternalID, &u.UserName, &u.GivenName, &u.FamilyName, &u.IdP, &active, &keys,
		&removeAfter, &u.RemovalJobID, &created, &updated); err != nil {
		return nil, fmt.Errorf("read SCIM user: %w", err)
	}
	u.Active = active != 0
	if keys != "" {
		u.DisabledKeys = strings.Split(keys, ",")
	}
	u.RemoveAfter, u.CreatedAt, u.UpdatedAt = fromMS(removeAfter), fromMS(created), fromMS(updated)
	return &u, nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// CreateSCIMUser records the SCIM side of user u.UserID. A SCIM userName
// that differs only in case from another is a conflict.
func (s *Store) CreateSCIMUser(ctx context.Context, u *SCIMUser) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO scim_users (`+scimCols+`, scim_user_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		u.UserID, u.SCIMID, u.ExternalID, u.UserName, u.GivenName, u.FamilyName, u.IdP, boolInt(u.Active), strings.Join(u.DisabledKeys, ","),
		ms(u.RemoveAfter), u.RemovalJobID, ms(u.CreatedAt), ms(u.UpdatedAt), strings.ToLower(u.UserName))
	if isUniqueViolation(err) {
		return portal.FieldE("userName", "err.scim.exists", u.UserName)
	}
	return wrapErr(err, "create SCIM user")
}

// UpdateSCIMUser writes every field of u but its IDs and creation time.
func (s *Store) UpdateSCIMUser(ctx context.Context, u *SCIMUser) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE scim_users SET external_id = ?, scim_user_name = ?, scim_user_key = ?, given_name = ?, family_name = ?,
		idp = ?, active = ?, disabled_keys = ?, remove_after = ?, removal_job_id = ?, updated_at = ? WHERE user_id = ?`),
		u.ExternalID, u.UserName, strings.ToLower(u.UserName), u.GivenName, u.FamilyName, u.IdP, boolInt(u.Active),
		strings.Join(u.DisabledKeys, ","), ms(u.RemoveAfter), u.RemovalJobID, ms(u.UpdatedAt), u.UserID)
	if isUniqueViolation(err) {
		return portal.FieldE("userName", "err.scim.exists", u.UserName)
	}
	if err != nil {
		return fmt.Errorf("update SCIM user %d: %w", u.UserID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return portal.E(portal.ENOTFOUND, "err.scim.nosuch", u.SCIMID)
	}
	return nil
}

// FindSCIMUser returns the SCIM side of a user by its SCIM id.
func (s *Store) FindSCIMUser(ctx context.Context, scimID string) (*SCIMUser, error) {
	u, err := scanSCIMUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+scimCols+` FROM scim_users WHERE scim_id = ?`), scimID))
	return u, notFound(err, "err.scim.nosuch", scimID)
}

// FindSCIMUserByUserID returns the SCIM side of managed user id.
func (s *Store) FindSCIMUserByUserID(ctx context.Context, id int64) (*SCIMUser, error) {
	u, err := scanSCIMUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+scimCols+` FROM scim_users WHERE user_id = ?`), id))
	return u, notFound(err, "err.scim.nosuch", id)
}

// FindSCIMUserByName returns the SCIM side of a user by its SCIM userName,
// ignoring case (SCIM's userName is not case-exact).
func (s *Store) FindSCIMUserByName(ctx context.Context, userName string) (*SCIMUser, error) {
	u, err := scanSCIMUser(s.db.QueryRowContext(ctx, s.q(`SELECT `+scimCols+` FROM scim_users WHERE scim_user_key = ?`), strings.ToLower(userName)))
	return u, notFound(err, "err.scim.nosuch", userName)
}

// SCIMFilter selects SCIM users in FindSCIMUsers.
type SCIMFilter struct {
	// UserName and ExternalID, when set, select by that attribute (userName
	// ignoring case, externalId exactly).
	UserName, ExternalID string
	// Offset skips that many (SCIM's startIndex is 1-based: Offset is
	// startIndex-1); Limit caps the page (0: none).
	Offset, Limit int
}

// FindSCIMUsers returns the SCIM users f selects that are not deleted
// (scheduled for removal or offboarded), in creation order, and how many
// there are in all.
func (s *Store) FindSCIMUsers(ctx context.Context, f SCIMFilter) ([]*SCIMUser, int, error) {
	where := ` FROM scim_users c JOIN users u ON u.id = c.user_id WHERE c.remove_after = 0 AND u.state <> 'offboarded'`
	var args []any
	if f.UserName != "" {
		where, args = where+` AND c.scim_user_key = ?`, append(args, strings.ToLower(f.UserName))
	}
	if f.ExternalID != "" {
		where, args = where+` AND c.external_id = ?`, append(args, f.ExternalID)
	}
	var total int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*)`+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count SCIM users: %w", err)
	}
	q := `SELECT c.` + strings.ReplaceAll(scimCols, ", ", ", c.") + where + ` ORDER BY c.created_at, c.user_id`
	limit := f.Limit
	if limit <= 0 {
		limit = 1 << 30
	}
	q += fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, max(f.Offset, 0))
	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find SCIM users: %w", err)
	}
	defer rows.Close()
	var out []*SCIMUser
	for rows.Next() {
		u, err := scanSCIMUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// ScheduleSCIMRemoval records that user u.UserID is to be offboarded at
// u.RemoveAfter and queues the job that does it, due then, in one
// transaction: a removal is never recorded without its job.
func (s *Store) ScheduleSCIMRemoval(ctx context.Context, u *SCIMUser, createdBy string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		j := &Job{Kind: JobSCIMRemove, Payload: fmt.Sprint(u.UserID), CreatedBy: createdBy, CreatedAt: u.UpdatedAt, RunAfter: u.RemoveAfter}
		if err := s.insertJob(ctx, tx, j); err != nil {
			return fmt.Errorf("queue SCIM removal: %w", err)
		}
		u.RemovalJobID = j.ID
		_, err := tx.ExecContext(ctx, s.q(`UPDATE scim_users SET remove_after = ?, removal_job_id = ?, active = ?, disabled_keys = ?, idp = ?, updated_at = ? WHERE user_id = ?`),
			ms(u.RemoveAfter), u.RemovalJobID, boolInt(u.Active), strings.Join(u.DisabledKeys, ","), u.IdP, ms(u.UpdatedAt), u.UserID)
		return wrapErr(err, "schedule SCIM removal %d", u.UserID)
	})
}

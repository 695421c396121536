package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

// What the onboarding saga records (onboarding/saga.go): the new user, the
// language of its notices, each saga step's progress, the IAM user it
// created, and the invite it hands out.

// CreateUser records a new managed user in u.AccountID and sets its ID. A name that differs
// only in case from an existing one in the same account is a conflict, as
// in IAM; the same name in another account is another IAM user.
func (s *Store) CreateUser(ctx context.Context, u *portal.User) error {
	if u.Path == "" {
		u.Path = "/"
	}
	reset := 0
	if u.PasswordResetRequired {
		reset = 1
	}
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO users (account_id, user_name, user_name_key, display_name, email, state, deadline, arn, mfa_serial, enrolled_at, created_by, created_at, updated_at, path, password_reset_required, iam_user_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		u.AccountID, u.UserName, portal.UserNameKey(u.UserName), u.DisplayName, u.Email, string(u.State), ms(u.Deadline), u.ARN, u.MFASerial,
		ms(u.EnrolledAt), u.CreatedBy, ms(u.CreatedAt), ms(u.UpdatedAt), u.Path, reset, u.IAMUserID).Scan(&u.ID)
	s.writes.Add(1)
	if isUniqueViolation(err) {
		return portal.FieldE("user_name", "err.user.exists", u.UserName)
	}
	if err != nil {
		return wrapErr(err, "create user")
	}
	// u holds what is stored: its times as a later read returns them.
	u.Deadline, u.EnrolledAt = fromMS(ms(u.Deadline)), fromMS(ms(u.EnrolledAt))
	u.CreatedAt, u.UpdatedAt = fromMS(ms(u.CreatedAt)), fromMS(ms(u.UpdatedAt))
	return nil
}

// DeleteUser removes a user record. Onboarding uses it only to undo a record
// for which nothing was created in IAM.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	_, err := s.db.ExecContext(ctx, s.q(`DELETE FROM users WHERE id = ?`), id)
	s.writes.Add(1)
	return wrapErr(err, "delete user %d", id)
}

// SetUserLang remembers the language ("en" or "ja") notices to a user are
// written in.
func (s *Store) SetUserLang(ctx context.Context, userID int64, lang string) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO user_lifecycle (user_id, lang) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang`), userID, lang)
	return wrapErr(err, "set language of user %d", userID)
}

// Step status values of the onboarding saga.
const (
	StepStarted = "started"
	StepDone    = "done"
)

// Step is the recorded state of one onboarding saga step for one user.
type Step struct {
	Name     string
	Status   string // StepStarted or StepDone
	Attempts int
	// LastErrorText is why the last attempt failed; LastError is the same
	// as a sentence, in steps recorded before LastErrorText.
	LastErrorText portal.Text
	LastError     string
	UpdatedAt     time.Time
}

// FindSteps returns the recorded saga steps of a user by name.
func (s *Store) FindSteps(ctx context.Context, userID int64) (map[string]Step, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT step, status, attempts, last_error, last_error_text, updated_at FROM onboarding_steps WHERE user_id = ?`), userID)
	if err != nil {
		return nil, fmt.Errorf("find steps user %d: %w", userID, err)
	}
	defer rows.Close()
	out := map[string]Step{}
	for rows.Next() {
		var st Step
		var updated int64
		if err := rows.Scan(&st.Name, &st.Status, &st.Attempts, &st.LastError, textCol{&st.LastErrorText}, &updated); err != nil {
			return nil, fmt.Errorf("find steps user %d: %w", userID, err)
		}
		st.UpdatedAt = fromMS(updated)
		out[st.Name] = st
	}
	return out, rows.Err()
}

// StartStep records that a step is about to run (one more attempt).
func (s *Store) StartStep(ctx context.Context, userID int64, step string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO onboarding_steps (user_id, step, status, attempts, last_error, updated_at)
		VALUES (?, ?, ?, 1, '', ?)
		ON CONFLICT (user_id, step) DO UPDATE SET status = ?, attempts = onboarding_steps.attempts + 1, updated_at = ?`),
		userID, step, StepStarted, ms(now), StepStarted, ms(now))
	return wrapErr(err, "start step user %d", userID)
}

// FinishStep records that a step succeeded.
func (s *Store) FinishStep(ctx context.Context, userID int64, step string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE onboarding_steps SET status = ?, last_error = '', last_error_text = '', updated_at = ? WHERE user_id = ? AND step = ?`),
		StepDone, ms(now), userID, step)
	return wrapErr(err, "finish step user %d", userID)
}

// FailStep records why a started step failed; it stays "started" so the
// next run knows it may have had an effect in IAM.
func (s *Store) FailStep(ctx context.Context, userID int64, step string, why portal.Text, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE onboarding_steps SET last_error = '', last_error_text = ?, updated_at = ? WHERE user_id = ? AND step = ?`),
		portal.EncodeText(why), ms(now), userID, step)
	return wrapErr(err, "fail step user %d", userID)
}

// IssueInvite stores a new invite for a user and revokes every earlier
// unclaimed one, so a user has at most one valid invite. The setup sessions
// of earlier claims end with them: the newest link is the only way in. A
// user still "provisioning" becomes "invited".
func (s *Store) IssueInvite(ctx context.Context, inv *portal.Invite) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.revokeInvites(ctx, tx, inv.UserID, inv.CreatedAt); err != nil {
			return fmt.Errorf("issue invite: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM claim_sessions WHERE user_id = ?`), inv.UserID); err != nil {
			return fmt.Errorf("issue invite: %w", err)
		}
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO invites (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?) RETURNING id`),
			inv.UserID, inv.TokenHash, ms(inv.CreatedAt), ms(inv.ExpiresAt)).Scan(&inv.ID); err != nil {
			return fmt.Errorf("issue invite: %w", err)
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE users SET state = ?, updated_at = ? WHERE id = ? AND state = ?`),
			string(portal.StateInvited), ms(inv.CreatedAt), inv.UserID, string(portal.StateProvisioning))
		return wrapErr(err, "issue invite")
	})
}

// RecordIAMUser records the IAM user the saga created for user id: its ARN
// and its UserId, which later tell that IAM user from another of the same
// name.
func (s *Store) RecordIAMUser(ctx context.Context, id int64, arn, iamUserID string, now time.Time) error {
	return s.UpdateUser(ctx, id, UserUpdate{ARN: &arn, IAMUserID: &iamUserID}, now)
}

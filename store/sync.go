package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

// SyncRun is one run of the status sync.
type SyncRun struct {
	ID         int64
	StartedAt  time.Time
	FinishedAt time.Time
	Source     string // "schedule" or "manual"
	Actor      string
	ReportAt   time.Time // when IAM generated the credential report used
	OK         bool
	Text       portal.Text // a summary, or the reason it failed; never a secret
	Detail     string      // the same as a sentence, in runs recorded before Text
}

// CreateSyncRun records a finished sync run.
func (s *Store) CreateSyncRun(ctx context.Context, r *SyncRun) error {
	ok := 0
	if r.OK {
		ok = 1
	}
	return s.db.QueryRowContext(ctx, s.q(`INSERT INTO sync_runs (started_at, finished_at, source, actor, report_at, ok, detail, detail_text)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), ms(r.StartedAt), ms(r.FinishedAt), r.Source, r.Actor, ms(r.ReportAt), ok, r.Detail, portal.EncodeText(r.Text)).Scan(&r.ID)
}

// LastSyncRun returns the newest sync run; ENOTFOUND when none ran yet.
func (s *Store) LastSyncRun(ctx context.Context) (*SyncRun, error) {
	var r SyncRun
	var started, finished, report, ok int64
	err := s.db.QueryRowContext(ctx, `SELECT id, started_at, finished_at, source, actor, report_at, ok, detail, detail_text FROM sync_runs ORDER BY id DESC LIMIT 1`).
		Scan(&r.ID, &started, &finished, &r.Source, &r.Actor, &report, &ok, &r.Detail, textCol{&r.Text})
	if err != nil {
		return nil, notFound(err, "err.sync.never")
	}
	r.StartedAt, r.FinishedAt, r.ReportAt, r.OK = fromMS(started), fromMS(finished), fromMS(report), ok == 1
	return &r, nil
}

// KeyFact is an access key as the credential report saw it.
type KeyFact struct {
	Active      bool      `json:"active"`
	LastRotated time.Time `json:"last_rotated"`
	LastUsed    time.Time `json:"last_used,omitzero"`
	LastService string    `json:"last_service,omitempty"`
}

// UserFacts is what the last credential report said about a managed user.
type UserFacts struct {
	UserID           int64
	ReportAt         time.Time
	PasswordEnabled  bool
	PasswordLastUsed time.Time
	MFAActive        bool
	AccessKeys       []KeyFact
}

// SaveUserFacts replaces the stored report facts of the given users, in
// one transaction.
func (s *Store) SaveUserFacts(ctx context.Context, facts []UserFacts) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, f := range facts {
			keys, err := json.Marshal(f.AccessKeys)
			if err != nil {
				return fmt.Errorf("save user facts: %w", err)
			}
			if f.AccessKeys == nil {
				keys = []byte("[]")
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO user_facts (user_id, report_at, password_enabled, password_last_used, mfa_active, access_keys)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET report_at = excluded.report_at,
				password_enabled = excluded.password_enabled, password_last_used = excluded.password_last_used,
				mfa_active = excluded.mfa_active, access_keys = excluded.access_keys`),
				f.UserID, ms(f.ReportAt), b2i(f.PasswordEnabled), ms(f.PasswordLastUsed), b2i(f.MFAActive), string(keys)); err != nil {
				return fmt.Errorf("save user facts: %w", err)
			}
		}
		return nil
	})
}

// FindUserFacts returns the report facts of a user; ENOTFOUND when no
// sync has seen the user yet.
func (s *Store) FindUserFacts(ctx context.Context, userID int64) (*UserFacts, error) {
	f := UserFacts{UserID: userID}
	var report, pwEnabled, pwUsed, mfa int64
	var keys string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT report_at, password_enabled, password_last_used, mfa_active, access_keys FROM user_facts WHERE user_id = ?`), userID).
		Scan(&report, &pwEnabled, &pwUsed, &mfa, &keys)
	if err != nil {
		return nil, notFound(err, "err.sync.user.never")
	}
	f.ReportAt, f.PasswordEnabled, f.PasswordLastUsed, f.MFAActive = fromMS(report), pwEnabled == 1, fromMS(pwUsed), mfa == 1
	if err := json.Unmarshal([]byte(keys), &f.AccessKeys); err != nil {
		return nil, fmt.Errorf("find user facts user %d: %w", userID, err)
	}
	return &f, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// FindAllUserFacts returns the stored report facts of every user, by user
// ID: one query for the whole sync instead of one per user.
func (s *Store) FindAllUserFacts(ctx context.Context) (map[int64]*UserFacts, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT user_id, report_at, password_enabled, password_last_used, mfa_active FROM user_facts`)
	if err != nil {
		return nil, fmt.Errorf("find all user facts: %w", err)
	}
	defer rows.Close()
	out := map[int64]*UserFacts{}
	for rows.Next() {
		var f UserFacts
		var report, pwEnabled, pwUsed, mfa int64
		if err := rows.Scan(&f.UserID, &report, &pwEnabled, &pwUsed, &mfa); err != nil {
			return nil, fmt.Errorf("find all user facts: %w", err)
		}
		f.ReportAt, f.PasswordEnabled, f.PasswordLastUsed, f.MFAActive = fromMS(report), pwEnabled == 1, fromMS(pwUsed), mfa == 1
		out[f.UserID] = &f
	}
	return out, rows.Err()
}

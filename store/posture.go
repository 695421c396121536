package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// PostureSnapshot is one AWS account's credential posture at one sync: the
// MFA coverage of console users, how many users fail each control, and
// (for the account's newest snapshot only) the full evaluation as JSON.
type PostureSnapshot struct {
	ID int64
	// AccountID is the AWS account; "" on rows recorded before accounts
	// existed and not yet given the hub's ID (they are the hub's).
	AccountID    string
	TakenAt      time.Time
	ReportAt     time.Time
	Users        int
	ConsoleUsers int
	ConsoleMFA   int
	Failing      map[string]int // check ID → failing users (or policies); -1 when unknown
	Detail       string         // JSON of the evaluation; empty on older snapshots
}

// SavePostureSnapshot records a snapshot of p.AccountID and empties the
// detail of that account's older ones (their counts stay for the trend).
func (s *Store) SavePostureSnapshot(ctx context.Context, p *PostureSnapshot) error {
	failing, err := json.Marshal(p.Failing)
	if err != nil {
		return fmt.Errorf("save posture snapshot: %w", err)
	}
	if p.Failing == nil {
		failing = []byte("{}")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO posture_snapshots (account_id, taken_at, report_at, users, console_users, console_mfa, failing, detail)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), p.AccountID, ms(p.TakenAt), ms(p.ReportAt), p.Users, p.ConsoleUsers, p.ConsoleMFA, string(failing), p.Detail).Scan(&p.ID); err != nil {
			return fmt.Errorf("save posture snapshot: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE posture_snapshots SET detail = '' WHERE id < ? AND detail <> '' AND `+inAccount),
			p.ID, p.AccountID, p.AccountID); err != nil {
			return fmt.Errorf("save posture snapshot: %w", err)
		}
		return nil
	})
}

const postureCols = `id, account_id, taken_at, report_at, users, console_users, console_mfa, failing`

func scanPosture(sc interface{ Scan(...any) error }, p *PostureSnapshot, extra ...any) error {
	var taken, report int64
	var failing string
	if err := sc.Scan(append([]any{&p.ID, &p.AccountID, &taken, &report, &p.Users, &p.ConsoleUsers, &p.ConsoleMFA, &failing}, extra...)...); err != nil {
		return err
	}
	p.TakenAt, p.ReportAt = fromMS(taken), fromMS(report)
	if err := json.Unmarshal([]byte(failing), &p.Failing); err != nil {
		return fmt.Errorf("posture snapshot %d: %w", p.ID, err)
	}
	return nil
}

// postureAccount is account, or for "" the hub account's ID ("" while no
// hub is recorded: then only rows recorded without an account match).
func (s *Store) postureAccount(ctx context.Context, account string) (string, error) {
	if account != "" {
		return account, nil
	}
	err := s.db.QueryRowContext(ctx, `SELECT account_id FROM accounts WHERE hub = 1`).Scan(&account)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return account, wrapErr(err, "find the hub account")
}

// LatestPostureSnapshot returns the newest snapshot of account ("": the
// hub's) with its detail; ENOTFOUND when no sync has recorded one yet.
func (s *Store) LatestPostureSnapshot(ctx context.Context, account string) (*PostureSnapshot, error) {
	account, err := s.postureAccount(ctx, account)
	if err != nil {
		return nil, err
	}
	var p PostureSnapshot
	err = scanPosture(s.db.QueryRowContext(ctx, s.q(`SELECT `+postureCols+`, detail FROM posture_snapshots WHERE `+inAccount+` ORDER BY id DESC LIMIT 1`),
		account, account), &p, &p.Detail)
	if err != nil {
		return nil, notFound(err, "err.posture.never")
	}
	return &p, nil
}

// PostureSnapshotsSince returns the snapshots of account ("": the hub's)
// taken at or after since, oldest first, without their detail.
func (s *Store) PostureSnapshotsSince(ctx context.Context, account string, since time.Time) ([]PostureSnapshot, error) {
	account, err := s.postureAccount(ctx, account)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+postureCols+` FROM posture_snapshots WHERE `+inAccount+` AND taken_at >= ? ORDER BY taken_at, id`),
		account, account, ms(since))
	if err != nil {
		return nil, fmt.Errorf("posture snapshots: %w", err)
	}
	defer rows.Close()
	var out []PostureSnapshot
	for rows.Next() {
		var p PostureSnapshot
		if err := scanPosture(rows, &p); err != nil {
			return nil, fmt.Errorf("posture snapshots: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

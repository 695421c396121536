package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// PostureSnapshot is the account's credential posture at one sync: the MFA
// coverage of console users, how many users fail each control, and (for
// the newest snapshot only) the full evaluation as JSON.
type PostureSnapshot struct {
	ID           int64
	TakenAt      time.Time
	ReportAt     time.Time
	Users        int
	ConsoleUsers int
	ConsoleMFA   int
	Failing      map[string]int // check ID → failing users (or policies); -1 when unknown
	Detail       string         // JSON of the evaluation; empty on older snapshots
}

// SavePostureSnapshot records a snapshot and empties the detail of the
// older ones (their counts stay for the trend).
func (s *Store) SavePostureSnapshot(ctx context.Context, p *PostureSnapshot) error {
	failing, err := json.Marshal(p.Failing)
	if err != nil {
		return fmt.Errorf("save posture snapshot: %w", err)
	}
	if p.Failing == nil {
		failing = []byte("{}")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO posture_snapshots (taken_at, report_at, users, console_users, console_mfa, failing, detail)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), ms(p.TakenAt), ms(p.ReportAt), p.Users, p.ConsoleUsers, p.ConsoleMFA, string(failing), p.Detail).Scan(&p.ID); err != nil {
			return fmt.Errorf("save posture snapshot: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE posture_snapshots SET detail = '' WHERE id < ? AND detail <> ''`), p.ID); err != nil {
			return fmt.Errorf("save posture snapshot: %w", err)
		}
		return nil
	})
}

const postureCols = `id, taken_at, report_at, users, console_users, console_mfa, failing`

func scanPosture(sc interface{ Scan(...any) error }, p *PostureSnapshot, extra ...any) error {
	var taken, report int64
	var failing string
	if err := sc.Scan(append([]any{&p.ID, &taken, &report, &p.Users, &p.ConsoleUsers, &p.ConsoleMFA, &failing}, extra...)...); err != nil {
		return err
	}
	p.TakenAt, p.ReportAt = fromMS(taken), fromMS(report)
	if err := json.Unmarshal([]byte(failing), &p.Failing); err != nil {
		return fmt.Errorf("posture snapshot %d: %w", p.ID, err)
	}
	return nil
}

// LatestPostureSnapshot returns the newest snapshot with its detail;
// ENOTFOUND when no sync has recorded one yet.
func (s *Store) LatestPostureSnapshot(ctx context.Context) (*PostureSnapshot, error) {
	var p PostureSnapshot
	err := scanPosture(s.db.QueryRowContext(ctx, `SELECT `+postureCols+`, detail FROM posture_snapshots ORDER BY id DESC LIMIT 1`), &p, &p.Detail)
	if err != nil {
		return nil, notFound(err, "err.posture.never")
	}
	return &p, nil
}

// PostureSnapshotsSince returns the snapshots taken at or after since,
// oldest first, without their detail.
func (s *Store) PostureSnapshotsSince(ctx context.Context, since time.Time) ([]PostureSnapshot, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+postureCols+` FROM posture_snapshots WHERE taken_at >= ? ORDER BY taken_at, id`), ms(since))
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

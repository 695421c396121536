package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
)

// Bulk item statuses.
const (
	ItemPending = "pending" // not started
	ItemRunning = "running" // started: the user may exist in the store and IAM already
	ItemDone    = "done"
	ItemFailed  = "failed"
)

// BulkItem is one CSV row of a bulk onboarding job.
type BulkItem struct {
	JobID int64
	Row   int
	// Account is the AWS account the user is created in; "" means the hub.
	Account     string
	UserName    string
	DisplayName string
	Email       string
	Deadline    time.Time
	Status      string
	// Text is why the row failed; Message is the same as a sentence, in
	// rows recorded before Text.
	Text    portal.Text
	Message string
	// InviteSealed is the invite token sealed with the portal key; nil
	// once the result was downloaded or purged.
	InviteSealed []byte
	InviteUntil  time.Time
	UpdatedAt    time.Time
}

// CreateBulkJob enqueues j together with its items, in one transaction, so
// a job never exists without its rows.
func (s *Store) CreateBulkJob(ctx context.Context, j *Job, items []BulkItem) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.insertJob(ctx, tx, j); err != nil {
			return fmt.Errorf("create bulk job: %w", err)
		}
		for i := range items {
			it := &items[i]
			it.JobID, it.Status, it.UpdatedAt = j.ID, ItemPending, j.CreatedAt
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO bulk_items (job_id, row_no, account_id, user_name, display_name, email, deadline, status, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), it.JobID, it.Row, it.Account, it.UserName, it.DisplayName, it.Email, ms(it.Deadline), it.Status, ms(it.UpdatedAt)); err != nil {
				return fmt.Errorf("create bulk job: %w", err)
			}
		}
		return nil
	})
}

// FindBulkItems returns the items of a job in row order.
func (s *Store) FindBulkItems(ctx context.Context, jobID int64) ([]BulkItem, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT job_id, row_no, account_id, user_name, display_name, email, deadline, status, message, message_text,
		invite_enc, invite_until, updated_at FROM bulk_items WHERE job_id = ? ORDER BY row_no`), jobID)
	if err != nil {
		return nil, fmt.Errorf("find bulk items job %d: %w", jobID, err)
	}
	defer rows.Close()
	var out []BulkItem
	for rows.Next() {
		var it BulkItem
		var deadline, until, updated int64
		if err := rows.Scan(&it.JobID, &it.Row, &it.Account, &it.UserName, &it.DisplayName, &it.Email, &deadline, &it.Status, &it.Message, textCol{&it.Text},
			&it.InviteSealed, &until, &updated); err != nil {
			return nil, fmt.Errorf("find bulk items job %d: %w", jobID, err)
		}
		it.Deadline, it.InviteUntil, it.UpdatedAt = fromMS(deadline), fromMS(until), fromMS(updated)
		out = append(out, it)
	}
	return out, rows.Err()
}

// BulkCounts counts a job's items by status (for the progress bar).
func (s *Store) BulkCounts(ctx context.Context, jobID int64) (map[string]int, error) {
	return s.countBy(ctx, `SELECT status, COUNT(*) FROM bulk_items WHERE job_id = ? GROUP BY status`, jobID)
}

// UpdateBulkItem records an item's status, message and (for done items) the
// sealed invite token.
func (s *Store) UpdateBulkItem(ctx context.Context, it *BulkItem, now time.Time) error {
	it.UpdatedAt = now
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE bulk_items SET status = ?, message = ?, message_text = ?, invite_enc = ?, invite_until = ?, updated_at = ?
		WHERE job_id = ? AND row_no = ?`), it.Status, it.Message, portal.EncodeText(it.Text), it.InviteSealed, ms(it.InviteUntil), ms(now), it.JobID, it.Row)
	return wrapErr(err, "update bulk item")
}

// ForgetInvites deletes the sealed invite tokens of a job and marks its
// result downloaded: the tokens exist only until the admin has them.
func (s *Store) ForgetInvites(ctx context.Context, jobID int64, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE bulk_items SET invite_enc = NULL WHERE job_id = ?`), jobID); err != nil {
			return fmt.Errorf("forget invites job %d: %w", jobID, err)
		}
		_, err := tx.ExecContext(ctx, s.q(`UPDATE jobs SET downloaded_at = ? WHERE id = ?`), ms(now), jobID)
		return wrapErr(err, "forget invites job %d", jobID)
	})
}

// PurgeInvites deletes sealed invite tokens of jobs finished before cutoff
// (the 24-hour limit), and returns how many tokens went.
func (s *Store) PurgeInvites(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE bulk_items SET invite_enc = NULL WHERE invite_enc IS NOT NULL
		AND job_id IN (SELECT id FROM jobs WHERE finished_at > 0 AND finished_at < ?)`), ms(cutoff))
	if err != nil {
		return 0, fmt.Errorf("purge invites: %w", err)
	}
	return res.RowsAffected()
}

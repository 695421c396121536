package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/gatehouse/portal"
)

// JobNotice is the job kind that delivers one e-mail notice; its payload is
// the notice's ID.
const JobNotice = "notice"

// Notice states.
const (
	NoticeQueued = "queued" // waiting for (another) delivery attempt
	NoticeSent   = "sent"   // the mail server accepted it
	NoticeFailed = "failed" // given up: a permanent refusal, or too many attempts
)

// Notice is one e-mail notice to an IAM user and how its delivery went.
// LinkSealed is the invite link sealed with the portal key (nil once sent
// or given up, and for notices without a link).
type Notice struct {
	ID         int64
	UserID     int64
	Kind       string
	Recipient  string
	LinkSealed []byte
	State      string
	Attempts   int
	LastError  portal.Text
	CreatedAt  time.Time
	UpdatedAt  time.Time
	SentAt     time.Time
	// Detail is what the e-mail tells beyond the user's name and deadline,
	// as the notice kind's own JSON (the key IDs of an access-key notice);
	// empty for most kinds. Nothing secret goes here.
	Detail string
}

const noticeCols = `id, user_id, kind, recipient, link_enc, state, attempts, last_error_text, created_at, updated_at, sent_at, detail`

func scanNotice(row interface{ Scan(...any) error }) (*Notice, error) {
	var n Notice
	var lastErr string
	var created, updated, sent int64
	if err := row.Scan(&n.ID, &n.UserID, &n.Kind, &n.Recipient, &n.LinkSealed, &n.State, &n.Attempts, &lastErr,
		&created, &updated, &sent, &n.Detail); err != nil {
		return nil, err
	}
	var err error
	if n.LastError, err = portal.DecodeText(lastErr); err != nil {
		return nil, fmt.Errorf("read notice %d: %w", n.ID, err)
	}
	n.CreatedAt, n.UpdatedAt, n.SentAt = fromMS(created), fromMS(updated), fromMS(sent)
	return &n, nil
}

// QueueNotice stores n (state queued) and the job that delivers it, in one
// transaction: a notice is never recorded without its job, nor the job
// without its notice.
func (s *Store) QueueNotice(ctx context.Context, n *Notice) error {
	n.State = NoticeQueued
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO notices (user_id, kind, recipient, link_enc, state, created_at, updated_at, detail)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), n.UserID, n.Kind, n.Recipient, n.LinkSealed, n.State,
			ms(n.CreatedAt), ms(n.CreatedAt), n.Detail).Scan(&n.ID); err != nil {
			return err
		}
		return s.insertJob(ctx, tx, &Job{Kind: JobNotice, Payload: strconv.FormatInt(n.ID, 10), CreatedBy: "system", CreatedAt: n.CreatedAt})
	})
	return wrapErr(err, "queue %s notice for user %d", n.Kind, n.UserID)
}

// FindNotice returns a notice by ID.
func (s *Store) FindNotice(ctx context.Context, id int64) (*Notice, error) {
	n, err := scanNotice(s.db.QueryRowContext(ctx, s.q(`SELECT `+noticeCols+` FROM notices WHERE id = ?`), id))
	return n, notFound(wrapErr(err, "find notice %d", id), "err.notice.notfound")
}

// FindNotices returns the latest limit notices of a user, newest first.
func (s *Store) FindNotices(ctx context.Context, userID int64, limit int) ([]Notice, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+noticeCols+` FROM notices WHERE user_id = ? ORDER BY id DESC LIMIT ?`), userID, limit)
	if err != nil {
		return nil, wrapErr(err, "find notices of user %d", userID)
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, wrapErr(err, "find notices of user %d", userID)
		}
		out = append(out, *n)
	}
	return out, wrapErr(rows.Err(), "find notices of user %d", userID)
}

// NoticeAttempted records a delivery attempt of a queued notice. sent:
// the mail server took it; otherwise why says why not, and final gives up
// (state failed). A sent or given-up notice loses its sealed link.
func (s *Store) NoticeAttempted(ctx context.Context, id int64, sent, final bool, why portal.Text, now time.Time) error {
	var err error
	switch {
	case sent:
		_, err = s.db.ExecContext(ctx, s.q(`UPDATE notices SET state = ?, attempts = attempts + 1, last_error_text = '', link_enc = NULL,
			updated_at = ?, sent_at = ? WHERE id = ?`), NoticeSent, ms(now), ms(now), id)
	case final:
		_, err = s.db.ExecContext(ctx, s.q(`UPDATE notices SET state = ?, attempts = attempts + 1, last_error_text = ?, link_enc = NULL,
			updated_at = ? WHERE id = ?`), NoticeFailed, portal.EncodeText(why), ms(now), id)
	default:
		_, err = s.db.ExecContext(ctx, s.q(`UPDATE notices SET attempts = attempts + 1, last_error_text = ?, updated_at = ? WHERE id = ?`),
			portal.EncodeText(why), ms(now), id)
	}
	return wrapErr(err, "record delivery of notice %d", id)
}

package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/portal"
)

// JobWebhook is the job kind of one webhook delivery (payload: the
// delivery's ID).
const JobWebhook = "webhook"

// WebhookEndpoint is an HTTPS endpoint an admin registered for some events.
type WebhookEndpoint struct {
	ID     int64
	URL    string
	Events []string // portal.WebhookEvents it wants
	// SecretSealed is the signing secret sealed with the portal key; only
	// the webhook service opens it, to sign.
	SecretSealed []byte
	Enabled      bool
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// WebhookDelivery is one event sent (or to be sent) to one endpoint: what
// the payload says, frozen at the event, and how the attempts went.
type WebhookDelivery struct {
	ID         int64
	EndpointID int64
	MsgID      string // the webhook-id header: the same for every attempt and a re-send
	Event      string // a portal.WebhookEvents type
	EventAt    time.Time
	Actor      string
	// SubjectKind and Subject name what the event is about: an IAM user
	// (portal.TargetUser, its name), a bulk job (its ID), the policy.
	SubjectKind string
	Subject     string
	// AccountID is the AWS account of the IAM user a delivery about a user
	// is about (the audit event's); "" for other subjects, and for user
	// deliveries queued before deliveries named their account, which are
	// the hub account's.
	AccountID   string
	DisplayName string // a user's display name at the event
	State       string // a user's state at the event
	Done        int    // a bulk job's rows onboarded
	Failed      int    // a bulk job's rows that failed
	Attempts    int
	StatusCode  int // the last answer's HTTP status; 0: none
	LastError   portal.Text
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeliveredAt time.Time // zero until a 2xx answer
}

const endpointCols = `id, url, events, secret_sealed, enabled, created_by, created_at, updated_at`

func scanEndpoint(row interface{ Scan(...any) error }) (*WebhookEndpoint, error) {
	var ep WebhookEndpoint
	var events string
	var enabled, created, updated int64
	if err := row.Scan(&ep.ID, &ep.URL, &events, &ep.SecretSealed, &enabled, &ep.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	ep.Events = splitEvents(events)
	ep.Enabled, ep.CreatedAt, ep.UpdatedAt = enabled == 1, fromMS(created), fromMS(updated)
	return &ep, nil
}

func splitEvents(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// CreateWebhookEndpoint stores a new, enabled endpoint and sets its ID.
func (s *Store) CreateWebhookEndpoint(ctx context.Context, ep *WebhookEndpoint) error {
	ep.Enabled, ep.UpdatedAt = true, ep.CreatedAt
	err := s.db.QueryRowContext(ctx, s.q(`INSERT INTO webhook_endpoints (url, events, secret_sealed, enabled, created_by, created_at, updated_at)
		VALUES (?, ?, ?, 1, ?, ?, ?) RETURNING id`), ep.URL, strings.Join(ep.Events, ","), ep.SecretSealed, ep.CreatedBy,
		ms(ep.CreatedAt), ms(ep.CreatedAt)).Scan(&ep.ID)
	return wrapErr(err, "create webhook endpoint")
}

// FindWebhookEndpoint returns an endpoint by ID.
func (s *Store) FindWebhookEndpoint(ctx context.Context, id int64) (*WebhookEndpoint, error) {
	ep, err := scanEndpoint(s.db.QueryRowContext(ctx, s.q(`SELECT `+endpointCols+` FROM webhook_endpoints WHERE id = ?`), id))
	return ep, notFound(err, "err.webhook.nosuch")
}

// FindWebhookEndpoints returns every endpoint, oldest first.
func (s *Store) FindWebhookEndpoints(ctx context.Context) ([]*WebhookEndpoint, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+endpointCols+` FROM webhook_endpoints ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("find webhook endpoints: %w", err)
	}
	defer rows.Close()
	var out []*WebhookEndpoint
	for rows.Next() {
		ep, err := scanEndpoint(rows)
		if err != nil {
			return nil, fmt.Errorf("find webhook endpoints: %w", err)
		}
		out = append(out, ep)
	}
	return out, rows.Err()
}

// SetWebhookEndpointEnabled turns an endpoint's deliveries on or off.
func (s *Store) SetWebhookEndpointEnabled(ctx context.Context, id int64, enabled bool, now time.Time) error {
	on := 0
	if enabled {
		on = 1
	}
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE webhook_endpoints SET enabled = ?, updated_at = ? WHERE id = ?`), on, ms(now), id)
	return affectedOne(res, err, "err.webhook.nosuch", "set webhook endpoint %d", id)
}

// DeleteWebhookEndpoint deletes an endpoint with its delivery log; its
// queued deliveries find nothing to send and end.
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, s.q(`DELETE FROM webhook_endpoints WHERE id = ?`), id)
	return affectedOne(res, err, "err.webhook.nosuch", "delete webhook endpoint %d", id)
}

// affectedOne turns an update of no row into ENOTFOUND with key.
func affectedOne(res sql.Result, err error, key, format string, args ...any) error {
	if err != nil {
		return fmt.Errorf(format+": %w", append(args, err)...)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return portal.E(portal.ENOTFOUND, key)
	}
	return nil
}

const deliveryCols = `id, endpoint_id, msg_id, event_type, event_at, actor, subject_kind, subject, account_id, display_name, state, done_count, failed_count,
	attempts, status_code, last_error_text, created_at, updated_at, delivered_at`

func scanDelivery(row interface{ Scan(...any) error }) (*WebhookDelivery, error) {
	var d WebhookDelivery
	var at, created, updated, delivered int64
	if err := row.Scan(&d.ID, &d.EndpointID, &d.MsgID, &d.Event, &at, &d.Actor, &d.SubjectKind, &d.Subject, &d.AccountID, &d.DisplayName, &d.State,
		&d.Done, &d.Failed, &d.Attempts, &d.StatusCode, textCol{&d.LastError}, &created, &updated, &delivered); err != nil {
		return nil, err
	}
	d.EventAt, d.CreatedAt, d.UpdatedAt, d.DeliveredAt = fromMS(at), fromMS(created), fromMS(updated), fromMS(delivered)
	return &d, nil
}

// FindWebhookDelivery returns a delivery by ID.
func (s *Store) FindWebhookDelivery(ctx context.Context, id int64) (*WebhookDelivery, error) {
	d, err := scanDelivery(s.db.QueryRowContext(ctx, s.q(`SELECT `+deliveryCols+` FROM webhook_deliveries WHERE id = ?`), id))
	return d, notFound(err, "err.webhook.delivery.nosuch")
}

// FindWebhookDeliveries returns an endpoint's latest deliveries, newest
// first, at most limit.
func (s *Store) FindWebhookDeliveries(ctx context.Context, endpointID int64, limit int) ([]*WebhookDelivery, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+deliveryCols+` FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY id DESC LIMIT ?`),
		endpointID, limit)
	if err != nil {
		return nil, fmt.Errorf("find webhook deliveries: %w", err)
	}
	defer rows.Close()
	var out []*WebhookDelivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("find webhook deliveries: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RecordWebhookAttempt records one attempt at a delivery: the answer's
// status (0: none), why it failed (empty Text: it did not), and whether the
// receiver took it.
func (s *Store) RecordWebhookAttempt(ctx context.Context, id int64, status int, why portal.Text, delivered bool, now time.Time) error {
	set := ""
	args := []any{status, portal.EncodeText(why), ms(now)}
	if delivered {
		set, args = ", delivered_at = ?", append(args, ms(now))
	}
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE webhook_deliveries SET attempts = attempts + 1, status_code = ?, last_error_text = ?,
		updated_at = ?`+set+` WHERE id = ?`), append(args, id)...)
	return wrapErr(err, "record webhook attempt %d", id)
}

// ResendWebhookDelivery queues a delivery to be sent again (with the same
// webhook-id and body) by a new job.
func (s *Store) ResendWebhookDelivery(ctx context.Context, id int64, by string, now time.Time) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE webhook_deliveries SET updated_at = ? WHERE id = ?`), ms(now), id)
		if err := affectedOne(res, err, "err.webhook.delivery.nosuch", "resend webhook delivery %d", id); err != nil {
			return err
		}
		return s.insertJob(ctx, tx, &Job{Kind: JobWebhook, Payload: strconv.FormatInt(id, 10), CreatedBy: by, CreatedAt: now})
	})
}

// queueWebhooks writes, inside the audit event's transaction, one delivery
// and its job for every enabled endpoint subscribed to the event e
// announces. The payload's facts (a user's state, a bulk job's counts) are
// read here, so they are those at the event.
func (s *Store) queueWebhooks(ctx context.Context, tx *sql.Tx, e *portal.AuditEvent) error {
	typ := portal.WebhookEventOf(e.Action)
	if typ == "" {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, events FROM webhook_endpoints WHERE enabled = 1 ORDER BY id`)
	if err != nil {
		return fmt.Errorf("queue webhooks: %w", err)
	}
	var endpoints []int64
	for rows.Next() {
		var id int64
		var events string
		if err := rows.Scan(&id, &events); err != nil {
			rows.Close()
			return fmt.Errorf("queue webhooks: %w", err)
		}
		if slices.Contains(splitEvents(events), typ) {
			endpoints = append(endpoints, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(endpoints) == 0 {
		return wrapErr(err, "queue webhooks")
	}
	d := WebhookDelivery{Event: typ, EventAt: e.At, Actor: e.Actor, SubjectKind: e.TargetKind, Subject: e.Target, CreatedAt: e.At}
	switch e.TargetKind {
	case portal.TargetUser:
		d.AccountID = e.AccountID
		// The user of the event's account: the same name in another
		// account is another user.
		query, args := `SELECT display_name, state FROM users WHERE user_name_key = ?`, []any{portal.UserNameKey(e.Target)}
		if e.AccountID != "" {
			query, args = query+` AND `+inAccount+` ORDER BY account_id DESC LIMIT 1`, append(args, e.AccountID, e.AccountID)
		}
		err := tx.QueryRowContext(ctx, s.q(query), args...).Scan(&d.DisplayName, &d.State)
		if err != nil && err != sql.ErrNoRows {
			return fmt.Errorf("queue webhooks: %w", err)
		}
	case portal.TargetJob:
		jobID, _ := strconv.ParseInt(e.Target, 10, 64)
		err := tx.QueryRowContext(ctx, s.q(`SELECT COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0) FROM bulk_items WHERE job_id = ?`), ItemDone, ItemFailed, jobID).
			Scan(&d.Done, &d.Failed)
		if err != nil {
			return fmt.Errorf("queue webhooks: %w", err)
		}
	}
	for _, ep := range endpoints {
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO webhook_deliveries (endpoint_id, msg_id, event_type, event_at, actor, subject_kind, subject,
			account_id, display_name, state, done_count, failed_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			ep, newMsgID(), d.Event, ms(d.EventAt), d.Actor, d.SubjectKind, d.Subject, d.AccountID, d.DisplayName, d.State, d.Done, d.Failed,
			ms(d.CreatedAt), ms(d.CreatedAt)).Scan(&d.ID); err != nil {
			return fmt.Errorf("queue webhook delivery: %w", err)
		}
		if err := s.insertJob(ctx, tx, &Job{Kind: JobWebhook, Payload: strconv.FormatInt(d.ID, 10), CreatedBy: "system", CreatedAt: e.At}); err != nil {
			return fmt.Errorf("queue webhook delivery: %w", err)
		}
	}
	return nil
}

// newMsgID returns a fresh webhook-id ("msg_" and 32 hex digits).
func newMsgID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "msg_" + hex.EncodeToString(b)
}

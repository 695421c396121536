package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse/portal"
)

// CreateAuditEvent appends an event to the audit log. The log is
// append-only: the store has no method that changes or deletes events.
// Every event says what kind of thing its target is. An event that a
// webhook announces (portal.WebhookEventOf) queues one delivery per enabled
// endpoint subscribed to it, in the same transaction.
func (s *Store) CreateAuditEvent(ctx context.Context, e *portal.AuditEvent) error {
	if !slices.Contains(portal.TargetKinds, e.TargetKind) {
		return fmt.Errorf("create audit event %s: unknown target kind %q", e.Action, e.TargetKind)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO audit_events (at, actor, action, target_kind, target, account_id, detail, detail_text, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			ms(e.At), e.Actor, e.Action, e.TargetKind, e.Target, e.AccountID, e.Detail, portal.EncodeText(e.Text), e.RequestID).Scan(&e.ID); err != nil {
			return err
		}
		// The webhook deliveries the event announces commit with it (an
		// outbox): no event is recorded without its deliveries, or the
		// other way round.
		return s.queueWebhooks(ctx, tx, e)
	})
}

// FindAuditEvents returns events matching q, newest first: the audit log
// page and its CSV, and a user's timeline.
func (s *Store) FindAuditEvents(ctx context.Context, q portal.AuditFilter) ([]*portal.AuditEvent, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if q.Actor != "" {
		add("actor = ?", q.Actor)
	}
	if q.Action != "" {
		add("action = ?", q.Action)
	}
	if q.TargetKind != "" {
		add("target_kind = ?", q.TargetKind)
	}
	if q.Target != "" {
		add("target = ?", q.Target)
	}
	if q.Account != "" {
		// An event recorded before events named their account is about a
		// user of the hub (as a user recorded without one: inAccount).
		where = append(where, `(account_id = ? OR (account_id = '' AND target_kind = ? AND EXISTS (SELECT 1 FROM accounts WHERE hub = 1 AND account_id = ?)))`)
		args = append(args, q.Account, portal.TargetUser, q.Account)
	}
	if !q.Since.IsZero() {
		add("at >= ?", ms(q.Since))
	}
	if !q.Until.IsZero() {
		add("at < ?", ms(q.Until))
	}
	if q.BeforeID > 0 {
		add("id < ?", q.BeforeID)
	}
	query := `SELECT id, at, actor, action, target_kind, target, account_id, detail, detail_text, request_id FROM audit_events`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC"
	if q.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, q.Limit)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("find audit events: %w", err)
	}
	defer rows.Close()
	var out []*portal.AuditEvent
	for rows.Next() {
		var e portal.AuditEvent
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.TargetKind, &e.Target, &e.AccountID, &e.Detail, textCol{&e.Text}, &e.RequestID); err != nil {
			return nil, fmt.Errorf("find audit events: %w", err)
		}
		e.At = fromMS(at)
		out = append(out, &e)
	}
	return out, rows.Err()
}

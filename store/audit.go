package store

import (
	"context"

	"github.com/gatehouse/portal"
)

// CreateAuditEvent appends an event to the audit log. The log is
// append-only: the store has no method that changes or deletes events.
func (s *Store) CreateAuditEvent(ctx context.Context, e *portal.AuditEvent) error {
	return s.db.QueryRowContext(ctx, s.q(`INSERT INTO audit_events (at, actor, action, target, detail, request_id) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
		ms(e.At), e.Actor, e.Action, e.Target, e.Detail, e.RequestID).Scan(&e.ID)
}

// FindAuditEvents returns events matching f, newest first.
func (s *Store) FindAuditEvents(ctx context.Context, f portal.AuditFilter) ([]*portal.AuditEvent, error) {
	return s.SearchAuditEvents(ctx, AuditQuery{AuditFilter: f})
}

package store

import (
	"context"
	"strings"

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
	var where []string
	var args []any
	for col, v := range map[string]string{"actor": f.Actor, "action": f.Action, "target": f.Target} {
		if v != "" {
			where, args = append(where, col+" = ?"), append(args, v)
		}
	}
	query := `SELECT id, at, actor, action, target, detail, request_id FROM audit_events`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC"
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*portal.AuditEvent
	for rows.Next() {
		var e portal.AuditEvent
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.RequestID); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		out = append(out, &e)
	}
	return out, rows.Err()
}

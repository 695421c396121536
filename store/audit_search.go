package store

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse/portal"
)

// AuditQuery selects audit events for the audit log page and its CSV
// export: the exact-match filters of portal.AuditFilter plus a time range
// and keyset paging.
type AuditQuery struct {
	portal.AuditFilter
	Since    time.Time // inclusive; zero: no lower bound
	Until    time.Time // exclusive; zero: no upper bound
	BeforeID int64     // only events older than this ID (the next page)
}

// SearchAuditEvents returns events matching q, newest first.
func (s *Store) SearchAuditEvents(ctx context.Context, q AuditQuery) ([]*portal.AuditEvent, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
	if q.Actor != "" {
		add("actor = ?", q.Actor)
	}
	if q.Action != "" {
		add("action = ?", q.Action)
	}
	if q.Target != "" {
		add("target = ?", q.Target)
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
	query := `SELECT id, at, actor, action, target, detail, request_id FROM audit_events`
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

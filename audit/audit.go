// Package audit writes the audit log for every service (auth, onboarding,
// jobs): one helper, so each event is recorded the same way. An event is
// recorded after the change it describes has happened, so a failure to
// record it is logged, with the whole event, instead of returned: the
// caller's answer must not depend on it, and no event is silently gone.
package audit

import (
	"context"
	"log/slog"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/store"
)

// recordTimeout bounds the write of one event.
const recordTimeout = 10 * time.Second

// Log records audit events in the store.
type Log struct {
	store *store.Store
	log   *slog.Logger
	now   func() time.Time
}

// New returns a Log over st; logger gets the events that could not be
// recorded, now stamps them.
func New(st *store.Store, logger *slog.Logger, now func() time.Time) *Log {
	if logger == nil {
		logger = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &Log{store: st, log: logger, now: now}
}

// Record appends e, stamped with the time now. It is written on a context
// that outlives the request (a client that goes away does not erase the
// record of what it did).
func (l *Log) Record(ctx context.Context, e portal.AuditEvent) {
	e.At = l.now()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := l.store.CreateAuditEvent(rctx, &e); err != nil {
		l.log.ErrorContext(ctx, "audit event lost: not recorded in the database", "at", e.At, "actor", e.Actor, "action", e.Action,
			"target_kind", e.TargetKind, "target", e.Target, "detail", i18n.Text(i18n.EN, e.Text), "request_id", e.RequestID, "err", err)
	}
}

package auth

import (
	"context"

	"github.com/gatehouse/portal"
)

// Caller says who asks and from where. Auth records every event it causes
// (sign-ins and their failures, operator changes, tokens) in the audit log
// with it.
type Caller struct {
	// Operator is the signed-in operator; nil at sign-in and on one-time
	// links.
	Operator *portal.Operator
	// IP is the client's address: the TCP peer, or behind trusted proxies
	// the address they forwarded (PORTAL_TRUSTED_PROXIES).
	IP        string
	RequestID string
	// Console names who acts from the server's command line, where no
	// operator is signed in (the audit log's actor).
	Console string
}

// actor is the audit log's name of whoever calls.
func (c Caller) actor() string {
	if c.Operator != nil {
		return c.Operator.Username
	}
	if c.Console != "" {
		return c.Console
	}
	return "anonymous"
}

// audit records an event caused by c about target, of kind.
func (s *Service) audit(ctx context.Context, c Caller, action, kind, target string, text portal.Text) {
	s.auditLog.Record(ctx, portal.AuditEvent{Actor: c.actor(), Action: action, TargetKind: kind, Target: target, Text: text, RequestID: c.RequestID})
}

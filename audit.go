package portal

import "time"

// AuditEvent records one state change: who did what to which target, when.
type AuditEvent struct {
	ID        int64
	At        time.Time
	Actor     string // operator username, "invitee:<user>", or "system"
	Action    string // e.g. "user.create", "invite.claim", "mfa.enable"
	Target    string // e.g. the IAM user name
	Detail    string // human-readable, never a secret
	RequestID string
}

// AuditFilter selects audit events.
type AuditFilter struct {
	Actor  string
	Action string
	Target string
	Limit  int
}

package portal

import "time"

// AuditEvent records one state change: who did what to which target, when.
type AuditEvent struct {
	ID        int64
	At        time.Time
	Actor     string // operator username, "invitee:<user>", or "system"
	Action    string // e.g. "user.create", "invite.claim", "mfa.enable"
	Target    string // e.g. the IAM user name
	Text      Text   // what happened in detail, for people; never a secret
	Detail    string // the same as a sentence, in events recorded before Text
	RequestID string
}

// AuditFilter selects audit events in FindAuditEvents: exact matches, a
// time range and keyset paging (newest first).
type AuditFilter struct {
	Actor    string
	Action   string
	Target   string
	Since    time.Time // inclusive; zero: no lower bound
	Until    time.Time // exclusive; zero: no upper bound
	BeforeID int64     // only events older than this ID (the next page)
	Limit    int
}

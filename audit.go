package portal

import "time"

// AuditEvent records one state change: who did what to which target, when.
type AuditEvent struct {
	ID     int64
	At     time.Time
	Actor  string // operator username, "invitee:<user>", or "system"
	Action string // e.g. "user.create", "invite.claim", "mfa.enable"
	// TargetKind says what Target names (TargetUser, TargetOperator …):
	// an operator and an IAM user may share a name, a view never mixes
	// them up.
	TargetKind string
	Target     string // e.g. the IAM user name
	// AccountID is the AWS account of the IAM user an event of kind
	// TargetUser is about (the same name in two accounts is two users);
	// "" for other kinds, and for user events recorded before events
	// named their account, which are the hub account's.
	AccountID string
	Text      Text   // what happened in detail, for people; never a secret
	Detail    string // the same as a sentence, in events recorded before Text
	RequestID string
}

// AuditFilter selects audit events in FindAuditEvents: exact matches, a
// time range and keyset paging (newest first).
type AuditFilter struct {
	Actor      string
	Action     string
	TargetKind string // one of TargetKinds; empty: any
	Target     string
	// Account selects the events about IAM users of that AWS account (the
	// hub's include user events recorded before events named their
	// account); empty: any account, and events of every kind.
	Account  string
	Since    time.Time // inclusive; zero: no lower bound
	Until    time.Time // exclusive; zero: no upper bound
	BeforeID int64     // only events older than this ID (the next page)
	Limit    int
}

// Kinds of audit targets.
const (
	TargetUser     = "user"     // an IAM user (Target is its name)
	TargetOperator = "operator" // an operator of the portal (their user name)
	TargetPolicy   = "policy"   // the managed policy (its name)
	TargetJob      = "job"      // a bulk onboarding job (its ID)
	TargetToken    = "token"    // an API token (its ID)
	TargetDevice   = "device"   // an MFA device (its serial)
	TargetWebhook  = "webhook"  // a webhook endpoint (its ID)
	TargetAccount  = "account"  // an AWS account Gatehouse manages (its ID)
)

// TargetKinds lists every kind of audit target.
var TargetKinds = []string{TargetUser, TargetOperator, TargetPolicy, TargetJob, TargetToken, TargetDevice, TargetWebhook, TargetAccount}

package portal

import (
	"slices"
	"time"
)

// Role is what an operator of the portal may do.
type Role string

// Roles, from most to least powerful.
const (
	RoleAdmin    Role = "admin"    // everything
	RoleHelpdesk Role = "helpdesk" // status, invites, deadlines, lost devices
	RoleAuditor  Role = "auditor"  // read-only
)

// Roles lists every role. What each may do is decided in one place, the
// route table's access levels (package handlers), never by comparing roles.
var Roles = []Role{RoleAdmin, RoleHelpdesk, RoleAuditor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Operator is a person who signs in to Gatehouse itself (password + TOTP).
type Operator struct {
	ID           int64
	Username     string
	PasswordHash string // argon2id, PHC string format
	// TOTPSecretEnc is the operator's TOTP seed encrypted with the portal's
	// secret key: the one secret Gatehouse stores, never in plain form.
	TOTPSecretEnc []byte
	// TOTPLastStep is the last accepted 30-second step, so a code is
	// accepted only once.
	TOTPLastStep int64
	Role         Role
	CreatedAt    time.Time
	DisabledAt   time.Time
}

// Session is a signed-in operator's session. The cookie holds a random ID;
// the database holds only its hash.
type Session struct {
	IDHash     string
	OperatorID int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

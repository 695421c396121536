package portal

import "time"

// Role is what an operator of the portal may do.
type Role string

// Roles, from most to least powerful.
const (
	RoleAdmin    Role = "admin"    // everything
	RoleHelpdesk Role = "helpdesk" // status, invites, deadlines, lost devices
	RoleAuditor  Role = "auditor"  // read-only
)

// rank orders roles so that a route can require "at least" a role.
var rank = map[Role]int{RoleAuditor: 1, RoleHelpdesk: 2, RoleAdmin: 3}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return rank[r] > 0 }

// AtLeast reports whether r includes everything min may do.
func (r Role) AtLeast(min Role) bool { return rank[r] >= rank[min] && rank[min] > 0 }

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

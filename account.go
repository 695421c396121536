package portal

import (
	"regexp"
	"time"
)

// Account is an AWS account Gatehouse manages IAM users in. The hub account
// is Gatehouse's own (its credentials' account, always present, reached
// without a role); a member account is reached by assuming RoleARN with
// ExternalID from the hub.
type Account struct {
	ID   string // 12 digits
	Name string
	Hub  bool
	// RoleARN is the role assumed in a member account; "" for the hub.
	RoleARN    string
	ExternalID string
	// Status is the last check's outcome and Reason, when unreachable, what
	// failed, in words; CheckedAt is when (zero: never checked).
	Status    AccountStatus
	Reason    Text
	CheckedAt time.Time
	CreatedBy string
	CreatedAt time.Time
}

// AccountStatus is whether Gatehouse could reach an account at its last check.
type AccountStatus string

// Account statuses ("" means not checked yet).
const (
	AccountReachable   AccountStatus = "reachable"
	AccountUnreachable AccountStatus = "unreachable"
)

// Label is the account as people know it: "name (id)", or the ID alone.
func (a *Account) Label() string {
	if a.Name == "" {
		return a.ID
	}
	return a.Name + " (" + a.ID + ")"
}

var accountIDRE = regexp.MustCompile(`^[0-9]{12}$`)

// ValidAccountID reports whether id is an AWS account ID: exactly 12 digits.
func ValidAccountID(id string) bool { return accountIDRE.MatchString(id) }

// roleARNRE is an IAM role ARN: arn:PARTITION:iam::ACCOUNT:role/PATH/NAME.
var roleARNRE = regexp.MustCompile(`^arn:[a-z-]+:iam::([0-9]{12}):role/[\w+=,.@/-]+$`)

// NewAccount is an admin's request to manage a member account.
type NewAccount struct {
	ID         string
	Name       string
	RoleARN    string // "" means DefaultRoleARN
	ExternalID string
}

// DefaultRoleName is the role Gatehouse assumes in a member account unless
// the admin names another (docs/gatehouse-member-role.yaml creates it).
const DefaultRoleName = "GatehouseAdmin"

// DefaultRoleARN is arn:PARTITION:iam::ACCOUNT:role/GatehouseAdmin.
func (p Partition) DefaultRoleARN(account string) string {
	return p.IAMARN(account, "role/"+DefaultRoleName)
}

// externalIDRE is what STS accepts as an external ID: 2–1224 of letters,
// digits and +=,.@:/-.
var externalIDRE = regexp.MustCompile(`^[\w+=,.@:/-]+$`)

// Validate checks the request; the errors name the form inputs account_id,
// name, role_arn and external_id.
func (n *NewAccount) Validate() error {
	switch {
	case !ValidAccountID(n.ID):
		return FieldE("account_id", "err.account.id")
	case len(n.Name) > 64 || !Printable(n.Name):
		return FieldE("name", "err.account.name")
	case n.ExternalID != "" && (len(n.ExternalID) < 2 || len(n.ExternalID) > 1224 || !externalIDRE.MatchString(n.ExternalID)):
		return FieldE("external_id", "err.account.externalid")
	}
	if n.RoleARN != "" {
		m := roleARNRE.FindStringSubmatch(n.RoleARN)
		if m == nil || len(n.RoleARN) > 2048 {
			return FieldE("role_arn", "err.account.rolearn")
		}
		if m[1] != n.ID {
			return FieldE("role_arn", "err.account.rolearn.other", m[1], n.ID)
		}
	}
	return nil
}

package portal

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// State is what Gatehouse last knew for certain about a managed user's
// enrollment. The Status shown to people is derived from it and the deadline.
type State string

// States of a managed IAM user.
const (
	StateProvisioning State = "provisioning" // the onboarding saga has not finished
	StateInvited      State = "invited"      // IAM user exists, invite not claimed yet
	StateClaimed      State = "claimed"      // invite claimed, console password issued, no MFA yet
	StateEnrolled     State = "enrolled"     // an MFA device is active in IAM
	StateMFARemoved   State = "mfa-removed"  // was enrolled, the device is gone
	StateOffboarded   State = "offboarded"   // the IAM user was deleted; record kept for audit
)

// Status is a user's enrollment status as shown in lists and counted on the
// dashboard: the State, except that pending users past their deadline are
// "overdue".
type Status string

// Statuses shown to people (and used as data-status values).
const (
	StatusProvisioning Status = "provisioning"
	StatusInvited      Status = "invited"
	StatusClaimed      Status = "claimed"
	StatusEnrolled     Status = "enrolled"
	StatusOverdue      Status = "overdue"
	StatusMFARemoved   Status = "mfa-removed"
	StatusOffboarded   Status = "offboarded"
)

// Statuses are all statuses, in the order filters and counts list them.
var Statuses = []Status{StatusProvisioning, StatusInvited, StatusClaimed, StatusEnrolled, StatusOverdue,
	StatusMFARemoved, StatusOffboarded}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// User is an IAM user managed by Gatehouse.
type User struct {
	ID int64
	// AccountID is the AWS account the IAM user lives in (12 digits).
	AccountID   string
	UserName    string
	DisplayName string
	Email       string
	State       State
	Deadline    time.Time
	ARN         string
	// IAMUserID is the IAM UserId (AIDA…) recorded when Gatehouse created or
	// adopted the user: the IAM user Gatehouse acts on must still have it
	// (a name can be reused by a user re-created outside Gatehouse).
	IAMUserID  string
	MFASerial  string
	EnrolledAt time.Time
	// Path is the IAM path ("/" unless the admin confirmed another) and
	// PasswordResetRequired the forced-reset option: both are advanced
	// onboarding options the policy linter warns about.
	Path                  string
	PasswordResetRequired bool
	CreatedBy             string
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// StatusAt returns the user's status at time now.
func (u *User) StatusAt(now time.Time) Status {
	switch u.State {
	case StateInvited, StateClaimed, StateProvisioning:
		if !u.Deadline.IsZero() && now.After(u.Deadline) {
			return StatusOverdue
		}
	}
	return Status(u.State)
}

// UserSort is an order of FindUsers' result. Each is a keyset order that
// ends in the case-folded user name, which is unique, so a page boundary is
// never ambiguous.
type UserSort string

// Orders of the user list.
const (
	SortName     UserSort = "name"     // user name, A→Z (the default)
	SortNameDesc UserSort = "-name"    // user name, Z→A
	SortDeadline UserSort = "deadline" // earliest deadline first, then name
)

// UserSorts are all orders, in the order the user list offers them.
var UserSorts = []UserSort{SortName, SortNameDesc, SortDeadline}

// Valid reports whether s is a known order ("" counts as SortName).
func (s UserSort) Valid() bool { return s == "" || slices.Contains(UserSorts, s) }

// UserFilter selects managed users in FindUsers. Every set field narrows the
// result; After and Limit page through it (keyset pagination: page 100
// costs what page 1 costs).
type UserFilter struct {
	Query string // substring of user name, display name or e-mail, ignoring case
	// Account selects the users of one AWS account; "" for all.
	Account string
	Status  Status  // a status as shown to people ("overdue", "invited" …); "" for all
	States  []State // any of these states; nil for all
	// IAMUserID selects the user recorded with this IAM UserId.
	IAMUserID string
	// ClaimInterrupted selects users whose newest invite was claimed but
	// whose console password was never set (the portal stopped in between).
	ClaimInterrupted bool
	// DeadlineFrom and DeadlineTo, when either is set, select pending users
	// whose deadline lies in [DeadlineFrom, DeadlineTo) (a zero bound is
	// open): the dashboard's overdue and due-soon lists, the deadline job.
	DeadlineFrom, DeadlineTo time.Time
	// GroupByEmail lists the users with an e-mail address ordered by it
	// (ignoring case), then by name and account, so one person's IAM users
	// in several accounts come together; Sort is ignored. A page ends
	// before a group it would cut, unless that group fills the page.
	GroupByEmail bool
	Sort         UserSort
	After        string    // the previous page's Next; "" for the first page
	Limit        int       // page size; 0 means every match
	Now          time.Time // the time statuses are evaluated at
}

// UserPage is one page of users and the cursor of the next page ("" when
// this is the last).
type UserPage struct {
	Users []*User
	Next  string
}

// PendingStates are the states in which a user can become overdue.
var PendingStates = []State{StateProvisioning, StateInvited, StateClaimed}

// userNameRE is IAM's user-name pattern: 1–64 of letters, digits and _+=,.@-
// (docs/iam-notes.md#names-limits-and-quotas).
var userNameRE = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

// ValidateUserName checks name against IAM's rules and returns a field error
// for the form input "user_name" that says how to fix it.
func ValidateUserName(name string) error {
	switch {
	case name == "":
		return FieldE("user_name", "err.username.empty")
	case len(name) > 64:
		return FieldE("user_name", "err.username.long", len(name))
	case !userNameRE.MatchString(name):
		return FieldE("user_name", "err.username.chars")
	}
	return nil
}

// UserNameKey is the case-folded form IAM uses for uniqueness: "Bob" and
// "bob" cannot both exist.
func UserNameKey(name string) string { return strings.ToLower(name) }

// NewUser is the input to onboarding one IAM user.
type NewUser struct {
	// Account is the AWS account to create the user in; "" means the hub.
	Account     string
	UserName    string
	DisplayName string
	Email       string
	Deadline    time.Time
	// Path is the IAM path the user is created at; "" means "/". Under the
	// forced-MFA policy a path other than "/" is a trap (policy.CheckPath).
	Path string
	// PasswordResetRequired makes the console password a temporary one.
	// Under the forced-MFA policy it locks the user out (policy.Lint).
	PasswordResetRequired bool
	// Lang is the language of e-mail notices to the user ("en" or "ja";
	// "" leaves it unset, which is English).
	Lang string
}

// Validate checks every field and returns the first problem found.
func (n *NewUser) Validate(now time.Time) error {
	if err := ValidateUserName(n.UserName); err != nil {
		return err
	}
	if len(n.DisplayName) > 128 {
		return FieldE("display_name", "err.displayname.long")
	}
	if !Printable(n.DisplayName) {
		return FieldE("display_name", "err.name.hidden")
	}
	if n.Email != "" && !validEmail(n.Email) {
		return FieldE("email", "err.email.invalid")
	}
	if !n.Deadline.IsZero() && !n.Deadline.After(now) {
		return FieldE("deadline", "err.deadline.past")
	}
	if n.Path != "" && !validPath(n.Path) {
		return FieldE("path", "err.path.invalid")
	}
	if n.Lang != "" && n.Lang != "en" && n.Lang != "ja" {
		return FieldE("lang", "err.lang.invalid")
	}
	return nil
}

// validPath checks IAM's path rules: "/" alone, or "/" … "/" of at most 512
// characters from ! to ~ (docs/iam-notes.md#names-limits-and-quotas).
func validPath(p string) bool {
	if len(p) > 512 || !strings.HasPrefix(p, "/") || !strings.HasSuffix(p, "/") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '!' || p[i] > '~' {
			return false
		}
	}
	return true
}

func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return len(s) <= 254 && at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>") &&
		strings.Contains(s[at:], ".")
}

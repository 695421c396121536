// Package iamemu is an in-process emulator of AWS IAM and the two STS actions
// the portal needs (GetCallerIdentity, GetSessionToken). It is an http.Handler
// that the real aws-sdk-go-v2 clients talk to through BaseEndpoint, speaking
// the AWS Query protocol, verifying SigV4 signatures and checking TOTP codes
// the way AWS does. The AWS behaviour it reproduces is described in
// docs/iam-notes.md, which comments point into as docs/iam-notes.md#<section>.
package iamemu

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"time"
)

// DefaultAccountID is the account id used when Options.AccountID is empty.
const DefaultAccountID = "123456789012"

// Options configures an Emulator. The zero value gives AWS's defaults.
type Options struct {
	AccountID string // default "123456789012"

	// MemberAccounts are further accounts the emulator hosts beside
	// AccountID, each with its own root credentials and IAM state. Together
	// they form an AWS Organization whose management account is AccountID
	// (Organizations ListAccounts), and roles of one may trust another
	// (sts:AssumeRole). Account ids are 12 digits and distinct; New panics
	// otherwise (check them with ValidAccountIDs).
	MemberAccounts []string
	// NoOrganization makes the accounts stand alone: Organizations answers
	// AWSOrganizationsNotInUseException to every one of them.
	NoOrganization bool
	// Partition is aws (default), aws-us-gov or aws-cn. Every ARN the
	// emulator builds or accepts is in it, and SigV4 scopes must name its
	// regions (IAM: PartitionRegion; STS: any region of the partition).
	// New panics on an unknown partition; check it with PartitionRegion.
	Partition string
	Now       func() time.Time // controllable IAM clock; default time.Now

	// WallClock is the clock SigV4 timestamps are checked against (15-minute
	// window). It is separate from Now because SDK clients sign with the real
	// time even when a test moves the IAM clock; default time.Now.
	WallClock func() time.Time

	// MFAPastSteps and MFAFutureSteps bound the 30-second TOTP steps searched
	// for a consecutive code pair in EnableMFADevice/ResyncMFADevice
	// (docs/iam-notes.md#totp-and-code-checks). AWS does not document its
	// window; defaults 10 and 1.
	MFAPastSteps, MFAFutureSteps int

	// CredentialReportDelay is how long (on Now) a report takes to generate.
	CredentialReportDelay time.Duration
	// CredentialReportThrottle is the minimum age before a new report is
	// generated (AWS: 4 h, the default). Negative disables the throttle.
	CredentialReportThrottle time.Duration
	// CredentialReportExpiry is the age after which GetCredentialReport
	// answers ReportExpired. AWS does not document it; default 4 h, negative
	// means never.
	CredentialReportExpiry time.Duration

	// MaxPoliciesPerUser is the attached-managed-policy quota (default 10,
	// AWS allows raising it to 20).
	MaxPoliciesPerUser int

	// DisablePolicyEnforcement turns off the default PolicyAuthorizer, so
	// every authenticated caller may do everything (the pre-enforcement
	// behaviour).
	DisablePolicyEnforcement bool
}

// Emulator is an in-memory IAM + STS account. All methods are safe for
// concurrent use.
type Emulator struct {
	opts Options

	part partition // fixed at New

	mu sync.Mutex
	st *state // the first (management) account; also accounts[AccountID]
	// accounts holds every hosted account's state by id; order lists the
	// ids, AccountID first.
	accounts map[string]*state
	order    []string
	now      func() time.Time
	authz    Authorizer
	faults   faultState
}

// New returns an emulator with fresh root credentials and an empty account.
func New(opts Options) *Emulator {
	if opts.AccountID == "" {
		opts.AccountID = DefaultAccountID
	}
	if opts.Partition == "" {
		opts.Partition = DefaultPartition
	}
	part, ok := partitions[opts.Partition]
	if !ok {
		panic("iamemu: unknown partition " + opts.Partition)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.WallClock == nil {
		opts.WallClock = time.Now
	}
	if opts.MFAPastSteps == 0 {
		opts.MFAPastSteps = 10
	}
	if opts.MFAFutureSteps == 0 {
		opts.MFAFutureSteps = 1
	}
	if opts.CredentialReportThrottle == 0 {
		opts.CredentialReportThrottle = 4 * time.Hour
	}
	if opts.CredentialReportExpiry == 0 {
		opts.CredentialReportExpiry = 4 * time.Hour
	}
	if opts.MaxPoliciesPerUser == 0 {
		opts.MaxPoliciesPerUser = 10
	}
	e := &Emulator{opts: opts, now: opts.Now, part: part}
	if !opts.DisablePolicyEnforcement {
		e.authz = PolicyAuthorizer{}
	}
	if err := ValidAccountIDs(append([]string{opts.AccountID}, opts.MemberAccounts...)); err != nil {
		panic("iamemu: " + err.Error())
	}
	e.accounts = map[string]*state{}
	for _, id := range append([]string{opts.AccountID}, opts.MemberAccounts...) {
		e.accounts[id] = newState(id, opts.Partition, e.clock())
		e.order = append(e.order, id)
	}
	e.st = e.accounts[opts.AccountID]
	return e
}

// ValidAccountIDs checks a list of account ids for Options: 12 digits each,
// no id twice.
func ValidAccountIDs(ids []string) error {
	seen := map[string]bool{}
	for _, id := range ids {
		if !accountIDRE.MatchString(id) {
			return fmt.Errorf("account id %q is not 12 digits", id)
		}
		if seen[id] {
			return fmt.Errorf("account id %s given twice", id)
		}
		seen[id] = true
	}
	return nil
}

var accountIDRE = regexp.MustCompile(`^[0-9]{12}$`)

// Accounts returns the ids of the hosted accounts, the first (management)
// account first.
func (e *Emulator) Accounts() []string { return append([]string{}, e.order...) }

// stateOf returns a hosted account's state, nil for another account. Called
// with e.mu held.
func (e *Emulator) stateOf(id string) *state { return e.accounts[id] }

// AccountID returns the emulated account id.
func (e *Emulator) AccountID() string { return e.opts.AccountID }

// Partition returns the emulated partition (aws, aws-us-gov or aws-cn).
func (e *Emulator) Partition() string { return e.part.name }

// Region returns the partition's IAM signing region: what a client of this
// emulator should be configured with (us-east-1, us-gov-west-1, cn-north-1).
func (e *Emulator) Region() string { return e.part.iamRegion }

// RootCredentials returns the root user's access key pair. Calls signed with
// it are never passed to the Authorizer.
func (e *Emulator) RootCredentials() (accessKeyID, secretAccessKey string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.st.Root.AccessKeyID, e.st.Root.Secret
}

// SetNow replaces the IAM clock; tests use it to move time forward.
func (e *Emulator) SetNow(now func() time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if now == nil {
		now = time.Now
	}
	e.now = now
}

// clock reads the IAM clock, truncated to seconds as IAM timestamps are.
// Callers may or may not hold e.mu; the function pointer is only replaced
// under e.mu, so read it under the lock when not already held.
func (e *Emulator) clock() time.Time { return e.now().UTC().Truncate(time.Second) }

// Principal is the authenticated caller of a request.
type Principal struct {
	Account     string    // the caller's account id
	Root        bool      // signed with the root user's credentials
	UserName    string    // IAM user name; empty for root and roles
	UserID      string    // AIDA… for users, the account id for root, AROA…:session for roles
	Arn         string    // user, root or assumed-role (arn:…:sts::ID:assumed-role/R/S) ARN
	AccessKeyID string    // the key that signed the request
	Session     bool      // temporary credentials (GetSessionToken or AssumeRole)
	MFAPresent  bool      // session was created with a valid MFA code
	MFAAuthTime time.Time // when that MFA code was checked

	// RoleName and RoleArn are the role of an AssumeRole session, and
	// SessionName its RoleSessionName; all empty for other callers.
	RoleName, RoleArn, SessionName string
}

// IsRole reports whether p is an assumed-role session.
func (p Principal) IsRole() bool { return p.RoleName != "" }

// AuthzRequest is what the Authorizer is asked to decide.
type AuthzRequest struct {
	Principal Principal
	Action    string // e.g. "iam:CreateAccessKey"
	Resource  string // ARN of the target, "*" for account-level actions
}

// Authorizer decides whether a non-root caller may perform an action. A
// non-nil error is answered as AccessDenied (403); an *AccessDeniedError's
// Reason is appended to AWS's message.
type Authorizer interface {
	Authorize(ctx context.Context, e *Emulator, req AuthzRequest) error
}

// AccessDeniedError lets an Authorizer say why it denied, e.g. "with an
// explicit deny in an identity-based policy".
type AccessDeniedError struct{ Reason string }

// Error implements error.
func (a *AccessDeniedError) Error() string { return "access denied " + a.Reason }

// SetAuthorizer installs the policy engine; nil disables enforcement.
func (e *Emulator) SetAuthorizer(a Authorizer) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.authz = a
}

package client

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// User is a managed IAM user. Status is one of provisioning, invited,
// claimed, enrolled, overdue, mfa-removed, offboarded.
type User struct {
	AccountID   string    `json:"account_id"`
	UserName    string    `json:"user_name"`
	DisplayName string    `json:"display_name"`
	Email       string    `json:"email"`
	Status      string    `json:"status"`
	Deadline    time.Time `json:"deadline"`
	MFASerial   string    `json:"mfa_serial"`
	EnrolledAt  time.Time `json:"enrolled_at"`
	CreatedAt   time.Time `json:"created_at"`
}

// NewUser is the input of CreateUser; Deadline is optional (zero: the
// portal's default).
type NewUser struct {
	UserName    string    `json:"user_name"`
	DisplayName string    `json:"display_name,omitempty"`
	Email       string    `json:"email,omitempty"`
	Deadline    time.Time `json:"-"`
}

// Invite is a user with a new invite link. InviteURL is in the first
// answer only: empty in an answer replayed for an Idempotency-Key.
type Invite struct {
	User            User      `json:"user"`
	InviteURL       string    `json:"invite_url"`
	InviteExpiresAt time.Time `json:"invite_expires_at"`
}

type userAnswer struct {
	User User `json:"user"`
}

// UserPage is a page of users; Next is empty on the last page.
type UserPage struct {
	Users []User `json:"users"`
	Next  string `json:"next"`
}

// ListUsers lists managed users by name; status filters when not empty.
// WithAccount lists one account's users; GroupedByEmail groups them by
// e-mail address.
func (c *Client) ListUsers(ctx context.Context, status string, p Page, opts ...Option) (*UserPage, error) {
	q := p.query()
	if status != "" {
		q.Set("status", status)
	}
	var out UserPage
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/users", query: q}, &out, opts)
}

// GetUser returns one managed user.
func (c *Client) GetUser(ctx context.Context, name string) (*User, error) {
	var out userAnswer
	err := c.do(ctx, call{method: "GET", path: "/api/v1/users/{name}", params: []string{name}}, &out, nil)
	return &out.User, err
}

// CreateUser onboards an IAM user: creates it, attaches the forced-MFA
// policy and issues an invite.
func (c *Client) CreateUser(ctx context.Context, in NewUser, opts ...Option) (*Invite, error) {
	body := struct {
		NewUser
		Deadline *time.Time `json:"deadline,omitempty"`
	}{NewUser: in}
	if !in.Deadline.IsZero() {
		body.Deadline = &in.Deadline
	}
	var out Invite
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/users", body: body}, &out, opts)
}

// ResendInvite issues a fresh invite link; earlier unclaimed links stop
// working.
func (c *Client) ResendInvite(ctx context.Context, name string, opts ...Option) (*Invite, error) {
	var out Invite
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/users/{name}/invite", params: []string{name}}, &out, opts)
}

// RevokeInvite makes every unclaimed invite link of the user stop working.
func (c *Client) RevokeInvite(ctx context.Context, name string, opts ...Option) (*User, error) {
	var out userAnswer
	err := c.do(ctx, call{method: "POST", path: "/api/v1/users/{name}/revoke-invite", params: []string{name}}, &out, opts)
	return &out.User, err
}

// Extension moves a deadline: by Days (3 or 7) or to Deadline; Reason is
// required.
type Extension struct {
	Days     int
	Deadline time.Time
	Reason   string
}

// ExtendDeadline moves a pending user's deadline.
func (c *Client) ExtendDeadline(ctx context.Context, name string, in Extension, opts ...Option) (*User, error) {
	body := struct {
		Days     int        `json:"days,omitempty"`
		Deadline *time.Time `json:"deadline,omitempty"`
		Reason   string     `json:"reason"`
	}{Days: in.Days, Reason: in.Reason}
	if !in.Deadline.IsZero() {
		body.Deadline = &in.Deadline
	}
	var out userAnswer
	err := c.do(ctx, call{method: "POST", path: "/api/v1/users/{name}/extend", params: []string{name}, body: body}, &out, opts)
	return &out.User, err
}

// ResetMFA removes the user's MFA devices (a lost device) and issues a new
// invite; reason and verifiedBy (how the person was verified) are
// required.
func (c *Client) ResetMFA(ctx context.Context, name, reason, verifiedBy string, opts ...Option) (*Invite, error) {
	body := map[string]string{"reason": reason, "verified_by": verifiedBy}
	var out Invite
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/users/{name}/reset-mfa", params: []string{name}, body: body}, &out, opts)
}

// Offboard deletes the user's IAM user; reason is required.
func (c *Client) Offboard(ctx context.Context, name, reason string, opts ...Option) (*User, error) {
	var out userAnswer
	err := c.do(ctx, call{method: "POST", path: "/api/v1/users/{name}/offboard", params: []string{name},
		body: map[string]string{"reason": reason}}, &out, opts)
	return &out.User, err
}

// CancelRemoval cancels the removal an identity provider's SCIM DELETE
// scheduled; reason is required.
func (c *Client) CancelRemoval(ctx context.Context, name, reason string, opts ...Option) (*User, error) {
	var out userAnswer
	err := c.do(ctx, call{method: "POST", path: "/api/v1/users/{name}/cancel-removal", params: []string{name},
		body: map[string]string{"reason": reason}}, &out, opts)
	return &out.User, err
}

// RetryOnboarding resumes an onboarding that stopped half-way.
func (c *Client) RetryOnboarding(ctx context.Context, name string, opts ...Option) (*Invite, error) {
	var out Invite
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/users/{name}/retry", params: []string{name}}, &out, opts)
}

// Device is an abandoned MFA device: created for a managed user, never
// enabled.
type Device struct {
	AccountID string `json:"account_id"`
	Serial    string `json:"serial"`
	UserName  string `json:"user_name"`
}

// DevicePage is a page of devices.
type DevicePage struct {
	Devices []Device `json:"devices"`
	Next    string   `json:"next"`
}

// ListDevices lists abandoned MFA devices by serial (of the hub, or of the
// account WithAccount names).
func (c *Client) ListDevices(ctx context.Context, p Page, opts ...Option) (*DevicePage, error) {
	var out DevicePage
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/devices", query: p.query()}, &out, opts)
}

// DeleteDevice deletes one abandoned device.
func (c *Client) DeleteDevice(ctx context.Context, serial string, opts ...Option) error {
	return c.do(ctx, call{method: "POST", path: "/api/v1/devices/delete", body: map[string]string{"serial": serial}}, nil, opts)
}

// DeleteAllDevices deletes every abandoned device and says how many.
func (c *Client) DeleteAllDevices(ctx context.Context, opts ...Option) (int, error) {
	var out struct {
		Deleted int `json:"deleted"`
	}
	err := c.do(ctx, call{method: "POST", path: "/api/v1/devices/delete", body: map[string]bool{"all": true}}, &out, opts)
	return out.Deleted, err
}

// Candidate is an IAM user Gatehouse does not manage yet.
type Candidate struct {
	UserName    string    `json:"user_name"`
	CreatedAt   time.Time `json:"created_at"`
	HasMFA      bool      `json:"has_mfa"`
	HasPassword bool      `json:"has_password"`
	ActiveKeys  int       `json:"active_keys"`
	Self        bool      `json:"self"`
}

// CandidatePage is a page of adoption candidates.
type CandidatePage struct {
	Candidates []Candidate `json:"candidates"`
	Next       string      `json:"next"`
}

// ListAdoptionCandidates lists the IAM users Gatehouse could adopt.
func (c *Client) ListAdoptionCandidates(ctx context.Context, p Page) (*CandidatePage, error) {
	var out CandidatePage
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/adopt", query: p.query()}, &out, nil)
}

// Adopt takes an IAM user under management, for a reason (required);
// confirmKeys confirms that its
// active access keys will be denied without MFA. The Invite's link is set
// when the user has no MFA yet.
func (c *Client) Adopt(ctx context.Context, name, reason string, confirmKeys bool, opts ...Option) (*Invite, error) {
	body := struct {
		UserName    string `json:"user_name"`
		Reason      string `json:"reason"`
		ConfirmKeys bool   `json:"confirm_keys,omitempty"`
	}{name, reason, confirmKeys}
	var out Invite
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/adopt", body: body}, &out, opts)
}

// Disabled says what DisableUnused did.
type Disabled struct {
	UserName        string   `json:"user_name"`
	PasswordRemoved bool     `json:"password_removed"`
	KeysDeactivated []string `json:"keys_deactivated"`
}

// DisableUnused removes an IAM user's unused console password and
// deactivates its unused access keys; reason is required.
func (c *Client) DisableUnused(ctx context.Context, name, reason string, opts ...Option) (*Disabled, error) {
	var out Disabled
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/posture/disable", body: map[string]string{"user_name": name, "reason": reason}}, &out, opts)
}

// BulkRow is one line of a bulk CSV: its verdict, or its outcome.
type BulkRow struct {
	Row             int       `json:"row"`
	UserName        string    `json:"user_name"`
	DisplayName     string    `json:"display_name"`
	Email           string    `json:"email"`
	Deadline        time.Time `json:"deadline"`
	Status          string    `json:"status"`
	Code            string    `json:"code"`
	Message         string    `json:"message"`
	InviteURL       string    `json:"invite_url"`
	InviteExpiresAt time.Time `json:"invite_expires_at"`
}

// BulkCheck is the verdict on every row of a CSV.
type BulkCheck struct {
	Accepted []BulkRow `json:"accepted"`
	Rejected []BulkRow `json:"rejected"`
}

// CheckBulk checks a bulk CSV; nothing is created.
func (c *Client) CheckBulk(ctx context.Context, csv []byte, opts ...Option) (*BulkCheck, error) {
	var out BulkCheck
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/bulk/check", raw: csv, rawType: "text/csv"}, &out, opts)
}

// BulkStarted is a queued bulk job and the rows it skipped.
type BulkStarted struct {
	JobID    int64     `json:"job_id"`
	Rejected []BulkRow `json:"rejected"`
}

// StartBulk onboards a CSV's good rows as a background job.
func (c *Client) StartBulk(ctx context.Context, csv []byte, opts ...Option) (*BulkStarted, error) {
	var out BulkStarted
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/bulk", raw: csv, rawType: "text/csv"}, &out, opts)
}

// BulkJob is a bulk job's state (queued, running, done, failed) and a page
// of its rows.
type BulkJob struct {
	JobID            int64     `json:"job_id"`
	State            string    `json:"state"`
	CreatedBy        string    `json:"created_by"`
	CreatedAt        time.Time `json:"created_at"`
	Total            int       `json:"total"`
	Done             int       `json:"done"`
	Failed           int       `json:"failed"`
	InvitesAvailable bool      `json:"invites_available"`
	Rows             []BulkRow `json:"rows"`
	Next             string    `json:"next"`
}

// Finished reports whether the job has ended.
func (j *BulkJob) Finished() bool { return j.State == "done" || j.State == "failed" }

// GetBulkJob returns a bulk job and a page of its rows.
func (c *Client) GetBulkJob(ctx context.Context, id int64, p Page) (*BulkJob, error) {
	var out BulkJob
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/bulk/{id}", params: []string{strconv.FormatInt(id, 10)}, query: p.query()}, &out, nil)
}

// TakeBulkInvites hands over a finished job's invite links, once: the
// server deletes them as it answers.
func (c *Client) TakeBulkInvites(ctx context.Context, id int64, opts ...Option) ([]BulkRow, error) {
	var out struct {
		Rows []BulkRow `json:"rows"`
	}
	err := c.do(ctx, call{method: "POST", path: "/api/v1/bulk/{id}/invites", params: []string{strconv.FormatInt(id, 10)}}, &out, opts)
	return out.Rows, err
}

// SyncResult is what a status sync found.
type SyncResult struct {
	ReportAt    time.Time `json:"report_at"`
	Users       int       `json:"users"`
	LiveChecked int       `json:"live_checked"`
	Enrolled    int       `json:"enrolled"`
	MFARemoved  int       `json:"mfa_removed"`
	Gone        int       `json:"gone"`
	SignedIn    int       `json:"signed_in"`
}

// SyncNow compares every managed user with IAM now.
func (c *Client) SyncNow(ctx context.Context, opts ...Option) (*SyncResult, error) {
	var out SyncResult
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/sync"}, &out, opts)
}

// Policy is the managed policy's state (present, drifted, missing), its
// drift from the seed and its lint findings.
type Policy struct {
	AccountID      string   `json:"account_id"`
	Name           string   `json:"name"`
	ARN            string   `json:"arn"`
	State          string   `json:"state"`
	DefaultVersion string   `json:"default_version"`
	Versions       int      `json:"versions"`
	ParseError     string   `json:"parse_error"`
	Drift          []string `json:"drift"`
	Findings       []struct {
		ID       string `json:"id"`
		Severity string `json:"severity"`
	} `json:"findings"`
}

// GetPolicy returns the managed policy's status (in the hub, or in the
// account WithAccount names).
func (c *Client) GetPolicy(ctx context.Context, opts ...Option) (*Policy, error) {
	var out Policy
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/policy"}, &out, opts)
}

// PolicyDrift is what publishing the seed would change.
type PolicyDrift struct {
	AccountID      string   `json:"account_id"`
	State          string   `json:"state"`
	DefaultVersion string   `json:"default_version"`
	Drift          []string `json:"drift"`
}

// GetPolicyDrift returns the managed policy's drift from the seed.
func (c *Client) GetPolicyDrift(ctx context.Context, opts ...Option) (*PolicyDrift, error) {
	var out PolicyDrift
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/policy/drift"}, &out, opts)
}

// Published says what PublishPolicy did.
type Published struct {
	Created        bool   `json:"created"`
	Unchanged      bool   `json:"unchanged"`
	Version        string `json:"version"`
	DeletedVersion string `json:"deleted_version"`
}

// PublishPolicy makes the seed the managed policy's default version.
func (c *Client) PublishPolicy(ctx context.Context, opts ...Option) (*Published, error) {
	var out Published
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/policy/publish"}, &out, opts)
}

// AuditFilter selects audit events; zero fields do not filter.
type AuditFilter struct {
	Actor, Action, Kind, Target string
	// Account selects the events about IAM users of that AWS account.
	Account      string
	Since, Until time.Time
}

// AuditEvent is one entry of the audit log.
type AuditEvent struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	TargetKind string    `json:"target_kind"`
	Target     string    `json:"target"`
	AccountID  string    `json:"account_id"` // the IAM user's AWS account; "" for other targets
	Detail     string    `json:"detail"`
	RequestID  string    `json:"request_id"`
}

// AuditPage is a page of audit events, newest first.
type AuditPage struct {
	Events []AuditEvent `json:"events"`
	Next   string       `json:"next"`
}

// AuditEvents searches the audit log.
func (c *Client) AuditEvents(ctx context.Context, f AuditFilter, p Page) (*AuditPage, error) {
	q := p.query()
	for k, v := range map[string]string{"actor": f.Actor, "action": f.Action, "kind": f.Kind, "target": f.Target, "account": f.Account} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if !f.Since.IsZero() {
		q.Set("since", f.Since.UTC().Format(time.RFC3339))
	}
	if !f.Until.IsZero() {
		q.Set("until", f.Until.UTC().Format(time.RFC3339))
	}
	var out AuditPage
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/audit/events", query: q}, &out, nil)
}

// OpenAPI returns the portal's OpenAPI document as JSON.
func (c *Client) OpenAPI(ctx context.Context) (map[string]any, error) {
	var out map[string]any
	return out, c.do(ctx, call{method: "GET", path: "/api/v1/openapi.json", query: url.Values{}}, &out, nil)
}

// Posture is an account's credential posture at the last sync.
type Posture struct {
	AccountID       string    `json:"account_id"`
	At              time.Time `json:"at"`
	ReportAt        time.Time `json:"report_at"`
	Users           int       `json:"users"`
	ConsoleUsers    int       `json:"console_users"`
	ConsoleMFA      int       `json:"console_mfa"`
	CoveragePercent float64   `json:"mfa_coverage_percent"`
	Findings        []struct {
		Control  string   `json:"control"`
		CIS      string   `json:"cis"`
		Result   string   `json:"result"` // pass, fail or unknown
		Users    []string `json:"users"`
		Policies []string `json:"policies"`
	} `json:"findings"`
}

// GetPosture returns the credential posture at the last sync of the hub,
// or of the account WithAccount names.
func (c *Client) GetPosture(ctx context.Context, opts ...Option) (*Posture, error) {
	var out Posture
	return &out, c.do(ctx, call{method: "GET", path: "/api/v1/posture"}, &out, opts)
}

// MatrixRow is one action of a policy matrix, with one cell per credential
// kind (long-term-key, session-without-mfa, session-with-mfa).
type MatrixRow struct {
	Action   string `json:"action"`
	Resource string `json:"resource"`
	Override string `json:"override"`
	Cells    []struct {
		Context    string   `json:"context"`
		Decision   string   `json:"decision"`
		Simulated  string   `json:"simulated"`
		Statements []string `json:"statements"`
	} `json:"cells"`
}

// GetPolicyMatrix simulates what a managed user may do before and after
// MFA.
func (c *Client) GetPolicyMatrix(ctx context.Context, userName string) ([]MatrixRow, error) {
	var out struct {
		Rows []MatrixRow `json:"rows"`
	}
	err := c.do(ctx, call{method: "GET", path: "/api/v1/policy/matrix", query: url.Values{"user": {userName}}}, &out, nil)
	return out.Rows, err
}

// KeyNotice is an access-key notice queued for a managed user.
type KeyNotice struct {
	UserName string `json:"user_name"`
	To       string `json:"to"`
	Keys     []struct {
		ID        string    `json:"id"`
		CreatedAt time.Time `json:"created_at"`
		Old       bool      `json:"old"`
		Extra     bool      `json:"extra"`
		NeverUsed bool      `json:"never_used"`
	} `json:"keys"`
}

// NoticeAccessKeys e-mails a managed user which of their access keys need
// attention; reason is required.
func (c *Client) NoticeAccessKeys(ctx context.Context, name, reason string, opts ...Option) (*KeyNotice, error) {
	var out KeyNotice
	return &out, c.do(ctx, call{method: "POST", path: "/api/v1/posture/notice", body: map[string]string{"user_name": name, "reason": reason}}, &out, opts)
}

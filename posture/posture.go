// Package posture evaluates the account's credential posture: the IAM
// checks of the CIS AWS Foundations Benchmark v3.0.0, named by Prowler's
// check IDs, over a snapshot of facts the status sync gathers (the
// credential report with its root row, the account password policy and who
// holds which policy). Evaluate is a pure function: no IAM, no store, no
// clock of its own.
package posture

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/gatehouse/portal/policy"
)

// Prowler check IDs of the controls, in the order the page shows them.
const (
	ConsoleMFA     = "iam_user_mfa_enabled_console_access"
	RootAccessKey  = "iam_no_root_access_key"
	RootMFA        = "iam_root_mfa_enabled"
	PasswordLength = "iam_password_policy_minimum_length_14"
	PasswordReuse  = "iam_password_policy_reuse_24"
	UnusedConsole  = "iam_user_console_access_unused"
	UnusedKey      = "iam_user_accesskey_unused"
	TwoKeys        = "iam_user_two_active_access_key"
	KeyRotation    = "iam_rotate_access_key_90_days"
	InitialKey     = "iam_user_no_setup_initial_access_key"
	GroupsOnly     = "iam_policy_attached_only_to_group_or_roles"
	AWSAdmin       = "iam_aws_attached_policy_no_administrative_privileges"
	CustomerAdmin  = "iam_customer_attached_policy_no_administrative_privileges"
)

// Thresholds of the CIS recommendations.
const (
	UnusedAfter   = 45 * 24 * time.Hour // 1.12: credentials unused this long are disabled
	RotateAfter   = 90 * 24 * time.Hour // 1.14: access keys are rotated within this
	MinPassword   = 14                  // 1.8
	ReuseRemember = 24                  // 1.9
)

// Result is a control's outcome.
type Result string

// The three outcomes. Unknown means the facts needed were not available
// (IAM refused or failed the call that gathers them); it is never a pass.
const (
	Pass    Result = "pass"
	Fail    Result = "fail"
	Unknown Result = "unknown"
)

// Fix names the one-click remedy the portal offers for a control's failing
// users.
type Fix string

// The remedies.
const (
	FixNone    Fix = ""
	FixAdopt   Fix = "adopt"   // adopt the user into Gatehouse and invite them to enroll MFA
	FixDisable Fix = "disable" // remove the unused console password or deactivate the unused keys
	FixNotice  Fix = "notice"  // tell the user to rotate or drop a key (they own it)
)

// Control is one check: its IDs, its words (message keys in package i18n)
// and its remedy.
type Control struct {
	ID     string // Prowler check ID
	CIS    string // CIS AWS Foundations Benchmark v3.0.0 recommendation
	Title  string // message key: what is checked
	Why    string // message key: why a failure matters, in plain words
	Remedy string // message key: what fixes it
	Fix    Fix
	// Info marks a control shown for information: its failures are not
	// counted among the failing controls (see GroupsOnly).
	Info bool
}

// Controls lists every control in page order.
var Controls = []Control{
	{ID: ConsoleMFA, CIS: "1.10", Title: "posture.console_mfa.title", Why: "posture.console_mfa.why", Remedy: "posture.console_mfa.remedy", Fix: FixAdopt},
	{ID: RootAccessKey, CIS: "1.4", Title: "posture.root_key.title", Why: "posture.root_key.why", Remedy: "posture.root_key.remedy"},
	{ID: RootMFA, CIS: "1.5", Title: "posture.root_mfa.title", Why: "posture.root_mfa.why", Remedy: "posture.root_mfa.remedy"},
	{ID: PasswordLength, CIS: "1.8", Title: "posture.pw_length.title", Why: "posture.pw_length.why", Remedy: "posture.pw_length.remedy"},
	{ID: PasswordReuse, CIS: "1.9", Title: "posture.pw_reuse.title", Why: "posture.pw_reuse.why", Remedy: "posture.pw_reuse.remedy"},
	{ID: UnusedConsole, CIS: "1.12", Title: "posture.unused_console.title", Why: "posture.unused_console.why", Remedy: "posture.unused_console.remedy", Fix: FixDisable},
	{ID: UnusedKey, CIS: "1.12", Title: "posture.unused_key.title", Why: "posture.unused_key.why", Remedy: "posture.unused_key.remedy", Fix: FixDisable},
	{ID: TwoKeys, CIS: "1.13", Title: "posture.two_keys.title", Why: "posture.two_keys.why", Remedy: "posture.two_keys.remedy", Fix: FixNotice},
	{ID: KeyRotation, CIS: "1.14", Title: "posture.rotation.title", Why: "posture.rotation.why", Remedy: "posture.rotation.remedy", Fix: FixNotice},
	{ID: InitialKey, CIS: "1.11", Title: "posture.initial_key.title", Why: "posture.initial_key.why", Remedy: "posture.initial_key.remedy", Fix: FixNotice},
	{ID: GroupsOnly, CIS: "1.15", Title: "posture.groups.title", Why: "posture.groups.why", Remedy: "posture.groups.remedy", Info: true},
	{ID: AWSAdmin, CIS: "1.16", Title: "posture.aws_admin.title", Why: "posture.admin.why", Remedy: "posture.admin.remedy"},
	{ID: CustomerAdmin, CIS: "1.16", Title: "posture.customer_admin.title", Why: "posture.admin.why", Remedy: "posture.admin.remedy"},
}

// ControlByID returns the control with check ID id.
func ControlByID(id string) (Control, bool) {
	for _, c := range Controls {
		if c.ID == id {
			return c, true
		}
	}
	return Control{}, false
}

// Key is one access key of a user as the credential report shows it.
type Key struct {
	Active      bool      `json:"active"`
	LastRotated time.Time `json:"last_rotated"`       // when it was created (or last rotated)
	LastUsed    time.Time `json:"last_used,omitzero"` // zero: never used
}

// User is one IAM user: its credential report row, and which policies it
// holds when those are known.
type User struct {
	Name             string    `json:"name"`
	Created          time.Time `json:"created"`
	PasswordEnabled  bool      `json:"password_enabled"`
	PasswordLastUsed time.Time `json:"password_last_used,omitzero"` // zero: never used
	PasswordChanged  time.Time `json:"password_changed,omitzero"`   // when the password was last set
	MFAActive        bool      `json:"mfa_active"`
	Keys             []Key     `json:"keys,omitempty"`
	// Attached lists the ARNs of managed policies attached to the user
	// itself, Inline the names of its inline policies, Groups its groups.
	Attached []string `json:"attached,omitempty"`
	Inline   []string `json:"inline,omitempty"`
	Groups   []string `json:"groups,omitempty"`
}

// Root is the credential report's root-user row.
type Root struct {
	MFAActive  bool `json:"mfa_active"`
	ActiveKeys int  `json:"active_keys"`
}

// PasswordPolicy is the account password policy. Custom is false when the
// account has none (IAM then applies its default, which sets neither a
// length of 14 nor reuse prevention).
type PasswordPolicy struct {
	Custom          bool `json:"custom"`
	MinLength       int  `json:"min_length"`
	ReusePrevention int  `json:"reuse_prevention"`
}

// Policy is a managed policy that is attached to something, with its
// default version's document.
type Policy struct {
	ARN        string `json:"arn"`
	Name       string `json:"name"`
	AWSManaged bool   `json:"aws_managed"`
	Document   string `json:"-"` // the default version, JSON
}

// Group is an IAM group and the ARNs of the managed policies attached to it.
type Group struct {
	Name     string   `json:"name"`
	Attached []string `json:"attached,omitempty"`
}

// Facts is everything Evaluate needs, gathered in one sync. A nil Root,
// PasswordPolicy or a false PoliciesKnown means those facts could not be
// read: the controls that need them are Unknown.
type Facts struct {
	ReportAt       time.Time
	Users          []User
	Root           *Root
	PasswordPolicy *PasswordPolicy
	PoliciesKnown  bool
	Policies       []Policy // attached managed policies (PoliciesKnown)
	Groups         []Group  // (PoliciesKnown)
	// OwnPolicy is the ARN of the forced-MFA policy Gatehouse attaches to
	// each user it onboards, directly and on purpose; GroupsOnly does not
	// count it.
	OwnPolicy string
}

// Finding is one control's result over the facts.
type Finding struct {
	Control string   `json:"control"`
	CIS     string   `json:"cis"`
	Result  Result   `json:"result"`
	Users   []string `json:"users,omitempty"`    // the users failing it, sorted
	Policy  []string `json:"policies,omitempty"` // the policies failing it (the *:* controls)
}

// Report is the posture of the account at one sync.
type Report struct {
	At           time.Time `json:"at"`        // when it was evaluated
	ReportAt     time.Time `json:"report_at"` // when IAM generated the credential report
	Users        int       `json:"users"`
	ConsoleUsers int       `json:"console_users"` // users with a console password
	ConsoleMFA   int       `json:"console_mfa"`   // of those, with MFA
	Findings     []Finding `json:"findings"`      // one per control, in Controls order
}

// Coverage is the share of console users with MFA, in percent; 100 when
// nobody has a console password.
func (r *Report) Coverage() float64 { return CoverageOf(r.ConsoleMFA, r.ConsoleUsers) }

// CoverageOf is mfa of console users in percent (100 for no console user).
func CoverageOf(mfa, console int) float64 {
	if console == 0 {
		return 100
	}
	return float64(mfa) * 100 / float64(console)
}

// Finding returns the finding of control id, or nil.
func (r *Report) Finding(id string) *Finding {
	for i := range r.Findings {
		if r.Findings[i].Control == id {
			return &r.Findings[i]
		}
	}
	return nil
}

// Failing counts the failing controls that are not informational.
func (r *Report) Failing() int {
	n := 0
	for _, f := range r.Findings {
		if c, ok := ControlByID(f.Control); ok && !c.Info && f.Result == Fail {
			n++
		}
	}
	return n
}

// Evaluate runs every control over f at now.
func Evaluate(f Facts, now time.Time) *Report {
	r := &Report{At: now, ReportAt: f.ReportAt, Users: len(f.Users)}
	users := map[string][]string{} // control → failing users
	fail := func(id, user string) {
		if !slices.Contains(users[id], user) {
			users[id] = append(users[id], user)
		}
	}
	for _, u := range f.Users {
		if u.PasswordEnabled {
			r.ConsoleUsers++
			if u.MFAActive {
				r.ConsoleMFA++
			} else {
				fail(ConsoleMFA, u.Name)
			}
			// A password never used counts from when it was set.
			if last := latest(latest(u.PasswordLastUsed, u.PasswordChanged), u.Created); now.Sub(last) >= UnusedAfter {
				fail(UnusedConsole, u.Name)
			}
		}
		active := 0
		for _, k := range u.Keys {
			if !k.Active {
				continue
			}
			active++
			if now.Sub(latest(k.LastUsed, k.LastRotated)) >= UnusedAfter {
				fail(UnusedKey, u.Name)
			}
			if now.Sub(k.LastRotated) >= RotateAfter {
				fail(KeyRotation, u.Name)
			}
			if u.PasswordEnabled && k.LastUsed.IsZero() {
				fail(InitialKey, u.Name)
			}
		}
		if active > 1 {
			fail(TwoKeys, u.Name)
		}
		if f.PoliciesKnown && (len(u.Inline) > 0 || slices.ContainsFunc(u.Attached, func(a string) bool { return a != f.OwnPolicy })) {
			fail(GroupsOnly, u.Name)
		}
	}
	admins := adminHolders(f)
	for _, c := range Controls {
		fd := Finding{Control: c.ID, CIS: c.CIS, Result: Pass}
		switch c.ID {
		case RootAccessKey:
			fd.Result = rootResult(f.Root, func(r *Root) bool { return r.ActiveKeys == 0 })
		case RootMFA:
			fd.Result = rootResult(f.Root, func(r *Root) bool { return r.MFAActive })
		case PasswordLength:
			fd.Result = pwResult(f.PasswordPolicy, func(p *PasswordPolicy) bool { return p.MinLength >= MinPassword })
		case PasswordReuse:
			fd.Result = pwResult(f.PasswordPolicy, func(p *PasswordPolicy) bool { return p.ReusePrevention >= ReuseRemember })
		case GroupsOnly:
			if !f.PoliciesKnown {
				fd.Result = Unknown
			}
		case AWSAdmin, CustomerAdmin:
			if !f.PoliciesKnown {
				fd.Result = Unknown
				break
			}
			h := admins[c.ID == AWSAdmin]
			fd.Policy, fd.Users = h.policies, h.users
		}
		if us := users[c.ID]; len(us) > 0 {
			fd.Users = us
		}
		sort.Strings(fd.Users)
		sort.Strings(fd.Policy)
		if len(fd.Users) > 0 || len(fd.Policy) > 0 {
			fd.Result = Fail
		}
		r.Findings = append(r.Findings, fd)
	}
	return r
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func rootResult(r *Root, ok func(*Root) bool) Result {
	switch {
	case r == nil:
		return Unknown
	case ok(r):
		return Pass
	}
	return Fail
}

func pwResult(p *PasswordPolicy, ok func(*PasswordPolicy) bool) Result {
	switch {
	case p == nil:
		return Unknown
	case p.Custom && ok(p):
		return Pass
	}
	return Fail
}

type holders struct{ policies, users []string }

// adminHolders finds the attached policies that allow every action on every
// resource, split by AWS-managed (true) and customer-managed (false), with
// the users holding each, directly or through a group.
func adminHolders(f Facts) map[bool]holders {
	out := map[bool]holders{}
	if !f.PoliciesKnown {
		return out
	}
	admin := map[string]bool{} // ARN → AWS-managed
	for _, p := range f.Policies {
		if FullAdmin(p.Document) {
			admin[p.ARN] = p.AWSManaged
			h := out[p.AWSManaged]
			h.policies = append(h.policies, p.Name)
			out[p.AWSManaged] = h
		}
	}
	groups := map[string][]string{}
	for _, g := range f.Groups {
		groups[strings.ToLower(g.Name)] = g.Attached
	}
	for _, u := range f.Users {
		held := map[bool]bool{}
		arns := slices.Clone(u.Attached)
		for _, g := range u.Groups {
			arns = append(arns, groups[strings.ToLower(g)]...)
		}
		for _, a := range arns {
			if aws, ok := admin[a]; ok {
				held[aws] = true
			}
		}
		for aws := range held {
			h := out[aws]
			h.users = append(h.users, u.Name)
			out[aws] = h
		}
	}
	return out
}

// FullAdmin reports whether a policy document has a statement allowing the
// action "*" on the resource "*" (conditions or not, as the CIS audit
// reads it). A document that does not parse is not counted.
func FullAdmin(doc string) bool {
	d, err := policy.Parse(doc)
	if err != nil {
		return false
	}
	for _, s := range d.Statements {
		if s.Effect == policy.Allow && slices.Contains(s.Action, "*") && slices.Contains(s.Resource, "*") {
			return true
		}
	}
	return false
}

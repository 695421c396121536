package policy

import (
	"strings"
)

// Severities of a Finding.
const (
	SeverityError   = "error"   // onboarding as configured will fail
	SeverityWarning = "warning" // a feature the portal offers will not work, or access is wider than intended
	SeverityInfo    = "info"    // a documented consequence the helpdesk must plan for
)

// Finding is one problem Lint found, worded for the portal's policy page.
type Finding struct {
	ID       string
	Severity string
	// Params are the finding's variable parts (paths, action lists, names)
	// in a fixed order per ID; the portal words the finding from its ID in
	// the reader's language (i18n/messages_lint.go). See FindingIDs.
	Params []string
}

// FindingIDs lists every finding ID Lint, CheckUserName and CheckPath can
// return, with the number of Params each carries.
var FindingIDs = map[string]int{
	"mfa-enrollment-blocked":           1,
	"user-path-not-covered":            3,
	"password-reset-deadlock":          0,
	"git-credentials-unusable":         1,
	"abandoned-mfa-device-needs-admin": 0,
	"any-mfa-device-name":              1,
	"variables-need-version":           2,
	"duplicate-sid":                    1,
	"bool-mfa-deny":                    1,
	"user-name-length":                 2,
	"user-name-characters":             2,
	"path-invalid":                     1,
}

// LintOptions describes how the portal uses the policy.
type LintOptions struct {
	// UserPath is the IAM path users are created with; "" means "/".
	UserPath string
	// PasswordResetRequired is true when login profiles are created with
	// PasswordResetRequired=true.
	PasswordResetRequired bool
	// UserName and AccountID are the sample principal used for evaluation;
	// defaults "test" and "123456789012".
	UserName  string
	AccountID string
	// Partition is the sample principal's partition ("aws" when empty): a
	// document in GovCloud form is judged for a GovCloud user.
	Partition string
}

// Lint checks a document meant to be the portal's MFA self-service policy for
// the traps of docs/policy-evaluation.md#policy-traps and Access Analyzer's
// findings. Trap checks evaluate the document for a sample user rather than
// look for the seed's text, so a policy adjusted to avoid a trap no longer
// reports it.
func Lint(doc *Document, opts LintOptions) []Finding {
	if doc == nil {
		return nil
	}
	l := newLinter(doc, opts)
	var out []Finding
	for _, check := range []func() *Finding{
		l.variablesNeedVersion, l.duplicateSids, l.boolMFADeny,
		l.enrollmentBlocked, l.userPath, l.passwordReset,
		l.gitCredentials, l.abandonedDevice, l.anyDeviceName,
	} {
		if f := check(); f != nil {
			out = append(out, *f)
		}
	}
	return out
}

type linter struct {
	doc     *Document
	opts    LintOptions
	src     Source
	user    string // the sample user's ARN at path "/"
	ctxs    [3]map[string][]string
	account string
}

func newLinter(doc *Document, opts LintOptions) *linter {
	if opts.UserName == "" {
		opts.UserName = "test"
	}
	if opts.AccountID == "" {
		opts.AccountID = "123456789012"
	}
	if opts.Partition == "" {
		opts.Partition = "aws"
	}
	l := &linter{doc: doc, opts: opts, src: Source{ID: "lint", Doc: doc}, account: opts.AccountID}
	l.user = UserARN(opts.Partition, opts.AccountID, "/", opts.UserName)
	for c := range l.ctxs {
		l.ctxs[c] = UserContext(Credential(c), opts.UserName, "AIDAEXAMPLE", opts.AccountID)
	}
	return l
}

// decide evaluates action for the sample user; resource "" means the one
// ResourceFor gives.
func (l *linter) decide(cred Credential, action, resource string) Decision {
	if resource == "" {
		resource = ResourceFor(action, l.user, l.account)
	}
	return Evaluate(Request{Action: action, Resource: resource, Context: l.ctxs[cred]}, l.src).Decision
}

// enrollmentActions are what a user signed in without MFA needs to enrol
// a virtual device from the console (docs/policy-evaluation.md#policy-traps).
var enrollmentActions = []string{
	"iam:GetUser", "iam:ListMFADevices", "iam:ListVirtualMFADevices",
	"iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice",
}

func (l *linter) enrollmentBlocked() *Finding {
	var blocked []string
	for _, a := range enrollmentActions {
		if l.decide(SessionWithoutMFA, a, "") != Allowed {
			blocked = append(blocked, a)
		}
	}
	if len(blocked) == 0 {
		return nil
	}
	return &Finding{
		ID: "mfa-enrollment-blocked", Severity: SeverityError,
		Params: []string{strings.Join(blocked, ", ")},
	}
}

// userPath: user/${aws:username} does not match user/eng/test (golden G50).
func (l *linter) userPath() *Finding {
	path := l.opts.UserPath
	if path == "" || path == "/" {
		return nil
	}
	pathed := UserARN(l.opts.Partition, l.account, path, l.opts.UserName)
	var lost []string
	for _, a := range SeedGrantedActions {
		if iamResources[strings.ToLower(a)] != resUser {
			continue
		}
		if l.decide(SessionWithMFA, a, "") == Allowed && l.decide(SessionWithMFA, a, pathed) != Allowed {
			lost = append(lost, a)
		}
	}
	if len(lost) == 0 {
		return nil
	}
	return &Finding{
		ID: "user-path-not-covered", Severity: SeverityError,
		Params: []string{path, pathed, strings.Join(lost, ", ")},
	}
}

// passwordReset: ChangePassword is denied before MFA, so a forced reset at
// first sign-in (console, no MFA yet) can never complete
// (docs/policy-evaluation.md#policy-traps).
func (l *linter) passwordReset() *Finding {
	if !l.opts.PasswordResetRequired || l.decide(SessionWithoutMFA, "iam:ChangePassword", "") == Allowed {
		return nil
	}
	return &Finding{
		ID: "password-reset-deadlock", Severity: SeverityError,
	}
}

// gitCredentials: Git over HTTPS/SSH carries no MFA context, so a deny
// conditioned on MFA blocks codecommit:Git* for good
// (docs/policy-evaluation.md#operations-outside-policy).
func (l *linter) gitCredentials() *Finding {
	offered := l.decide(SessionWithMFA, "iam:CreateServiceSpecificCredential", "") == Allowed ||
		l.decide(SessionWithMFA, "iam:UploadSSHPublicKey", "") == Allowed
	repo := "arn:" + l.opts.Partition + ":codecommit:" + sampleRegion(l.opts.Partition) + ":" + l.account + ":repository"
	var denied []string
	for _, a := range []string{"codecommit:GitPull", "codecommit:GitPush"} {
		if l.decide(LongTermKey, a, repo) == ExplicitDeny {
			denied = append(denied, a)
		}
	}
	if !offered || len(denied) == 0 {
		return nil
	}
	return &Finding{
		ID: "git-credentials-unusable", Severity: SeverityWarning,
		Params: []string{strings.Join(denied, ", ")},
	}
}

// sampleRegion is a region of the partition for sample resource ARNs of
// regional services; which one does not matter to the checks.
func sampleRegion(partition string) string {
	switch partition {
	case "aws-us-gov":
		return "us-gov-west-1"
	case "aws-cn":
		return "cn-north-1"
	}
	return "us-east-1"
}

// abandonedDevice: DeleteVirtualMFADevice is never granted before MFA, so a
// device left by an abandoned enrolment blocks a retry
// (docs/policy-evaluation.md#policy-traps).
func (l *linter) abandonedDevice() *Finding {
	if l.decide(SessionWithoutMFA, "iam:CreateVirtualMFADevice", "") != Allowed ||
		l.decide(SessionWithoutMFA, "iam:DeleteVirtualMFADevice", "") == Allowed {
		return nil
	}
	return &Finding{
		ID: "abandoned-mfa-device-needs-admin", Severity: SeverityInfo,
	}
}

// anyDeviceName: mfa/* lets a user create devices of any name (golden G15).
func (l *linter) anyDeviceName() *Finding {
	other := MFADeviceARN(l.opts.Partition, l.account, "/", "not-"+l.opts.UserName+"-device")
	if l.decide(SessionWithoutMFA, "iam:CreateVirtualMFADevice", other) != Allowed {
		return nil
	}
	return &Finding{
		ID: "any-mfa-device-name", Severity: SeverityWarning,
		Params: []string{other},
	}
}

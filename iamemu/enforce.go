package iamemu

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	pol "github.com/gatehouse/portal/policy"
)

// PolicyAuthorizer enforces the caller's identity policies with package
// policy, as AWS does for an IAM user in one account. New installs it unless
// Options.DisablePolicyEnforcement is set; SetAuthorizer(PolicyAuthorizer{})
// re-installs it.
//
// Besides the literal policy decision it applies what AWS decides without
// policies: the exemptions of policy.Override (GetCallerIdentity,
// GetSessionToken), and the credential rule that GetSessionToken sessions
// obtained without MFA cannot call IAM at all (answered, like AWS, as
// InvalidClientTokenId; aws-vault#15 and #1056 record the behaviour).
type PolicyAuthorizer struct{}

// Authorize implements Authorizer.
func (PolicyAuthorizer) Authorize(_ context.Context, e *Emulator, req AuthzRequest) error {
	d, err := e.evaluateIdentity(req)
	switch {
	case err != nil:
		return err
	case d == pol.Allowed:
		return nil
	case d == pol.ExplicitDeny:
		return &AccessDeniedError{Reason: "with an explicit deny in an identity-based policy"}
	}
	return &AccessDeniedError{Reason: "because no identity-based policy allows the " + req.Action + " action"}
}

// evaluateIdentity is PolicyAuthorizer's decision with its three outcomes
// kept apart (AssumeRole needs to tell an explicit deny from no allow). A
// non-nil *apiError is an answer of its own (InvalidClientTokenId,
// ServiceFailure).
func (e *Emulator) evaluateIdentity(req AuthzRequest) (pol.Decision, error) {
	p := req.Principal
	if p.Root {
		return pol.Allowed, nil
	}
	if d, _, ok := pol.Override(req.Action); ok && d == pol.Allowed {
		return pol.Allowed, nil
	}
	if p.Session && !p.IsRole() && !p.MFAPresent && strings.HasPrefix(strings.ToLower(req.Action), "iam:") {
		return pol.ImplicitDeny, errf("InvalidClientTokenId", msgBadToken)
	}
	e.mu.Lock()
	docs, found := e.principalPolicies(p)
	now := e.clock()
	st := e.stateOf(p.Account)
	selfService := !p.IsRole() && st != nil && st.PasswordPolicy != nil && st.PasswordPolicy.AllowUsersToChangePassword
	e.mu.Unlock()
	if !found {
		return pol.ImplicitDeny, nil
	}
	sources := make([]pol.Source, 0, len(docs))
	for _, d := range docs {
		if d.Parsed == nil {
			// Only a document from an older state file can fail to parse.
			// Failing closed and loudly beats ignoring a Deny.
			return pol.ImplicitDeny, errf("ServiceFailure", "policy %s of %s could not be evaluated", d.SourceID, p.Arn)
		}
		sources = append(sources, pol.Source{ID: d.SourceID, Type: d.Type, Doc: d.Parsed})
	}
	if selfService {
		sources = append(sources, changeOwnPassword(p.Arn))
	}
	r := pol.Evaluate(pol.Request{Action: req.Action, Resource: req.Resource, Context: RequestContext(p, p.Account, now)}, sources...)
	return r.Decision, nil
}

// principalPolicies returns the identity policies of a non-root caller: an
// IAM user's (its groups' included) or an assumed role's. found is false
// when the user or role no longer exists (a role deleted, or deleted and
// created again, leaves its sessions without permissions). Called with e.mu
// held.
func (e *Emulator) principalPolicies(p Principal) (docs []PolicyDoc, found bool) {
	st := e.stateOf(p.Account)
	if st == nil {
		return nil, false
	}
	if p.IsRole() {
		r := st.Roles[strings.ToLower(p.RoleName)]
		if r == nil || p.UserID != r.ID+":"+p.SessionName {
			return nil, false
		}
		return st.policiesOf(nil, r.Attached, r.Inline), true
	}
	u := st.Users[strings.ToLower(p.UserName)]
	if u == nil {
		return nil, false
	}
	return st.userPolicies(u), true
}

// RequestContext is the condition-key context AWS builds for a request by the
// IAM user p at IAM time now (docs/policy-evaluation.md#mfa-context):
// identity keys, aws:CurrentTime/EpochTime, aws:SecureTransport (IAM is
// HTTPS-only, so always true even when the emulator is served over plain
// HTTP), and the MFA keys — aws:MultiFactorAuthPresent absent for long-term
// keys, "false" for sessions without MFA, "true" with aws:MultiFactorAuthAge
// for MFA sessions. aws:SourceIp and aws:TokenIssueTime are not provided.
func RequestContext(p Principal, accountID string, now time.Time) map[string][]string {
	ctx := map[string][]string{
		"aws:userid":           {p.UserID},
		"aws:PrincipalArn":     {p.Arn},
		"aws:PrincipalAccount": {accountID},
		"aws:CurrentTime":      {now.UTC().Format(time.RFC3339)},
		"aws:EpochTime":        {strconv.FormatInt(now.Unix(), 10)},
		"aws:SecureTransport":  {"true"},
		"aws:ViaAWSService":    {"false"},
	}
	switch {
	case p.Root:
		ctx["aws:PrincipalType"] = []string{"Account"}
	case p.IsRole():
		// A role session is known by its role's ARN (aws:PrincipalArn) and
		// its RoleId:session (aws:userid); it has no aws:username.
		ctx["aws:PrincipalType"] = []string{"AssumedRole"}
		ctx["aws:PrincipalArn"] = []string{p.RoleArn}
	default:
		ctx["aws:PrincipalType"] = []string{"User"}
		ctx["aws:username"] = []string{p.UserName}
	}
	if p.Session {
		ctx["aws:MultiFactorAuthPresent"] = []string{strconv.FormatBool(p.MFAPresent)}
		if p.MFAPresent {
			age := max(int64(now.Sub(p.MFAAuthTime)/time.Second), 0)
			ctx["aws:MultiFactorAuthAge"] = []string{strconv.FormatInt(age, 10)}
		}
	}
	return ctx
}

// Authorize runs the decision a real request would get for an arbitrary
// action — including non-IAM ones such as s3:ListAllMyBuckets, which the
// emulator cannot serve — signed with accessKeyID (and sessionToken for STS
// session credentials). An empty resource means policy.ResourceFor's answer
// for the caller. It returns nil when allowed; otherwise an error whose text
// is AWS's "Code: message", e.g. "AccessDenied: User: … is not authorized to
// perform: s3:ListAllMyBuckets on resource: * with an explicit deny in an
// identity-based policy". Unknown or expired credentials give the
// authentication error. Signatures are not checked. With enforcement
// disabled (no Authorizer), everything is allowed.
func (e *Emulator) Authorize(ctx context.Context, accessKeyID, sessionToken, action, resource string) error {
	e.mu.Lock()
	cred, cerr := e.lookupCredential(accessKeyID, sessionToken)
	a := e.authz
	e.mu.Unlock()
	if cerr != nil {
		return cerr
	}
	p := cred.principal
	if a == nil || p.Root {
		return nil
	}
	if resource == "" {
		resource = pol.ResourceFor(action, p.Arn, p.Account)
	}
	req := AuthzRequest{Principal: p, Action: action, Resource: resource}
	if aerr := deniedError(p, req, a.Authorize(ctx, e, req)); aerr != nil {
		return aerr
	}
	return nil
}

// deniedError turns an Authorizer's answer into the API error AWS sends:
// *apiError passes through, anything else is AccessDenied with AWS's text.
func deniedError(p Principal, req AuthzRequest, err error) *apiError {
	if err == nil {
		return nil
	}
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	msg := "User: " + p.Arn + " is not authorized to perform: " + req.Action + " on resource: " + req.Resource
	var denied *AccessDeniedError
	if errors.As(err, &denied) && denied.Reason != "" {
		msg += " " + denied.Reason
	}
	return &apiError{Code: "AccessDenied", Message: msg}
}

// callerResource is the caller's own user ARN: ChangePassword has no UserName
// parameter and always acts on the caller, so a smuggled UserName must not
// change what is authorized (docs/policy-evaluation.md#resources-per-action).
func callerResource(c *call) string {
	if u := c.st.Users[strings.ToLower(c.caller.UserName)]; u != nil {
		return c.st.userArn(u)
	}
	return c.caller.Arn
}

// keyOwnerResource is the ARN of the user owning AccessKeyId
// (GetAccessKeyLastUsed's resource type is user), or the caller when the key
// is unknown.
func keyOwnerResource(c *call) string {
	if k := c.st.AccessKeys[c.p.get("AccessKeyId")]; k != nil {
		if u := c.st.Users[strings.ToLower(k.UserName)]; u != nil {
			return c.st.userArn(u)
		}
	}
	return callerResource(c)
}

// changeOwnPassword is what the account setting AllowUsersToChangePassword
// grants every IAM user: iam:ChangePassword on itself and
// iam:GetAccountPasswordPolicy (IAM User Guide, "Setting an account password
// policy"). It is a grant like a
// policy's, so an explicit Deny (a force-MFA policy) still wins.
func changeOwnPassword(userArn string) pol.Source {
	return pol.Source{ID: "AllowUsersToChangePassword", Type: "IAM Policy", Doc: &pol.Document{
		Version: pol.Version2012,
		Statements: []pol.Statement{
			{Effect: pol.Allow, Action: []string{"iam:ChangePassword"}, Resource: []string{userArn}},
			{Effect: pol.Allow, Action: []string{"iam:GetAccountPasswordPolicy"}, Resource: []string{"*"}},
		},
	}}
}

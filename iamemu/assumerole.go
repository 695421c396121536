package iamemu

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	pol "github.com/gatehouse/portal/policy"
)

// sts:AssumeRole across the hosted accounts
// (docs/iam-notes.md#assumerole-evaluation). The decision is made in
// authorizeAssumeRole, before the action runs and without the emulator's
// lock (the Authorizer may take it); assumeRole then issues the session.

var (
	ruleRoleArn     = mkRule(20, 2048, "", "")
	ruleSessionName = mkRule(2, 64, `[\w+=,.@-]*`, `[\w+=,.@-]*`)
	ruleExternalID  = mkRule(2, 1224, `[\w+=,.@:\/-]*`, `[\w+=,.@:/-]*`)
	ruleSessionMFA  = mkRule(9, 256, `[\w+=/:,.@-]*`, `[\w+=/:,.@-]*`)
	ruleSessionCode = mkRule(6, 6, `[\d]*`, `[0-9]*`)
	roleArnRE       = regexp.MustCompile(`^arn:([a-z-]+):iam::(\d{12}):role/(?:[\x{21}-\x{7E}]*/)?([\w+=,.@-]+)$`)
)

const (
	msgRootAssume  = "Roles may not be assumed by root accounts."
	chainedMaxSecs = 3600 // a role session assuming a role gets at most one hour
)

// assumeRoleInput is AssumeRole's request, checked.
type assumeRoleInput struct {
	roleArn, account, roleName string
	sessionName, externalID    string
	duration                   int
	durationGiven              bool
	serial, code               string
}

// assumeRoleParams checks the parameters against the STS model. STS's
// validation messages quote the offending value, unlike IAM's newer ones.
func assumeRoleParams(p params) (assumeRoleInput, *apiError) {
	var in assumeRoleInput
	var msgs []string
	check := func(key string, r rule, required bool) string {
		val, ok := p[key]
		member := lowerFirst(key)
		if !ok {
			if required {
				msgs = append(msgs, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", member))
			}
			return ""
		}
		var v checker
		v.check(member, val[0], r)
		for _, m := range v.msgs {
			msgs = append(msgs, strings.Replace(m, "Value at", fmt.Sprintf("Value '%s' at", val[0]), 1))
		}
		return val[0]
	}
	in.roleArn = check("RoleArn", ruleRoleArn, true)
	in.sessionName = check("RoleSessionName", ruleSessionName, true)
	in.externalID = check("ExternalId", ruleExternalID, false)
	in.serial = check("SerialNumber", ruleSessionMFA, false)
	in.code = check("TokenCode", ruleSessionCode, false)
	dur, derr := p.integer("DurationSeconds", 3600, 900, 43200)
	if derr != nil {
		msgs = append(msgs, strings.TrimPrefix(derr.Message, "1 validation error detected: "))
	}
	if len(msgs) > 0 {
		return in, validationErr(msgs...)
	}
	in.duration, in.durationGiven = dur, p.has("DurationSeconds")
	for _, unsupported := range []string{"Policy", "PolicyArns", "Tags", "TransitiveTagKeys", "SourceIdentity", "ProvidedContexts"} {
		if p.has(unsupported) || p.has(unsupported+".member.1") {
			return in, errf("ValidationError", "%s is not supported by this emulator.", unsupported)
		}
	}
	m := roleArnRE.FindStringSubmatch(in.roleArn)
	if m == nil {
		return in, errf("ValidationError", "%s is invalid", in.roleArn)
	}
	in.account, in.roleName = m[2], m[3]
	if (in.serial == "") != (in.code == "") {
		return in, errf("ValidationError", "SerialNumber and TokenCode must be given together.")
	}
	return in, nil
}

// findRole returns the hosted role whose ARN is arn, or nil. Called with
// e.mu held.
func (e *Emulator) findRole(account, name, arn string) (*state, *role) {
	st := e.stateOf(account)
	if st == nil {
		return nil, nil
	}
	r := st.Roles[strings.ToLower(name)]
	if r == nil || st.roleArn(r) != arn {
		return st, nil
	}
	return st, r
}

// authorizeAssumeRole decides AssumeRole the way AWS does for a role:
//   - root credentials may never assume a role;
//   - the role's trust policy must allow the caller (an explicit Deny in it
//     wins), honouring its conditions (sts:ExternalId, MFA, …);
//   - the caller's identity policies must allow sts:AssumeRole on the role
//     ARN, unless the role is in the caller's own account and the trust
//     policy's Allow names the caller by its ARN (then the trust policy
//     alone grants, as a resource policy naming a principal does). An
//     explicit Deny in the identity policies always wins.
//
// A missing role is denied like an untrusted one: AWS does not reveal
// whether a role exists to a caller who may not assume it.
func (e *Emulator) authorizeAssumeRole(c *call) *apiError {
	in, aerr := assumeRoleParams(c.p)
	if aerr != nil {
		return aerr
	}
	p := c.caller
	if p.Root {
		return errf("AccessDenied", msgRootAssume)
	}
	denied := errf("AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s", p.Arn, in.roleArn)

	e.mu.Lock()
	now := e.clock()
	ctx := RequestContext(p, p.Account, now)
	if in.serial != "" {
		if !e.checkSessionMFA(p, in.serial, in.code, now) {
			e.mu.Unlock()
			return errf("AccessDenied", msgBadSTSCode)
		}
		ctx["aws:MultiFactorAuthPresent"] = []string{"true"}
		ctx["aws:MultiFactorAuthAge"] = []string{"0"}
	}
	_, r := e.findRole(in.account, in.roleName, in.roleArn)
	var trust pol.TrustResult
	if r != nil && r.Trust.parsed != nil {
		ctx["sts:RoleSessionName"] = []string{in.sessionName}
		if in.externalID != "" {
			ctx["sts:ExternalId"] = []string{in.externalID}
		}
		arns := []string{p.Arn}
		if p.IsRole() {
			arns = append(arns, p.RoleArn)
		}
		trust = pol.EvaluateTrust(pol.TrustRequest{
			Action: "sts:AssumeRole", PrincipalArns: arns, Account: p.Account, Partition: e.part.name, Context: ctx,
		}, r.Trust.parsed)
	}
	a := e.authz
	e.mu.Unlock()
	if trust.Decision != pol.Allowed {
		return denied
	}
	if a == nil {
		return nil
	}
	trustAlone := trust.ByArn && in.account == p.Account
	req := AuthzRequest{Principal: p, Action: "sts:AssumeRole", Resource: in.roleArn}
	if _, ok := a.(PolicyAuthorizer); ok {
		d, err := e.evaluateIdentity(req)
		switch {
		case err != nil:
			return deniedError(p, req, err)
		case d == pol.Allowed, d == pol.ImplicitDeny && trustAlone:
			return nil
		}
		return denied
	}
	if err := a.Authorize(c.ctx, e, req); err != nil && !trustAlone {
		return denied
	}
	return nil
}

// checkSessionMFA checks an MFA code given to AssumeRole against the
// calling user's device, as GetSessionToken does. Called with e.mu held.
func (e *Emulator) checkSessionMFA(p Principal, serial, code string, now time.Time) bool {
	st := e.stateOf(p.Account)
	if st == nil || p.UserName == "" {
		return false
	}
	d := st.Devices[serial]
	if d == nil || !strings.EqualFold(d.UserName, p.UserName) {
		return false
	}
	key, err := decodeSeed(d.Seed)
	if err != nil {
		return false
	}
	step, ok := findSingle(key, code, stepOf(now)+d.Drift, 1, d.LastStep)
	if !ok {
		return false
	}
	d.LastStep = step
	return true
}

type xmlAssumedRoleUser struct {
	AssumedRoleId string
	Arn           string
}

type assumeRoleResult struct {
	Credentials     xmlCredentials
	AssumedRoleUser xmlAssumedRoleUser
}

// assumeRole issues the session once authorizeAssumeRole has allowed it.
// DurationSeconds defaults to one hour and may not exceed the role's
// MaxSessionDuration, nor one hour for a role session assuming a role
// (role chaining).
func assumeRole(c *call) (any, *apiError) {
	in, aerr := assumeRoleParams(c.p)
	if aerr != nil {
		return nil, aerr
	}
	st, r := c.e.findRole(in.account, in.roleName, in.roleArn)
	if r == nil { // deleted since it was authorized
		return nil, errf("AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s", c.caller.Arn, in.roleArn)
	}
	switch {
	case in.durationGiven && c.caller.IsRole() && in.duration > chainedMaxSecs:
		return nil, errf("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	case in.duration > r.MaxSessionDuration:
		return nil, errf("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	s := &session{
		AccessKeyID: newKeyID("ASIA", st.AccountID), Secret: newSecret(), Token: newSessionToken(),
		Expires:  c.now.Add(time.Duration(in.duration) * time.Second),
		RoleName: r.Name, RoleArn: st.roleArn(r), RoleID: r.ID, SessionName: in.sessionName,
	}
	if in.serial != "" {
		s.MFA, s.MFAAuthTime = true, c.now
	}
	st.Sessions[s.AccessKeyID] = s
	for id, old := range st.Sessions {
		if !c.now.Before(old.Expires) {
			delete(st.Sessions, id)
		}
	}
	r.LastUsed = &keyUsage{When: c.now, Region: c.region, Service: "sts"}
	return assumeRoleResult{
		Credentials:     xmlCredentials{s.AccessKeyID, s.Secret, s.Token, isoTime(s.Expires)},
		AssumedRoleUser: xmlAssumedRoleUser{AssumedRoleId: r.ID + ":" + in.sessionName, Arn: st.assumedRoleArn(r.Name, in.sessionName)},
	}, nil
}

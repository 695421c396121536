package onboarding

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/policy"
)

// Policy states shown on the policy page (and used as data-state values).
const (
	PolicyPresent = "present" // the default version equals the seed
	PolicyDrifted = "drifted" // the default version differs from the seed
	PolicyMissing = "missing" // the managed policy does not exist
)

// PolicyStatus is the live managed policy compared with the seed document.
type PolicyStatus struct {
	// Account is the AWS account whose copy of the policy this is.
	Account        string
	Name, ARN      string
	State          string
	DefaultVersion string
	Versions       []awsiam.PolicyVersion
	// Document is the live default version's JSON; empty when missing.
	Document string
	// ParseError says why the live document could not be read as a policy
	// (then Diff and Findings are empty).
	ParseError string
	// Diff lists what publishing the seed would change (live → seed).
	Diff []policy.Difference
	// Findings are Lint's findings for the live document as Gatehouse uses
	// it (users at "/", no forced reset).
	Findings []policy.Finding
	// OptionFindings are the extra findings the live document would get if
	// the onboarding form's advanced options (an IAM path, a forced
	// password reset) were used.
	OptionFindings []policy.Finding
}

// PolicyStatus compares the live managed policy of the account the request
// chose (InAccount; the hub by default) with the seed and lints it. Each
// account holds its own copy of the policy. A member account whose role
// cannot be assumed is recorded unreachable and the error says why
// (Unreachable).
func (s *Service) PolicyStatus(ctx context.Context) (*PolicyStatus, error) {
	ctx, err := s.scopeChosen(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.policyStatus(ctx)
	if Unreachable(err) {
		s.markUnreachable(ctx, s.account(ctx), err)
	}
	return st, err
}

// policyStatus is PolicyStatus in ctx's account.
func (s *Service) policyStatus(ctx context.Context) (*PolicyStatus, error) {
	st := &PolicyStatus{Account: s.account(ctx), Name: s.cfg.PolicyName, ARN: s.policyARN(ctx)}
	mp, err := s.iam(ctx).GetPolicy(ctx, st.ARN)
	if portal.ErrorReason(err) == awsiam.CodeNoSuchEntity {
		st.State = PolicyMissing
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	st.DefaultVersion, st.Document = mp.DefaultVersionID, mp.Document
	if st.Versions, err = s.iam(ctx).ListPolicyVersions(ctx, st.ARN); err != nil {
		return nil, err
	}
	seed, err := policy.Parse(s.cfg.PolicyDocument)
	if err != nil {
		return nil, fmt.Errorf("the configured policy document does not parse: %w", err)
	}
	live, err := policy.Parse(mp.Document)
	if err != nil {
		st.State, st.ParseError = PolicyDrifted, err.Error()
		return st, nil
	}
	st.State = PolicyPresent
	if !policy.Equal(live, seed) {
		st.State, st.Diff = PolicyDrifted, policy.Diff(live, seed)
	}
	st.Findings = policy.Lint(live, policy.LintOptions{AccountID: s.account(ctx), Partition: s.cfg.Partition.ID})
	seen := map[string]bool{}
	for _, f := range st.Findings {
		seen[f.ID] = true
	}
	for _, f := range policy.Lint(live, policy.LintOptions{AccountID: s.account(ctx), Partition: s.cfg.Partition.ID, UserPath: "/team/", PasswordResetRequired: true}) {
		if !seen[f.ID] {
			st.OptionFindings = append(st.OptionFindings, f)
		}
	}
	return st, nil
}

// Published says what PublishSeed did.
type Published struct {
	Account   string // the AWS account whose policy this is
	Created   bool   // the policy was missing and has been created
	Version   string // the new default version ("v1" when created)
	Deleted   string // the old version deleted to stay within the limit
	Unchanged bool   // the default version already equalled the seed
}

// PublishSeed makes the seed document the managed policy's default
// version in the account the request chose (InAccount; the hub by
// default): it creates the policy when missing, and otherwise adds a version
// with SetAsDefault. IAM keeps at most five versions, so when five exist the
// oldest non-default one is deleted first (and audited); IAM has no way to
// do both at once, so if the create then fails the deletion stays.
func (s *Service) PublishSeed(ctx context.Context, a Actor) (*Published, error) {
	ctx, err := s.scopeChosen(ctx)
	if err != nil {
		return nil, err
	}
	st, err := s.policyStatus(ctx)
	if Unreachable(err) {
		s.markUnreachable(ctx, s.account(ctx), err)
	}
	if err != nil {
		return nil, err
	}
	target := s.policyTarget(ctx)
	switch st.State {
	case PolicyPresent:
		return &Published{Account: st.Account, Unchanged: true, Version: st.DefaultVersion}, nil
	case PolicyMissing:
		if _, err := s.iam(ctx).CreatePolicy(ctx, s.cfg.PolicyName, s.cfg.PolicyDocument, policyDescription); err != nil {
			return nil, err
		}
		s.auditKind(ctx, a, portal.TargetPolicy, "policy.create", target, portal.T("audit.policy.create"))
		return &Published{Account: st.Account, Created: true, Version: "v1"}, nil
	}
	out := &Published{Account: st.Account}
	if len(st.Versions) >= awsiam.MaxPolicyVersions {
		out.Deleted = oldestNonDefault(st.Versions)
		if out.Deleted == "" {
			return nil, portal.E(portal.ECONFLICT, "err.policy.versions", len(st.Versions))
		}
		if err := s.iam(ctx).DeletePolicyVersion(ctx, st.ARN, out.Deleted); err != nil {
			return nil, err
		}
		s.auditKind(ctx, a, portal.TargetPolicy, "policy.version.delete", target,
			portal.T("audit.policy.version.delete", out.Deleted))
	}
	out.Version, err = s.iam(ctx).CreatePolicyVersion(ctx, st.ARN, s.cfg.PolicyDocument, true)
	if err != nil {
		return nil, err
	}
	s.auditKind(ctx, a, portal.TargetPolicy, "policy.publish", target,
		portal.T("audit.policy.publish", out.Version, st.DefaultVersion))
	return out, nil
}

// policyTarget names the managed policy in the audit log: its name in the
// hub account (as before accounts existed), its ARN in a member account,
// so the entry says which account's copy changed.
func (s *Service) policyTarget(ctx context.Context) string {
	if s.account(ctx) == s.cfg.Account {
		return s.cfg.PolicyName
	}
	return s.policyARN(ctx)
}

// policyDescription is the managed policy's description when Gatehouse
// creates it.
const policyDescription = "Gatehouse: enforce MFA; self-manage own password, access keys, Git credentials and MFA"

// oldestNonDefault returns the lowest-numbered version that is not the
// default, or "" when there is none.
func oldestNonDefault(vs []awsiam.PolicyVersion) string {
	best, bestN := "", 0
	for _, v := range vs {
		n, err := strconv.Atoi(strings.TrimPrefix(v.ID, "v"))
		if v.IsDefault || err != nil {
			continue
		}
		if best == "" || n < bestN {
			best, bestN = v.ID, n
		}
	}
	return best
}

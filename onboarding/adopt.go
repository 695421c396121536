package onboarding

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
)

// Reasons of adoption refusals (in portal.ErrorReason).
const (
	ReasonSelf          = "GatehouseOwnIdentity"  // the user Gatehouse's credentials belong to
	ReasonKeysUnconfirm = "AccessKeysUnconfirmed" // active access keys, not confirmed
)

// Candidate is an IAM user Gatehouse does not manage yet.
type Candidate struct {
	UserName    string
	ARN         string
	Path        string
	Created     time.Time
	HasMFA      bool
	HasPassword bool
	// ActiveKeys is how many active access keys the user has: often a
	// service account or CI job, which the policy's deny-without-MFA stops.
	ActiveKeys int
	// Self marks the IAM user Gatehouse itself runs as: listed so it is not
	// missed, never adoptable.
	Self bool
}

// AdoptionCandidates lists the account's IAM users that Gatehouse does not
// manage, with whether each has MFA, a console password and active access
// keys (from the credential report: two calls for the whole account). The
// user Gatehouse runs as is marked Self.
func (s *Service) AdoptionCandidates(ctx context.Context) ([]Candidate, error) {
	ctx, err := s.scopeChosen(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := s.credentialReport(ctx)
	if err != nil {
		return nil, err
	}
	var out []Candidate
	for _, r := range rep.Rows {
		if _, err := s.cfg.Store.FindUser(ctx, s.account(ctx), r.User); err == nil {
			continue
		} else if portal.ErrorCode(err) != portal.ENOTFOUND {
			return nil, err
		}
		c := Candidate{UserName: r.User, ARN: r.ARN, Created: r.Created, HasMFA: r.MFAActive, HasPassword: r.PasswordEnabled,
			Self: s.isSelf(r.ARN)}
		for _, k := range r.Keys {
			if k.Active {
				c.ActiveKeys++
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// isSelf reports whether arn is the identity Gatehouse's own credentials
// belong to. For an assumed role no IAM user has that ARN, so none is
// excluded, and none needs to be: the policy attaches to users only.
func (s *Service) isSelf(arn string) bool { return s.cfg.CallerARN != "" && arn == s.cfg.CallerARN }

// selfRefusal is how an action on an existing IAM user refuses the
// identity Gatehouse runs as: the audit action and detail key of the
// refusal, and the error's key.
type selfRefusal struct{ action, detail, err string }

// otherUser scopes ctx to the account the request chose and reads the IAM
// user userName there, refusing (and auditing) Gatehouse's own identity.
func (s *Service) otherUser(ctx context.Context, a Actor, userName string, r selfRefusal) (context.Context, awsiam.User, error) {
	ctx, err := s.scopeChosen(ctx)
	if err != nil {
		return ctx, awsiam.User{}, err
	}
	iu, err := s.iam(ctx).GetUser(ctx, userName)
	if err != nil {
		return ctx, iu, err
	}
	if s.isSelf(iu.ARN) {
		s.audit(ctx, a, r.action, iu.Name, portal.T(r.detail, iu.ARN))
		return ctx, iu, portal.E(portal.ECONFLICT, r.err, iu.Name).WithReason(ReasonSelf)
	}
	return ctx, iu, nil
}

// AdoptOptions are the admin's confirmations for one adoption.
type AdoptOptions struct {
	// KeysConfirmed says the admin confirmed that the user's active access
	// keys will be denied everything without MFA once the policy applies.
	KeysConfirmed bool
	// Reason is why the admin adopts the user: required (Adopt refuses
	// an empty one before anything is done) and kept in the audit entry.
	Reason string
}

// Adopted is the outcome of adopting one IAM user.
type Adopted struct {
	User  *portal.User
	Token string // set when an invite was issued (no MFA yet); shown once
	URL   string // the invite link of Token
	Until time.Time
}

// Adopt takes an existing IAM user under management: attach the forced-MFA
// policy, tag it, and record it with its IAM UserId — enrolled when it has
// MFA, otherwise invited with a deadline and a new invite.
//
// Two users are refused (and the refusal audited), because the policy's
// deny-without-MFA would lock them out: the identity Gatehouse itself runs
// as (its own calls carry no MFA), and — unless opts.KeysConfirmed — a user
// with active access keys, whose programs would stop working. Both are
// checked live, not from the possibly hours-old credential report. A
// reason is required.
func (s *Service) Adopt(ctx context.Context, a Actor, userName string, opts AdoptOptions) (*Adopted, error) {
	if strings.TrimSpace(opts.Reason) == "" {
		return nil, portal.FieldE("reason", "err.adopt.reason")
	}
	ctx, iu, err := s.otherUser(ctx, a, userName, selfRefusal{"user.adopt.refused", "audit.adopt.refused.self", "err.adopt.self"})
	if err != nil {
		return nil, err
	}
	if iu.Path != "/" {
		return nil, portal.E(portal.EINVALID, "err.adopt.path", iu.Name, iu.Path)
	}
	keys, err := s.iam(ctx).ListAccessKeys(ctx, iu.Name)
	if err != nil {
		return nil, err
	}
	active := 0
	for _, k := range keys {
		if k.Active {
			active++
		}
	}
	if active > 0 && !opts.KeysConfirmed {
		s.audit(ctx, a, "user.adopt.refused", iu.Name, portal.T("audit.adopt.refused.keys", active))
		return nil, portal.E(portal.ECONFLICT, "err.adopt.keys", iu.Name, active).WithReason(ReasonKeysUnconfirm)
	}
	devs, err := s.iam(ctx).ListMFADevices(ctx, iu.Name)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	u := &portal.User{AccountID: s.account(ctx), UserName: iu.Name, State: portal.StateInvited, ARN: iu.ARN, IAMUserID: iu.ID, Deadline: now.Add(s.cfg.DefaultDeadline),
		CreatedBy: a.Name, CreatedAt: now, UpdatedAt: now}
	if len(devs) > 0 {
		u.State, u.MFASerial, u.EnrolledAt, u.Deadline = portal.StateEnrolled, devs[0].Serial, devs[0].EnableDate, time.Time{}
	}
	if _, err := s.iam(ctx).EnsurePolicy(ctx, s.policyARN(ctx), s.cfg.PolicyName, s.cfg.PolicyDocument); err != nil {
		return nil, err
	}
	if err := s.iam(ctx).AttachUserPolicy(ctx, iu.Name, s.policyARN(ctx)); err != nil {
		return nil, err
	}
	if err := s.iam(ctx).TagUser(ctx, iu.Name, map[string]string{ManagedTagKey: ManagedTagValue}); err != nil {
		return nil, err
	}
	// IAM has the user under management now: record it whatever happens to
	// the request.
	ctx, cancel := lasting(ctx)
	defer cancel()
	if err := s.cfg.Store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	// The saga's steps are done by construction: mark them so the user
	// page never offers to "resume" an onboarding that never ran.
	for _, step := range Steps {
		if err := s.cfg.Store.StartStep(ctx, u.ID, step, now); err != nil {
			return nil, err
		}
		if err := s.cfg.Store.FinishStep(ctx, u.ID, step, now); err != nil {
			return nil, err
		}
	}
	out := &Adopted{User: u}
	parts := []portal.Text{portal.T("audit.adopt.done")}
	if active > 0 {
		parts = append(parts, portal.T("audit.adopt.keys", active))
	}
	if u.State == portal.StateInvited {
		if out.Token, out.Until, err = s.issueInvite(ctx, u); err != nil {
			return nil, err
		}
		out.URL = s.cfg.Links.Invite(out.Token)
		parts = append(parts, portal.T("audit.adopt.invite"))
	}
	detail := portal.T("audit.list", parts)
	if r := strings.TrimSpace(opts.Reason); r != "" {
		detail = portal.T("audit.with_reason", parts, r)
	}
	s.auditUser(ctx, a, "user.adopt", u, detail)
	return out, nil
}

package onboarding

import (
	"context"
	"time"

	"github.com/gatehouse/portal"
)

// Candidate is an IAM user Gatehouse does not manage yet.
type Candidate struct {
	UserName    string
	ARN         string
	Path        string
	Created     time.Time
	HasMFA      bool
	HasPassword bool
}

// AdoptionCandidates lists the account's IAM users that Gatehouse does not
// manage, with whether each has MFA and a console password (from the
// credential report: two calls for the whole account).
func (s *Service) AdoptionCandidates(ctx context.Context) ([]Candidate, error) {
	rep, err := s.credentialReport(ctx)
	if err != nil {
		return nil, err
	}
	var out []Candidate
	for _, r := range rep.Rows {
		if _, err := s.cfg.Store.FindUserByName(ctx, r.User); err == nil {
			continue
		} else if portal.ErrorCode(err) != portal.ENOTFOUND {
			return nil, err
		}
		out = append(out, Candidate{UserName: r.User, ARN: r.ARN, Created: r.Created, HasMFA: r.MFAActive, HasPassword: r.PasswordEnabled})
	}
	return out, nil
}

// Adopted is the outcome of adopting one IAM user.
type Adopted struct {
	User  *portal.User
	Token string // set when an invite was issued (no MFA yet); shown once
	Until time.Time
}

// Adopt takes an existing IAM user under management: attach the forced-MFA
// policy, tag it, and record it — enrolled when it has MFA, otherwise
// invited with a deadline and a new invite.
func (s *Service) Adopt(ctx context.Context, a Actor, userName string) (*Adopted, error) {
	iu, err := s.cfg.IAM.GetUser(ctx, userName)
	if err != nil {
		return nil, err
	}
	if iu.Path != "/" {
		return nil, portal.Errorf(portal.EINVALID, "%s has the path %s; the forced-MFA policy only matches users at path /.", iu.Name, iu.Path)
	}
	devs, err := s.cfg.IAM.ListMFADevices(ctx, iu.Name)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	u := &portal.User{UserName: iu.Name, State: portal.StateInvited, ARN: iu.ARN, Deadline: now.Add(s.cfg.DefaultDeadline),
		CreatedBy: a.Name, CreatedAt: now, UpdatedAt: now}
	if len(devs) > 0 {
		u.State, u.MFASerial, u.EnrolledAt, u.Deadline = portal.StateEnrolled, devs[0].Serial, devs[0].EnableDate, time.Time{}
	}
	if _, err := s.cfg.IAM.EnsurePolicy(ctx, s.policyARN(), s.cfg.PolicyName, s.cfg.PolicyDocument); err != nil {
		return nil, err
	}
	if err := s.cfg.IAM.AttachUserPolicy(ctx, iu.Name, s.policyARN()); err != nil {
		return nil, err
	}
	if err := s.cfg.IAM.TagUser(ctx, iu.Name, map[string]string{ManagedTagKey: ManagedTagValue}); err != nil {
		return nil, err
	}
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
	detail := "existing IAM user adopted: policy attached, tagged"
	if u.State == portal.StateInvited {
		if out.Token, out.Until, err = s.issueInvite(ctx, u); err != nil {
			return nil, err
		}
		detail += ", invite issued (no MFA yet)"
	}
	s.audit(ctx, a, "user.adopt", u.UserName, detail)
	return out, nil
}

package onboarding

import (
	"context"

	"github.com/gatehouse/portal"
)

// ResendInvite issues a fresh invite link for a user who has not enrolled
// yet; earlier unclaimed links stop working. It is the smallest resend the
// JSON API needs (issue 5); the helpdesk's fuller resend (issue 6) may
// replace it.
func (s *Service) ResendInvite(ctx context.Context, a Actor, userName string) (*Handoff, error) {
	u, err := s.cfg.Store.FindUserByName(ctx, userName)
	if err != nil {
		return nil, err
	}
	switch u.State {
	case portal.StateInvited, portal.StateClaimed:
	case portal.StateEnrolled:
		return nil, portal.Errorf(portal.ECONFLICT, "%s has enrolled MFA already: there is nothing to invite to.", u.UserName)
	default:
		return nil, portal.Errorf(portal.ECONFLICT, "%s is %s: an invite can be resent only to invited users who have not enrolled yet.", u.UserName, u.State)
	}
	token, until, err := s.issueInvite(ctx, u)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, a, "invite.resend", u.UserName, "new invite link issued; earlier links revoked")
	return &Handoff{User: u, InviteToken: token, InviteUntil: until, SigninURL: s.SigninURL()}, nil
}

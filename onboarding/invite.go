package onboarding

import (
	"context"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/store"
)

// Invitation is what the landing page of an invite link shows before the
// person claims it.
type Invitation struct {
	Invite *portal.Invite
	User   *portal.User
}

// LookupInvite returns the invite behind token if it can still be claimed.
func (s *Service) LookupInvite(ctx context.Context, token string) (*Invitation, error) {
	inv, err := s.cfg.Store.FindInviteByHash(ctx, portal.HashToken(token))
	if err != nil {
		return nil, err
	}
	if err := inv.Claimable(s.cfg.Now()); err != nil {
		return nil, err
	}
	u, err := s.cfg.Store.FindUserByID(ctx, inv.UserID)
	if err != nil {
		return nil, err
	}
	return &Invitation{Invite: inv, User: u}, nil
}

// Credentials are the console credentials handed to the user once, at claim
// time. The password is generated here, sent to IAM and shown; it is never
// stored or logged.
type Credentials struct {
	SessionToken string // the claim session's cookie value
	UserName     string
	Password     string
	SigninURL    string
	Account      string
	User         *portal.User
}

// ClaimInvite claims the invite behind token: it opens a setup session and
// gives the user a console password (CreateLoginProfile, no forced reset).
// The claim is atomic, so two clicks on one link cannot both succeed.
func (s *Service) ClaimInvite(ctx context.Context, token, requestID string) (*Credentials, error) {
	inv, err := s.LookupInvite(ctx, token)
	if err != nil {
		return nil, err
	}
	u := inv.User
	now := s.cfg.Now()
	sessToken, sessHash := portal.NewToken()
	cs := &portal.ClaimSession{IDHash: sessHash, UserID: u.ID, InviteID: inv.Invite.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.ClaimTTL)}
	if err := s.cfg.Store.ClaimInvite(ctx, inv.Invite, cs); err != nil {
		return nil, err
	}
	password, err := s.setPassword(ctx, Actor{Name: "invitee:" + u.UserName, RequestID: requestID}, u)
	if err != nil {
		// Give the link back: nothing was handed out yet.
		if rerr := s.cfg.Store.ReleaseClaim(ctx, inv.Invite, sessHash); rerr != nil {
			s.log.ErrorContext(ctx, "release claim", "user", u.UserName, "err", rerr)
		}
		return nil, err
	}
	if u.State == portal.StateInvited || u.State == portal.StateProvisioning {
		claimed := portal.StateClaimed
		if err := s.cfg.Store.UpdateUser(ctx, u.ID, store.UserUpdate{State: &claimed}, now); err != nil {
			return nil, err
		}
		u.State = claimed
	}
	s.audit(ctx, Actor{Name: "invitee:" + u.UserName, RequestID: requestID}, "invite.claim", u.UserName, portal.T("audit.invite.claim"))
	return &Credentials{SessionToken: sessToken, UserName: u.UserName, Password: password, SigninURL: s.SigninURL(ctx), Account: s.cfg.Account, User: u}, nil
}

// setPassword generates a console password meeting the account policy and
// sets it: CreateLoginProfile, or UpdateLoginProfile when the user has one
// already (a new invite after a lost password). The password is reset-
// required only if the admin chose and confirmed that option. A password is
// never set on an IAM user that is not ours any more (ensureOurs).
func (s *Service) setPassword(ctx context.Context, a Actor, u *portal.User) (string, error) {
	if _, err := s.ensureOurs(ctx, a, u, "set a console password"); err != nil {
		return "", err
	}
	pol, err := s.cfg.IAM.PasswordPolicy(ctx)
	if err != nil {
		return "", err
	}
	password := GeneratePassword(pol)
	err = s.cfg.IAM.CreateLoginProfileReset(ctx, u.UserName, password, u.PasswordResetRequired)
	if portal.ErrorReason(err) == awsiam.CodeEntityAlreadyExists {
		err = s.cfg.IAM.UpdateLoginProfileReset(ctx, u.UserName, password, u.PasswordResetRequired)
	}
	if err != nil {
		return "", err
	}
	return password, nil
}

// ClaimSession returns the setup session behind a cookie value and its user.
func (s *Service) ClaimSession(ctx context.Context, token string) (*portal.ClaimSession, *portal.User, error) {
	cs, err := s.cfg.Store.FindClaimSession(ctx, portal.HashToken(token), s.cfg.Now())
	if err != nil {
		return nil, nil, err
	}
	u, err := s.cfg.Store.FindUserByID(ctx, cs.UserID)
	if err != nil {
		return nil, nil, err
	}
	return cs, u, nil
}

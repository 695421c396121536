package onboarding

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// NewInvite is a freshly issued invite: the token exists only here and is
// shown once.
type NewInvite struct {
	User  *portal.User
	Token string
	URL   string // the invite link
	Until time.Time
	// EmailQueued says the link was also queued for e-mail to the user.
	EmailQueued bool
}

// ResendInvite issues a new invite for a pending user; every earlier
// unclaimed link stops working. The link is e-mailed too (when e-mail is
// configured).
func (s *Service) ResendInvite(ctx context.Context, a Actor, userName string) (*NewInvite, error) {
	ctx, u, err := s.findUser(ctx, userName)
	if err != nil {
		return nil, err
	}
	switch u.State {
	case portal.StateInvited, portal.StateClaimed, portal.StateMFARemoved:
	case portal.StateEnrolled:
		return nil, portal.E(portal.ECONFLICT, "err.resend.enrolled", u.UserName)
	default:
		return nil, portal.E(portal.ECONFLICT, "err.resend.state", u.UserName, portal.StateText(u.State))
	}
	token, until, err := s.issueInvite(ctx, u)
	if err != nil {
		return nil, err
	}
	s.auditUser(ctx, a, "invite.resend", u, portal.T("audit.invite.resend", until.UTC().Format("2006-01-02 15:04 MST")))
	inv := &NewInvite{User: u, Token: token, URL: s.cfg.Links.Invite(token), Until: until}
	inv.EmailQueued = s.notifyUser(ctx, u, NoticeInvite, inv.URL)
	return inv, nil
}

// RevokeInvite makes every unclaimed invite link of a user stop working.
func (s *Service) RevokeInvite(ctx context.Context, a Actor, userName string) error {
	ctx, u, err := s.findUser(ctx, userName)
	if err != nil {
		return err
	}
	n, err := s.cfg.Store.RevokeInvites(ctx, u.ID, s.cfg.Now())
	if err != nil {
		return err
	}
	if n == 0 {
		return portal.E(portal.ECONFLICT, "err.revoke.none", u.UserName)
	}
	s.auditUser(ctx, a, "invite.revoke", u, portal.T("audit.invite.revoke"))
	return nil
}

// ResetMFA is the lost-device procedure: the helpdesk has verified the
// person (how goes into the audit log with the reason), the user's MFA
// devices are deactivated and deleted — a device already removed in the
// console is fine — and a fresh enrollment window opens with a new invite.
func (s *Service) ResetMFA(ctx context.Context, a Actor, userName, reason, verifiedBy string) (*NewInvite, error) {
	reason, verifiedBy = strings.TrimSpace(reason), strings.TrimSpace(verifiedBy)
	switch {
	case reason == "":
		return nil, portal.FieldE("reason", "err.mfareset.reason")
	case verifiedBy == "":
		return nil, portal.FieldE("verified_by", "err.mfareset.verified")
	}
	ctx, u, err := s.findUser(ctx, userName)
	if err != nil {
		return nil, err
	}
	if u.State == portal.StateOffboarded || u.State == portal.StateProvisioning {
		return nil, portal.E(portal.ECONFLICT, "err.mfareset.state", u.UserName, portal.StateText(u.State))
	}
	if _, err := s.ensureOurs(ctx, a, u, "reset MFA"); err != nil {
		return nil, err
	}
	removed, err := s.iam(ctx).RemoveMFADevices(ctx, u.UserName)
	s.forgetDevices(ctx, removed...)
	if err != nil {
		return nil, err
	}
	// The devices are gone from IAM: record it whatever happens to the
	// request.
	rctx, cancel := lasting(ctx)
	defer cancel()
	now := s.cfg.Now()
	st, none := portal.StateInvited, ""
	if err := s.cfg.Store.UpdateUser(rctx, u.ID, store.UserUpdate{State: &st, MFASerial: &none}, now); err != nil {
		return nil, err
	}
	if err := s.cfg.Store.SetDeadline(rctx, u.ID, now.Add(s.cfg.DefaultDeadline), now); err != nil {
		return nil, err
	}
	u.State, u.MFASerial, u.Deadline = st, "", now.Add(s.cfg.DefaultDeadline)
	token, until, err := s.issueInvite(rctx, u)
	if err != nil {
		return nil, err
	}
	detail := portal.T("audit.mfa.reset", strings.Join(removed, ", "), reason, verifiedBy)
	if len(removed) == 0 {
		detail = portal.T("audit.mfa.reset.none", reason, verifiedBy)
	}
	s.auditUser(ctx, a, "mfa.reset", u, detail)
	inv := &NewInvite{User: u, Token: token, URL: s.cfg.Links.Invite(token), Until: until}
	inv.EmailQueued = s.notifyUser(ctx, u, NoticeMFAReset, inv.URL)
	return inv, nil
}

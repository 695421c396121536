package onboarding

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse/portal"
)

// Disable takes a managed user's access away without deleting anything
// that cannot be given back: unclaimed invites are revoked, the console
// password is removed and every active access key is deactivated. MFA
// devices stay, so a re-enabled person needs no new device. It returns the
// IDs of the keys it deactivated (Enable turns back on exactly those). The
// audit entry names who asked: idp is the identity provider (the SCIM
// token's name). A failure half-way is audited and returned; running it
// again continues.
func (s *Service) Disable(ctx context.Context, a Actor, userName, idp string) ([]string, error) {
	ctx, u, err := s.findUser(ctx, userName)
	if err != nil {
		return nil, err
	}
	if u.State == portal.StateOffboarded {
		return nil, portal.E(portal.ECONFLICT, "err.offboard.done", u.UserName)
	}
	if _, err := s.ensureOurs(ctx, a, u, "disable"); err != nil {
		return nil, err
	}
	fail := func(err error) ([]string, error) {
		s.auditUser(ctx, a, "user.disable.failed", u, portal.T("audit.user.disable.failed", idp, portal.ErrorTextOf(err)))
		return nil, err
	}
	if _, err := s.cfg.Store.RevokeInvites(ctx, u.ID, s.cfg.Now()); err != nil {
		return fail(err)
	}
	password := portal.T("audit.user.disable.nopassword")
	if err := s.iam(ctx).DeleteLoginProfile(ctx, u.UserName); err == nil {
		password = portal.T("audit.user.disable.password")
	} else if portal.ErrorCode(err) != portal.ENOTFOUND {
		return fail(err)
	}
	keys, err := s.iam(ctx).ListAccessKeys(ctx, u.UserName)
	if err != nil {
		return fail(err)
	}
	var off []string
	for _, k := range keys {
		if !k.Active {
			continue
		}
		if err := s.iam(ctx).DeactivateAccessKey(ctx, u.UserName, k.ID); err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
			return fail(err)
		}
		off = append(off, k.ID)
	}
	keyText := portal.T("audit.user.disable.nokeys")
	if len(off) > 0 {
		keyText = portal.T("audit.user.disable.keys", strings.Join(off, ", "))
	}
	s.auditUser(ctx, a, "user.disable", u, portal.T("audit.user.disable", idp, password, keyText))
	return off, nil
}

// Enable gives a disabled user access back: the access keys Disable
// deactivated (keys) are active again, and a new invite lets the person set
// a new console password (their MFA device was kept). The invite is
// e-mailed when e-mail is configured; otherwise operators see it on the
// user page as after any onboarding. A user still pending gets a fresh
// enrollment window.
func (s *Service) Enable(ctx context.Context, a Actor, userName, idp string, keys []string) (*NewInvite, error) {
	ctx, u, err := s.findUser(ctx, userName)
	if err != nil {
		return nil, err
	}
	switch u.State {
	case portal.StateOffboarded, portal.StateProvisioning:
		return nil, portal.E(portal.ECONFLICT, "err.enable.state", u.UserName, portal.StateText(u.State))
	}
	if _, err := s.ensureOurs(ctx, a, u, "enable"); err != nil {
		return nil, err
	}
	var on []string
	for _, id := range keys {
		err := s.iam(ctx).ActivateAccessKey(ctx, u.UserName, id)
		switch {
		case err == nil:
			on = append(on, id)
		case portal.ErrorCode(err) == portal.ENOTFOUND: // deleted meanwhile
		default:
			s.auditUser(ctx, a, "user.enable.failed", u, portal.T("audit.user.enable.failed", idp, portal.ErrorTextOf(err)))
			return nil, err
		}
	}
	rctx, cancel := lasting(ctx)
	defer cancel()
	now := s.cfg.Now()
	if u.State != portal.StateEnrolled {
		if err := s.cfg.Store.SetDeadline(rctx, u.ID, now.Add(s.cfg.DefaultDeadline), now); err != nil {
			return nil, err
		}
		u.Deadline = now.Add(s.cfg.DefaultDeadline)
	}
	token, until, err := s.issueInvite(rctx, u)
	if err != nil {
		return nil, err
	}
	keyText := portal.T("audit.user.disable.nokeys")
	if len(on) > 0 {
		keyText = portal.T("audit.user.enable.keys", strings.Join(on, ", "))
	}
	s.auditUser(ctx, a, "user.enable", u, portal.T("audit.user.enable", idp, keyText, until.UTC().Format("2006-01-02 15:04 MST")))
	inv := &NewInvite{User: u, Token: token, URL: s.cfg.Links.Invite(token), Until: until}
	inv.EmailQueued = s.notifyUser(ctx, u, NoticeInvite, inv.URL)
	return inv, nil
}

// Now returns the time on the service's clock.
func (s *Service) Now() time.Time { return s.cfg.Now() }

// Audit records an event about the managed user u, in u's account, on
// behalf of a workflow outside this package (SCIM provisioning).
func (s *Service) Audit(ctx context.Context, a Actor, action string, u *portal.User, detail portal.Text) {
	s.auditUser(ctx, a, action, u, detail)
}

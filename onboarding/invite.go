package onboarding

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"math/big"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
)

// The invite claim, and why it survives a crash.
//
// Claiming is two steps that cannot share a transaction: the claim in the
// database (the invite is used, a setup session opens) and the console
// password in IAM. The portal may stop between them, and the person's
// browser may never receive the answer. So the setup session's ID is
// chosen by the browser before the claim (the landing page gives it a
// random claim cookie): a browser whose claim was committed holds its
// session even if the answer was lost, and opening the link again there
// continues the setup, finishing the password step if it never happened
// (Invite.CredentialsAt). The link stays single-use for everyone else;
// a claim that never completed is listed for the helpdesk
// (portal.UserFilter.ClaimInterrupted), who send a new link.

// Setup steps of a claim session, in order: where the person continues.
const (
	SetupPassword = "password" // the console password is not set, not shown, or not confirmed saved
	SetupMFA      = "mfa"      // MFA is next (in the portal or in the AWS console)
	SetupDone     = "done"     // an MFA device is active
)

// NextStep returns where the setup of cs stands for u.
func NextStep(cs *portal.ClaimSession, u *portal.User) string {
	switch {
	case u.State == portal.StateEnrolled:
		return SetupDone
	case cs.PasswordAt.IsZero() || cs.SavedAt.IsZero():
		return SetupPassword
	}
	return SetupMFA
}

// Invitation is what an invite link shows.
type Invitation struct {
	Invite *portal.Invite
	User   *portal.User
	// Session is the live setup session this browser opened with this link,
	// or nil: the link was not used here.
	Session *portal.ClaimSession
}

// LookupInvite returns the invite behind token as the browser holding
// claimToken (its claim cookie, "" for none) sees it: claimable, or used in
// this browser with its setup session still open. Any other state is an
// error that says what to do next.
func (s *Service) LookupInvite(ctx context.Context, token, claimToken string) (*Invitation, error) {
	inv, u, err := s.cfg.Store.FindInviteByHash(ctx, portal.HashToken(token))
	if err != nil {
		return nil, err
	}
	if wellFormed(claimToken) {
		cs, err := s.cfg.Store.FindClaimSession(ctx, portal.HashToken(claimToken), s.cfg.Now())
		switch {
		case err == nil && cs.InviteID == inv.ID:
			return &Invitation{Invite: inv, User: u, Session: cs}, nil
		case err != nil && portal.ErrorCode(err) != portal.ENOTFOUND:
			return nil, err
		}
	}
	if err := inv.Claimable(s.cfg.Now()); err != nil {
		if !inv.ClaimedAt.IsZero() && inv.RevokedAt.IsZero() {
			return nil, portal.E(portal.EGONE, "err.invite.used.elsewhere")
		}
		return nil, err
	}
	return &Invitation{Invite: inv, User: u}, nil
}

// wellFormed reports whether t looks like a token of portal.NewToken: a
// claim cookie the browser did not get from us is never a session ID.
func wellFormed(t string) bool {
	b, err := base64.RawURLEncoding.DecodeString(t)
	return err == nil && len(b) == 32
}

// Credentials are the console credentials shown to the user once. The
// password is generated here, sent to IAM and shown; it is never stored or
// logged.
type Credentials struct {
	UserName  string
	Password  string
	SigninURL string
	Account   string
}

// Claim is the outcome of using an invite link.
type Claim struct {
	// SessionToken is the setup session's ID, the claim cookie's value.
	SessionToken string
	Session      *portal.ClaimSession
	User         *portal.User
	// Credentials are set when this request set the console password; nil
	// when the link was used in this browser before and the setup
	// continues where it stands.
	Credentials *Credentials
}

// ClaimInvite uses the invite behind token in the browser holding
// claimToken: it claims the invite (atomically, so two clicks cannot both
// win), opens the setup session under claimToken and sets the console
// password. A link used in this browser before continues that setup, and
// sets the password if the earlier claim stopped before it.
func (s *Service) ClaimInvite(ctx context.Context, token, claimToken, requestID string) (*Claim, error) {
	inv, err := s.LookupInvite(ctx, token, claimToken)
	if err != nil {
		return nil, err
	}
	u := inv.User
	if cs := inv.Session; cs != nil {
		c := &Claim{SessionToken: claimToken, Session: cs, User: u}
		if cs.PasswordAt.IsZero() {
			if c.Credentials, err = s.IssuePassword(ctx, cs, u, requestID); err != nil {
				return nil, err
			}
		}
		return c, nil
	}
	if !wellFormed(claimToken) {
		claimToken, _ = portal.NewToken()
	}
	now := s.cfg.Now()
	cs := &portal.ClaimSession{IDHash: portal.HashToken(claimToken), UserID: u.ID, InviteID: inv.Invite.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.ClaimTTL)}
	if err := s.cfg.Store.ClaimInvite(ctx, inv.Invite, cs); err != nil {
		return nil, err
	}
	s.auditUser(ctx, invitee(u, requestID), "invite.claim", u, portal.T("audit.invite.claim"))
	creds, err := s.IssuePassword(ctx, cs, u, requestID)
	if err != nil {
		// Give the link back: nothing was handed out yet.
		if rerr := s.cfg.Store.ReleaseClaim(ctx, inv.Invite, cs.IDHash); rerr != nil {
			s.log.ErrorContext(ctx, "release claim", "user", u.UserName, "err", rerr)
		}
		return nil, err
	}
	return &Claim{SessionToken: claimToken, Session: cs, User: u, Credentials: creds}, nil
}

// IssuePassword sets a fresh console password for the claim session's user
// and returns it, to be shown once: the first password of the claim, or a
// new one for the same claim when the person lost the one shown
// (UpdateLoginProfile). The person confirms saving it before going on.
func (s *Service) IssuePassword(ctx context.Context, cs *portal.ClaimSession, u *portal.User, requestID string) (*Credentials, error) {
	ctx, err := s.scope(ctx, u.AccountID)
	if err != nil {
		return nil, err
	}
	password, err := s.setPassword(ctx, invitee(u, requestID), u)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	if err := s.cfg.Store.RecordPassword(ctx, cs, now); err != nil {
		return nil, err
	}
	detail := portal.T("audit.invite.password")
	if !cs.PasswordAt.IsZero() {
		detail = portal.T("audit.invite.password.again")
	} else {
		cs.PasswordAt = now
	}
	cs.SavedAt = time.Time{}
	if u.State == portal.StateInvited || u.State == portal.StateProvisioning {
		u.State = portal.StateClaimed
	}
	s.auditUser(ctx, invitee(u, requestID), "invite.password", u, detail)
	return &Credentials{UserName: u.UserName, Password: password, SigninURL: s.SigninURL(ctx), Account: s.account(ctx)}, nil
}

// ConfirmPasswordSaved records that the person saved the console password
// shown last; the MFA step needs it.
func (s *Service) ConfirmPasswordSaved(ctx context.Context, cs *portal.ClaimSession) error {
	if cs.PasswordAt.IsZero() {
		return portal.E(portal.ECONFLICT, "err.invite.nopassword")
	}
	now := s.cfg.Now()
	if err := s.cfg.Store.SetPasswordSaved(ctx, cs.IDHash, now); err != nil {
		return err
	}
	cs.SavedAt = now
	return nil
}

// setPassword generates a console password meeting the account policy and
// sets it: CreateLoginProfile, or UpdateLoginProfile when the user has one
// already (a new invite after a lost password, or a password set before a
// crash). The password is reset-required only if the admin chose and
// confirmed that option. A password is never set on an IAM user that is
// not ours any more (ensureOurs).
func (s *Service) setPassword(ctx context.Context, a Actor, u *portal.User) (string, error) {
	if _, err := s.ensureOurs(ctx, a, u, "set a console password"); err != nil {
		return "", err
	}
	pol, err := s.iam(ctx).PasswordPolicy(ctx)
	if err != nil {
		return "", err
	}
	password := GeneratePassword(pol)
	err = s.iam(ctx).CreateLoginProfileReset(ctx, u.UserName, password, u.PasswordResetRequired)
	if portal.ErrorReason(err) == awsiam.CodeEntityAlreadyExists {
		err = s.iam(ctx).UpdateLoginProfileReset(ctx, u.UserName, password, u.PasswordResetRequired)
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

// Character classes of generated passwords. Look-alike characters (0/O,
// 1/l/I) are left out because people type these passwords from a screen.
const (
	upper   = "ABCDEFGHJKLMNPQRSTUVWXYZ"
	lower   = "abcdefghijkmnopqrstuvwxyz"
	digits  = "23456789"
	symbols = "!@#$%^&*()_+-=[]{}|"
)

// GeneratePassword returns a random password that meets policy: at least
// 20 characters (or the policy's minimum if longer) with every character
// class, so it also meets IAM's default "3 of 4 classes" rule.
func GeneratePassword(policy awsiam.PasswordPolicy) string {
	n := max(20, policy.MinLength)
	all := upper + lower + digits + symbols
	out := []byte{pick(upper), pick(lower), pick(digits), pick(symbols)}
	for len(out) < n {
		out = append(out, pick(all))
	}
	// Shuffle so the class-guaranteeing characters are not always first.
	for i := len(out) - 1; i > 0; i-- {
		j := randInt(i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func pick(set string) byte { return set[randInt(len(set))] }

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return int(v.Int64())
}

// meetsPolicy reports whether p satisfies policy (used by tests and as a
// guard before calling IAM).
func meetsPolicy(p string, policy awsiam.PasswordPolicy) bool {
	return len(p) >= policy.MinLength &&
		(!policy.RequireUpper || strings.ContainsAny(p, upper)) &&
		(!policy.RequireLower || strings.ContainsAny(p, lower)) &&
		(!policy.RequireDigit || strings.ContainsAny(p, digits)) &&
		(!policy.RequireSymbol || strings.ContainsAny(p, symbols))
}

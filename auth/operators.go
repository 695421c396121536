package auth

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// LinkTTL is how long an operator invite or TOTP reset link stays valid.
const LinkTTL = 72 * time.Hour

// InviteOperator issues a one-time link with which a new operator named
// username chooses a password and enrolls an authenticator, exactly as the
// first admin did. It returns the link and the name in its stored form.
func (s *Service) InviteOperator(ctx context.Context, c Caller, username string, role portal.Role) (link, name string, err error) {
	if username, err = NormalizeOperatorName(username); err != nil {
		return "", "", err
	}
	if !role.Valid() {
		return "", "", portal.FieldE("role", "err.operator.role")
	}
	if _, err := s.cfg.Store.FindOperatorByUsername(ctx, username); err == nil {
		return "", "", portal.FieldE("username", "err.operator.exists", username)
	} else if portal.ErrorCode(err) != portal.ENOTFOUND {
		return "", "", err
	}
	token, hash := portal.NewToken()
	now := s.cfg.Now()
	t := &store.SetupToken{TokenHash: hash, Purpose: store.PurposeInvite, Role: role, Username: username, CreatedBy: c.actor(),
		CreatedAt: now, ExpiresAt: now.Add(LinkTTL)}
	if err := s.cfg.Store.CreateSetupToken(ctx, t); err != nil {
		return "", "", err
	}
	s.audit(ctx, c, "operator.invite", portal.TargetOperator, username, portal.T("audit.operator.invite", portal.RoleText(role)))
	return s.cfg.Links.Join(token), username, nil
}

// PendingInvites returns the operator invites that can still be used.
func (s *Service) PendingInvites(ctx context.Context) ([]store.SetupToken, error) {
	return s.cfg.Store.FindPendingOperatorInvites(ctx, s.cfg.Now())
}

// RevokeOperatorInvite ends the pending invites for username: their links
// no longer work.
func (s *Service) RevokeOperatorInvite(ctx context.Context, c Caller, username string) error {
	if err := s.cfg.Store.RevokeOperatorInvites(ctx, username, s.cfg.Now()); err != nil {
		return err
	}
	s.audit(ctx, c, "operator.invite.revoke", portal.TargetOperator, username, portal.T("audit.operator.invite.revoke"))
	return nil
}

// JoinLink is what the page of an invite or reset link shows.
type JoinLink struct {
	Enrollment *Enrollment
	Purpose    string // store.PurposeInvite or store.PurposeReset
	Username   string
	Role       portal.Role
}

// JoinEnrollment returns the enrollment for an operator invite or TOTP
// reset link.
func (s *Service) JoinEnrollment(ctx context.Context, token string) (*JoinLink, error) {
	e, t, err := s.enrollment(ctx, token, store.PurposeInvite, store.PurposeReset)
	if err != nil {
		return nil, err
	}
	j := &JoinLink{Enrollment: e, Purpose: t.Purpose, Username: t.Username, Role: t.Role}
	return j, nil
}

// CompleteJoin finishes an invite (creating the operator with the chosen
// password) or a reset (checking the operator's existing password and
// storing the new authenticator), then opens a session.
func (s *Service) CompleteJoin(ctx context.Context, c Caller, token, password, code string) (*Joined, error) {
	t, err := s.validSetupToken(ctx, token, store.PurposeInvite, store.PurposeReset)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	var op *portal.Operator
	switch t.Purpose {
	case store.PurposeInvite:
		if op, err = s.newOperator(ctx, t, t.Username, password, code, t.Role); err != nil {
			return nil, err
		}
		if err := s.cfg.Store.CreateInvitedOperator(ctx, t.TokenHash, op); err != nil {
			return nil, err
		}
	default:
		if op, err = s.cfg.Store.FindOperatorByID(ctx, t.OperatorID); err != nil {
			return nil, err
		}
		// One attempt against the link covers the password and the code.
		if err := s.attempt(ctx, linkSubject(t)); err != nil {
			return nil, err
		}
		if ok, err := s.hash.compare(ctx, password, op.PasswordHash); err != nil || !ok {
			return nil, portal.FieldE("password", "err.password.current")
		}
		step, err := s.matchLinkCode(t, code)
		if err != nil {
			return nil, err
		}
		if err := s.cfg.Store.CompleteTOTPReset(ctx, t.TokenHash, op.ID, t.TOTPSecretEnc, step, now); err != nil {
			return nil, err
		}
	}
	if !op.DisabledAt.IsZero() {
		return nil, portal.E(portal.EFORBIDDEN, "err.operator.disabled")
	}
	c.Operator = op
	s.audit(ctx, c, "operator.join", portal.TargetOperator, op.Username, portal.T("audit.operator.join"))
	// An invited operator gets recovery codes with their first
	// authenticator; after a reset the codes they have stay valid.
	return s.joined(ctx, c, op, t.Purpose == store.PurposeInvite)
}

// ChangeRole gives an operator another role. Every session of theirs ends;
// ECONFLICT if that would leave no active admin.
func (s *Service) ChangeRole(ctx context.Context, c Caller, target *portal.Operator, role portal.Role) error {
	if !role.Valid() {
		return portal.FieldE("role", "err.operator.role")
	}
	if err := s.cfg.Store.UpdateOperator(ctx, target.ID, store.OperatorUpdate{Role: &role}); err != nil {
		return err
	}
	s.audit(ctx, c, "operator.role", portal.TargetOperator, target.Username, portal.T("audit.operator.role", portal.RoleText(target.Role), portal.RoleText(role)))
	return nil
}

// SetDisabled disables (ending every session) or enables an operator;
// ECONFLICT if disabling would leave no active admin, or when operators
// would disable themselves: another admin does that, as the operators page
// says, so nobody locks themselves out by a slip.
func (s *Service) SetDisabled(ctx context.Context, c Caller, target *portal.Operator, disabled bool) error {
	if disabled && c.Operator != nil && c.Operator.ID == target.ID {
		return portal.E(portal.ECONFLICT, "err.operator.disable.self")
	}
	at := time.Time{}
	action, text := "operator.enable", portal.T("audit.operator.enable")
	if disabled {
		at = s.cfg.Now()
		action, text = "operator.disable", portal.T("audit.operator.disable")
	}
	if err := s.cfg.Store.UpdateOperator(ctx, target.ID, store.OperatorUpdate{DisabledAt: &at}); err != nil {
		return err
	}
	s.audit(ctx, c, action, portal.TargetOperator, target.Username, text)
	return nil
}

// ResetTOTP revokes another operator's authenticator (for a lost phone)
// and returns the one-time link with which they enroll a new one, proving
// their password. The reason is required: it goes to the audit log.
func (s *Service) ResetTOTP(ctx context.Context, c Caller, id int64, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", portal.FieldE("reason", "err.totpreset.reason")
	}
	if c.Operator == nil || c.Operator.ID == id {
		return "", portal.E(portal.ECONFLICT, "err.totpreset.self")
	}
	op, err := s.cfg.Store.FindOperatorByID(ctx, id)
	if err != nil {
		return "", err
	}
	return s.resetTOTP(ctx, c, op, reason)
}

// BreakGlassResetTOTP is ResetTOTP for the server's console ("portal
// operator reset-totp NAME"): for the operator who cannot sign in at all,
// such as a lone admin without their phone or recovery codes. Whoever can
// run it on the server holds the database already; the event is audited
// with actor c.Console (no operator is signed in).
func (s *Service) BreakGlassResetTOTP(ctx context.Context, c Caller, username string) (string, error) {
	op, err := s.cfg.Store.FindOperatorByUsername(ctx, username)
	if err != nil {
		return "", err
	}
	return s.resetTOTP(ctx, c, op, portal.T("audit.operator.totp.console"))
}

// resetTOTP resets op's authenticator; reason (what was typed, or a Text)
// goes to the audit log.
func (s *Service) resetTOTP(ctx context.Context, c Caller, op *portal.Operator, reason any) (string, error) {
	token, hash := portal.NewToken()
	now := s.cfg.Now()
	t := &store.SetupToken{TokenHash: hash, OperatorID: op.ID, Username: op.Username, Role: op.Role, CreatedBy: c.actor(),
		CreatedAt: now, ExpiresAt: now.Add(LinkTTL)}
	n, err := s.cfg.Store.StartTOTPReset(ctx, t)
	if err != nil {
		return "", err
	}
	s.audit(ctx, c, "operator.totp.reset", portal.TargetOperator, op.Username, portal.T("audit.operator.totp.reset", reason))
	s.auditTokensRevoked(ctx, c, op.Username, n)
	return s.cfg.Links.Join(token), nil
}

// NewSession opens a fresh session for an operator: after a change of
// their own privileges, the old session ID is not reused.
func (s *Service) NewSession(ctx context.Context, operatorID int64) (string, error) {
	return s.openSession(ctx, operatorID)
}

// SignOutEverywhere ends every session of c.Operator and revokes every
// API token of theirs: a token minted from a stolen session must not
// outlive the sign-out that ends it.
func (s *Service) SignOutEverywhere(ctx context.Context, c Caller) error {
	n, err := s.cfg.Store.EndOperatorAccess(ctx, c.Operator.ID, s.cfg.Now())
	if err != nil {
		return err
	}
	s.audit(ctx, c, "operator.signout.everywhere", portal.TargetOperator, c.Operator.Username, portal.T("audit.signout.everywhere"))
	s.auditTokensRevoked(ctx, c, c.Operator.Username, n)
	return nil
}

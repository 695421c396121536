// Package auth signs operators in to Gatehouse itself: the one-time
// first-admin setup, password (argon2id) plus TOTP sign-in with single-use
// codes, and database-backed sessions with idle and absolute timeouts.
package auth

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"
	"golang.org/x/text/unicode/norm"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/audit"
	"github.com/gatehouse/portal/store"
)

// Config holds the Service's dependencies and settings.
type Config struct {
	Store  *store.Store
	Box    *Box
	Logger *slog.Logger
	Now    func() time.Time
	// Issuer names Gatehouse in authenticator apps.
	Issuer string
	// IdleTimeout ends a session after this long without a request.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends a session this long after sign-in, whatever
	// happens.
	AbsoluteTimeout time.Duration
	// Links builds the one-time links of operator invites and
	// authenticator resets.
	Links portal.Links
	// HashSlots is how many argon2id hashes may run at once (each holds
	// 19 MiB); 0 means the CPU count, at most 4.
	HashSlots int
}

// Service authenticates operators.
type Service struct {
	cfg   Config
	log   *slog.Logger
	dummy string // a hash to compare against for unknown user names
	hash  *hashGate
	// auditLog records what auth does (audit.go).
	auditLog *audit.Log
}

// New checks cfg and returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Box == nil {
		return nil, errors.New("auth: Store and Box are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "Gatehouse"
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 30 * time.Minute
	}
	if cfg.AbsoluteTimeout == 0 {
		cfg.AbsoluteTimeout = 12 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	dummy, err := argon2id.CreateHash("not a password anyone has", hashParams)
	if err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, log: cfg.Logger, dummy: dummy, hash: newHashGate(cfg.HashSlots),
		auditLog: audit.New(cfg.Store, cfg.Logger, cfg.Now)}, nil
}

// errSignIn is deliberately the same for every wrong part, so that a guess
// does not learn which part was right.
var errSignIn = portal.E(portal.EUNAUTHORIZED, "err.signin.failed")

// Links returns the builder of the portal's links.
func (s *Service) Links() portal.Links { return s.cfg.Links }

// SignIn checks username, password and TOTP code and opens a session. It
// returns the session cookie value. Each attempt is recorded against the
// operator name before anything is checked; past portal.GuessLimit the name
// is locked (ETOOMANY) until the window passes, whether or not it exists,
// so the lock reveals nothing. Every outcome is audited with the client's
// address, and a failure is logged with it too.
func (s *Service) SignIn(ctx context.Context, c Caller, username, password, code string) (string, *portal.Operator, error) {
	// The stored form of names (NormalizeOperatorName): "ａｄｍｉｎ" is admin.
	username = strings.TrimSpace(norm.NFKC.String(username))
	subject := "operator:" + portal.UserNameKey(username)
	err := s.attempt(ctx, subject)
	var op *portal.Operator
	recoveryLeft := -1
	if err == nil {
		op, recoveryLeft, err = s.signIn(ctx, username, password, code)
	}
	if err != nil {
		s.log.WarnContext(ctx, "operator sign-in failed", "username", username, "client_ip", c.IP, "code", portal.ErrorCode(err), "request_id", c.RequestID)
		s.audit(ctx, c, "operator.signin.fail", portal.TargetOperator, shownName(username), portal.T("audit.signin.failed.from", portal.ErrorCode(err), c.IP))
		return "", nil, err
	}
	s.succeeded(ctx, subject)
	s.upgradeHash(ctx, op, password)
	token, err := s.openSession(ctx, op.ID)
	if err != nil {
		return "", nil, err
	}
	c.Operator = op
	s.audit(ctx, c, "operator.signin", portal.TargetOperator, op.Username, portal.T("audit.signin.from", c.IP))
	if recoveryLeft >= 0 {
		s.log.WarnContext(ctx, "operator signed in with a recovery code", "username", op.Username, "client_ip", c.IP, "left", recoveryLeft, "request_id", c.RequestID)
		s.audit(ctx, c, "operator.recovery.use", portal.TargetOperator, op.Username, portal.T("audit.recovery.used", recoveryLeft))
	}
	return token, op, nil
}

// signIn checks the password and then the code: a TOTP code (six digits)
// or one of the operator's recovery codes. recoveryLeft is how many
// recovery codes are left after one was used, or -1.
func (s *Service) signIn(ctx context.Context, username, password, code string) (op *portal.Operator, recoveryLeft int, err error) {
	op, err = s.cfg.Store.FindOperatorByUsername(ctx, username)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		// The same cost as a real check, so timing does not tell which
		// names exist; the gate bounds its memory like any other hash.
		if _, err := s.hash.compare(ctx, password, s.dummy); err != nil {
			return nil, -1, err
		}
		return nil, -1, errSignIn
	} else if err != nil {
		return nil, -1, err
	}
	ok, err := s.hash.compare(ctx, password, op.PasswordHash)
	if err != nil || !ok || !op.DisabledAt.IsZero() {
		return nil, -1, errSignIn
	}
	if !isTOTPCode(code) {
		left, err := s.useRecoveryCode(ctx, op, code)
		if err != nil {
			return nil, -1, err
		}
		return op, left, nil
	}
	if err := s.checkCode(ctx, op, code); err != nil {
		return nil, -1, err
	}
	return op, -1, nil
}

// checkCode verifies a TOTP code and burns its step. An operator whose
// authenticator an admin reset has no secret: no code matches.
func (s *Service) checkCode(ctx context.Context, op *portal.Operator, code string) error {
	if len(op.TOTPSecretEnc) == 0 {
		return errSignIn
	}
	secret, err := s.cfg.Box.Open(op.TOTPSecretEnc)
	if err != nil {
		return portal.E(portal.EINTERNAL, "error.internal").WithReason("cannot decrypt TOTP secret: wrong PORTAL_SECRET_KEY?").Wrap(err)
	}
	step := matchStep(string(secret), strings.TrimSpace(code), s.cfg.Now())
	if step < 0 {
		return errSignIn
	}
	// A replayed code gets the same answer as a wrong one: saying "already
	// used" would confirm to a guesser that the password was right.
	if err := s.cfg.Store.UseTOTPStep(ctx, op.ID, step); portal.ErrorCode(err) == portal.ECONFLICT {
		return errSignIn
	} else if err != nil {
		return err
	}
	return nil
}

// openSession stores a new session and returns its cookie value. A new ID
// at every sign-in prevents session fixation.
func (s *Service) openSession(ctx context.Context, operatorID int64) (string, error) {
	token, hash := portal.NewToken()
	now := s.cfg.Now()
	sess := &portal.Session{IDHash: hash, OperatorID: operatorID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.AbsoluteTimeout)}
	if err := s.cfg.Store.CreateSession(ctx, sess); err != nil {
		return "", err
	}
	return token, nil
}

// Authenticate returns the operator behind a session cookie value, ending
// sessions that are idle too long or past their absolute lifetime.
func (s *Service) Authenticate(ctx context.Context, token string) (*portal.Operator, error) {
	if token == "" {
		return nil, portal.E(portal.EUNAUTHORIZED, "err.signin.required")
	}
	hash := portal.HashToken(token)
	sess, err := s.cfg.Store.FindSession(ctx, hash)
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			return nil, portal.E(portal.EUNAUTHORIZED, "err.session.ended")
		}
		return nil, err
	}
	now := s.cfg.Now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.cfg.IdleTimeout {
		if err := s.cfg.Store.DeleteSession(ctx, hash); err != nil {
			s.log.ErrorContext(ctx, "delete expired session", "err", err)
		}
		return nil, portal.E(portal.EUNAUTHORIZED, "err.session.timeout")
	}
	op, err := s.cfg.Store.FindOperatorByID(ctx, sess.OperatorID)
	if err != nil {
		return nil, err
	}
	if !op.DisabledAt.IsZero() {
		return nil, portal.E(portal.EUNAUTHORIZED, "err.operator.disabled")
	}
	// Refresh last-seen at most once a minute to keep writes low.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.cfg.Store.TouchSession(ctx, hash, now); err != nil {
			s.log.WarnContext(ctx, "touch session", "err", err)
		}
	}
	return op, nil
}

// SignOut ends the session behind token, the one c.Operator signs out of.
func (s *Service) SignOut(ctx context.Context, c Caller, token string) error {
	if err := s.EndSession(ctx, token); err != nil {
		return err
	}
	if c.Operator != nil {
		s.audit(ctx, c, "operator.signout", portal.TargetOperator, c.Operator.Username, portal.T("audit.signout"))
	}
	return nil
}

// EndSession ends the session behind token without a word in the audit
// log: a session a browser presents at sign-in, replaced by the new one.
func (s *Service) EndSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.cfg.Store.DeleteSession(ctx, portal.HashToken(token))
}

// shownName is a name someone typed, as the audit log may show it: as it
// is when it is printable and short, else quoted in ASCII (so a control or
// bidi character shows as an escape, not as an effect).
func shownName(name string) string {
	if portal.Printable(name) && len(name) <= 64 {
		return name
	}
	if len(name) > 64 {
		name = name[:64]
	}
	return strconv.QuoteToASCII(name)
}

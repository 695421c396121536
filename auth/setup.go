package auth

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// SetupLink returns a new one-time token for creating the first admin, or
// "" when operators exist already (then there is nothing to set up).
func (s *Service) SetupLink(ctx context.Context) (string, error) {
	n, err := s.cfg.Store.CountOperators(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	token, hash := portal.NewToken()
	if err := s.cfg.Store.CreateSetupToken(ctx, &store.SetupToken{TokenHash: hash, CreatedAt: s.cfg.Now()}); err != nil {
		return "", err
	}
	return token, nil
}

// SetupEnrollment returns the TOTP secret to show on the setup page for
// token. The same secret comes back on a reload (it is kept encrypted with
// the setup token) so a person who scanned it once does not scan again.
func (s *Service) SetupEnrollment(ctx context.Context, token string) (*Enrollment, error) {
	e, _, err := s.enrollment(ctx, token, store.PurposeSetup)
	return e, err
}

// enrollment is the TOTP enrollment every one-time link shares (first
// admin, operator invite, TOTP reset): a secret generated once per link,
// kept encrypted with it, shown again on reload.
func (s *Service) enrollment(ctx context.Context, token string, purposes ...string) (*Enrollment, *store.SetupToken, error) {
	t, err := s.validSetupToken(ctx, token, purposes...)
	if err != nil {
		return nil, nil, err
	}
	account := t.Username
	if t.Purpose == store.PurposeSetup {
		account = "admin"
	}
	if len(t.TOTPSecretEnc) > 0 {
		if secret, err := s.cfg.Box.Open(t.TOTPSecretEnc); err == nil {
			e, err := enrollmentFrom(s.cfg.Issuer, account, string(secret))
			return e, t, err
		}
	}
	e, err := newEnrollment(s.cfg.Issuer, account)
	if err != nil {
		return nil, nil, err
	}
	t.TOTPSecretEnc = s.cfg.Box.Seal([]byte(e.Secret))
	if err := s.cfg.Store.SetSetupSecret(ctx, t.TokenHash, t.TOTPSecretEnc); err != nil {
		return nil, nil, err
	}
	return e, t, nil
}

// validSetupToken returns the unused, unexpired link behind token if its
// purpose is one of purposes. A first-admin link is dead once any operator
// exists.
func (s *Service) validSetupToken(ctx context.Context, token string, purposes ...string) (*store.SetupToken, error) {
	t, err := s.cfg.Store.FindSetupToken(ctx, portal.HashToken(token))
	if err != nil {
		return nil, err
	}
	if !slices.Contains(purposes, t.Purpose) {
		return nil, portal.E(portal.ENOTFOUND, "err.setup.invalid")
	}
	if t.Purpose == store.PurposeSetup {
		n, err := s.cfg.Store.CountOperators(ctx)
		if err != nil {
			return nil, err
		}
		if !t.UsedAt.IsZero() || n > 0 {
			return nil, portal.E(portal.EGONE, "err.setup.done")
		}
		return t, nil
	}
	if !t.UsedAt.IsZero() {
		return nil, portal.E(portal.EGONE, "err.setup.used")
	}
	if !t.ExpiresAt.IsZero() && s.cfg.Now().After(t.ExpiresAt) {
		return nil, portal.E(portal.EGONE, "err.setup.expired")
	}
	return t, nil
}

// linkSubject is what attempts at a one-time link's secrets count
// against: the link itself.
func linkSubject(t *store.SetupToken) string { return "enroll:" + t.TokenHash }

// matchLinkCode checks the first code from a new authenticator against the
// link's pending secret and returns its step. The caller has taken an
// attempt against the link.
func (s *Service) matchLinkCode(t *store.SetupToken, code string) (int64, error) {
	if len(t.TOTPSecretEnc) == 0 {
		return 0, portal.E(portal.ECONFLICT, "err.setup.reopen")
	}
	secret, err := s.cfg.Box.Open(t.TOTPSecretEnc)
	if err != nil {
		return 0, portal.E(portal.EINTERNAL, "error.internal").WithReason("cannot decrypt setup secret").Wrap(err)
	}
	step := matchStep(string(secret), strings.TrimSpace(code), s.cfg.Now())
	if step < 0 {
		return 0, portal.FieldE("code", "err.totp.mismatch")
	}
	return step, nil
}

// Joined is a new operator, signed in: the session cookie value and the
// recovery codes to show once.
type Joined struct {
	Session       string
	Operator      *portal.Operator
	RecoveryCodes []string // nil after an authenticator reset (the codes stay)
}

// CompleteSetup creates the first admin from the setup form, gives them
// their recovery codes and signs them in. The TOTP code proves the
// authenticator app holds the secret.
func (s *Service) CompleteSetup(ctx context.Context, c Caller, token, username, password, code string) (*Joined, error) {
	t, err := s.validSetupToken(ctx, token, store.PurposeSetup)
	if err != nil {
		return nil, err
	}
	if username, err = NormalizeOperatorName(username); err != nil {
		return nil, err
	}
	op, err := s.newOperator(ctx, t, username, password, code, portal.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Store.CreateFirstAdmin(ctx, t.TokenHash, op); err != nil {
		return nil, err
	}
	c.Operator = op
	s.audit(ctx, c, "operator.setup", portal.TargetOperator, op.Username, portal.T("audit.operator.setup"))
	return s.joined(ctx, c, op, true)
}

// joined gives a new operator recovery codes (when codes) and a session.
func (s *Service) joined(ctx context.Context, c Caller, op *portal.Operator, codes bool) (*Joined, error) {
	j := &Joined{Operator: op}
	var err error
	if codes {
		if j.RecoveryCodes, err = s.issueRecoveryCodes(ctx, c, op, "operator.recovery.issue"); err != nil {
			return nil, err
		}
	}
	if j.Session, err = s.openSession(ctx, op.ID); err != nil {
		return nil, err
	}
	return j, nil
}

// NormalizeOperatorName returns an operator user name in the one form it
// is stored and compared in, or why it cannot be one. The name is put in
// Unicode NFKC form (full-width "ａｌｉｃｅ" is "alice") and may then hold
// only ASCII letters, digits and . _ @ + - (1 to 64 of them): look-alike
// letters from other scripts (Cyrillic "а" for Latin "a") and invisible or
// bidirectional control characters cannot make one operator pass for
// another in the audit log or the operator list.
func NormalizeOperatorName(name string) (string, error) {
	name = strings.TrimSpace(norm.NFKC.String(name))
	switch {
	case name == "":
		return "", portal.FieldE("username", "err.operator.username.empty")
	case len(name) > 64:
		return "", portal.FieldE("username", "err.operator.username.long")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("._@+-", c) >= 0) {
			return "", portal.FieldE("username", "err.operator.username.chars")
		}
	}
	return name, nil
}

// ValidatePassword checks an operator password: long rather than complex
// (NIST SP 800-63B), at least 12 characters.
func ValidatePassword(p string) error {
	switch n := utf8.RuneCountInString(p); {
	case n < 12:
		return portal.FieldE("password", "err.password.short")
	case n > 256:
		return portal.FieldE("password", "err.password.long")
	}
	return nil
}

// newOperator checks the chosen password and the first code from the new
// authenticator, and returns the operator to store: the same for the first
// admin and for invited operators.
func (s *Service) newOperator(ctx context.Context, t *store.SetupToken, username, password, code string, role portal.Role) (*portal.Operator, error) {
	if err := ValidatePassword(password); err != nil {
		return nil, err
	}
	if err := s.attempt(ctx, linkSubject(t)); err != nil {
		return nil, err
	}
	step, err := s.matchLinkCode(t, code)
	if err != nil {
		return nil, err
	}
	hash, err := s.hash.create(ctx, password)
	if err != nil {
		return nil, err
	}
	return &portal.Operator{Username: username, PasswordHash: hash, TOTPSecretEnc: t.TOTPSecretEnc, TOTPLastStep: step,
		Role: role, CreatedAt: s.cfg.Now()}, nil
}

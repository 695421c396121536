package auth

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"

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
	t, err := s.validSetupToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if len(t.TOTPSecretEnc) > 0 {
		if secret, err := s.cfg.Box.Open(t.TOTPSecretEnc); err == nil {
			return enrollmentFrom(s.cfg.Issuer, "admin", string(secret))
		}
	}
	e, err := newEnrollment(s.cfg.Issuer, "admin")
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Store.SetSetupSecret(ctx, t.TokenHash, s.cfg.Box.Seal([]byte(e.Secret))); err != nil {
		return nil, err
	}
	return e, nil
}

func (s *Service) validSetupToken(ctx context.Context, token string) (*store.SetupToken, error) {
	t, err := s.cfg.Store.FindSetupToken(ctx, portal.HashToken(token))
	if err != nil {
		return nil, err
	}
	n, err := s.cfg.Store.CountOperators(ctx)
	if err != nil {
		return nil, err
	}
	if !t.UsedAt.IsZero() || n > 0 {
		return nil, portal.Errorf(portal.EGONE, "This setup link was used already. Sign in instead.")
	}
	return t, nil
}

// CompleteSetup creates the first admin from the setup form and signs them
// in. The TOTP code proves the authenticator app holds the secret.
func (s *Service) CompleteSetup(ctx context.Context, token, username, password, code string) (string, *portal.Operator, error) {
	t, err := s.validSetupToken(ctx, token)
	if err != nil {
		return "", nil, err
	}
	username = strings.TrimSpace(username)
	if err := ValidateOperatorName(username); err != nil {
		return "", nil, err
	}
	if err := ValidatePassword(password); err != nil {
		return "", nil, err
	}
	if len(t.TOTPSecretEnc) == 0 {
		return "", nil, portal.Errorf(portal.ECONFLICT, "Open the setup link again to get your authenticator secret.")
	}
	secret, err := s.cfg.Box.Open(t.TOTPSecretEnc)
	if err != nil {
		return "", nil, &portal.Error{Code: portal.EINTERNAL, Message: "cannot decrypt setup secret", Reason: err.Error()}
	}
	now := s.cfg.Now()
	step := matchStep(string(secret), strings.TrimSpace(code), now)
	if step < 0 {
		return "", nil, portal.FieldError("code", "That code does not match. Scan the QR code (or type the secret) into your authenticator app and enter the 6-digit code it shows now.")
	}
	hash, err := argon2id.CreateHash(password, argon2id.DefaultParams)
	if err != nil {
		return "", nil, err
	}
	op := &portal.Operator{Username: username, PasswordHash: hash, TOTPSecretEnc: t.TOTPSecretEnc, TOTPLastStep: step,
		Role: portal.RoleAdmin, CreatedAt: now}
	if err := s.cfg.Store.CreateFirstAdmin(ctx, t.TokenHash, op); err != nil {
		return "", nil, err
	}
	sess, err := s.openSession(ctx, op.ID)
	return sess, op, err
}

// ValidateOperatorName checks an operator user name.
func ValidateOperatorName(name string) error {
	if name == "" {
		return portal.FieldError("username", "Choose a user name.")
	}
	if utf8.RuneCountInString(name) > 64 || strings.ContainsAny(name, " \t\r\n") {
		return portal.FieldError("username", "A user name is at most 64 characters, without spaces.")
	}
	return nil
}

// ValidatePassword checks an operator password: long rather than complex
// (NIST SP 800-63B), at least 12 characters.
func ValidatePassword(p string) error {
	switch n := utf8.RuneCountInString(p); {
	case n < 12:
		return portal.FieldError("password", "Use at least 12 characters for your password (a few words make a good one).")
	case n > 256:
		return portal.FieldError("password", "Use at most 256 characters for your password.")
	}
	return nil
}

package auth

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"

	"github.com/gatehouse/portal"
)

// RecoveryCodeCount is how many recovery codes an operator gets at a time.
const RecoveryCodeCount = 10

// recoveryEncoding writes a code's 80 random bits as 16 characters of
// A–Z and 2–7 (no 0/O or 1/I to confuse).
var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRecoveryCodes returns RecoveryCodeCount fresh codes, as shown
// ("ABCD-EFGH-JKMN-PQRS"), and the hashes under which they are stored.
func newRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodeCount {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		s := recoveryEncoding.EncodeToString(b)
		code := s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
		codes, hashes = append(codes, code), append(hashes, recoveryHash(code))
	}
	return codes, hashes
}

// recoveryHash is the stored form of a recovery code as typed: case,
// spaces and dashes do not matter.
func recoveryHash(code string) string {
	code = strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(code)))
	return portal.HashToken("recovery:" + code)
}

// isTOTPCode reports whether code has the shape of a TOTP code (six
// digits); anything else given at sign-in is taken as a recovery code.
func isTOTPCode(code string) bool {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// issueRecoveryCodes gives operator a new set of recovery codes (every
// earlier code stops working), records it, and returns the codes: the only
// time they exist outside the caller.
func (s *Service) issueRecoveryCodes(ctx context.Context, c Caller, op *portal.Operator, action string) ([]string, error) {
	codes, hashes := newRecoveryCodes()
	if err := s.cfg.Store.ReplaceRecoveryCodes(ctx, op.ID, hashes, s.cfg.Now()); err != nil {
		return nil, err
	}
	s.audit(ctx, c, action, portal.TargetOperator, op.Username, portal.T("audit.recovery.issued", len(codes)))
	return codes, nil
}

// RegenerateRecoveryCodes replaces c.Operator's recovery codes after their
// password and a fresh TOTP code, and returns the new codes.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, c Caller, password, code string) ([]string, error) {
	if err := s.reauthenticate(ctx, c.Operator, password, code); err != nil {
		return nil, err
	}
	return s.issueRecoveryCodes(ctx, c, c.Operator, "operator.recovery.regenerate")
}

// RecoveryCodesLeft returns how many unused recovery codes an operator has.
func (s *Service) RecoveryCodesLeft(ctx context.Context, operatorID int64) (int, error) {
	return s.cfg.Store.CountRecoveryCodes(ctx, operatorID)
}

// useRecoveryCode spends one of op's recovery codes in place of a TOTP
// code and returns how many are left. A wrong or used code gets the same
// answer as a wrong TOTP code.
func (s *Service) useRecoveryCode(ctx context.Context, op *portal.Operator, code string) (int, error) {
	left, err := s.cfg.Store.UseRecoveryCode(ctx, op.ID, recoveryHash(code), s.cfg.Now())
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return 0, errSignIn
	}
	return left, err
}

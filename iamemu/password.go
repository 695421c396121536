package iamemu

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
	"unicode"
)

// symbols are the characters AWS counts as symbols in passwords
// (docs/iam-notes.md#names-limits-and-quotas).
const symbols = "!@#$%^&*()_+-=[]{}|'"

func hashPassword(salt, password string) string {
	sum := sha256.Sum256([]byte(salt + "\x00" + password))
	return hex.EncodeToString(sum[:])
}

func (lp *loginProfile) matches(password string) bool {
	return subtle.ConstantTimeCompare([]byte(hashPassword(lp.Salt, password)), []byte(lp.Hash)) == 1
}

// setPassword stores a new password, keeping the previous hash for reuse
// prevention. The salt stays per profile so history hashes stay comparable.
func (lp *loginProfile) setPassword(password string) {
	if lp.Salt == "" {
		lp.Salt = hex.EncodeToString(randomBytes(16))
	}
	if lp.Hash != "" {
		lp.History = append(lp.History, lp.Hash)
		if len(lp.History) > 24 {
			lp.History = lp.History[len(lp.History)-24:]
		}
	}
	lp.Hash = hashPassword(lp.Salt, password)
}

// checkPassword applies the account password policy, or AWS's default policy
// when none is set: at least 8 characters and 3 of the 4 character classes,
// not the account id (docs/iam-notes.md#names-limits-and-quotas). lp is the
// existing profile (nil on create), for PasswordReusePrevention.
func (c *call) checkPassword(password string, lp *loginProfile) *apiError {
	violation := errf("PasswordPolicyViolation", "Password does not conform to the account password policy.")
	var upper, lower, digit, symbol bool
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case strings.ContainsRune(symbols, r):
			symbol = true
		}
	}
	pp := c.st.PasswordPolicy
	if pp == nil {
		classes := 0
		for _, b := range []bool{upper, lower, digit, symbol} {
			if b {
				classes++
			}
		}
		if len([]rune(password)) < 8 || classes < 3 || password == c.st.AccountID {
			return violation
		}
		return nil
	}
	switch {
	case len([]rune(password)) < pp.MinimumPasswordLength,
		pp.RequireUppercase && !upper,
		pp.RequireLowercase && !lower,
		pp.RequireNumbers && !digit,
		pp.RequireSymbols && !symbol:
		return violation
	}
	if lp != nil && pp.PasswordReusePrevention > 0 {
		recent := append(append([]string{}, lp.History...), lp.Hash)
		if len(recent) > pp.PasswordReusePrevention {
			recent = recent[len(recent)-pp.PasswordReusePrevention:]
		}
		h := hashPassword(lp.Salt, password)
		for _, old := range recent {
			if old == h {
				return violation
			}
		}
	}
	return nil
}

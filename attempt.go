package portal

import "time"

// AttemptLimit bounds the guesses at one secret: at most Max attempts per
// subject (an operator name, an invite, a one-time link) within Window.
type AttemptLimit struct {
	Max    int
	Window time.Duration
}

// GuessLimit is the limit on every secret a person types: passwords, TOTP
// and recovery codes, an invitee's pair of MFA codes (OWASP ASVS V2.2.1).
var GuessLimit = AttemptLimit{Max: 5, Window: 15 * time.Minute}

// TooManyAttempts is the error of an attempt over its limit: it says when
// to try again, and carries that time (RFC 3339) as its Reason.
func TooManyAttempts(retry time.Time) *Error {
	retry = retry.UTC()
	return E(ETOOMANY, "err.attempts.toomany", retry.Format("15:04")).WithReason(retry.Format(time.RFC3339))
}

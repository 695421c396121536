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

// TooManyAttempts is the error of an attempt at now over its limit: it says
// how long to wait (whole minutes, rounded up, at least one) — a wait reads
// the same in every time zone, where a clock time in UTC had to be converted —
// and carries the retry time (RFC 3339, UTC) as its Reason.
func TooManyAttempts(now, retry time.Time) *Error {
	return E(ETOOMANY, "err.attempts.toomany", WaitMinutes(now, retry)).WithReason(retry.UTC().Format(time.RFC3339))
}

// WaitMinutes is the wait from now until retry in whole minutes, rounded up
// and at least one: the count a "try again in N minutes" message shows.
func WaitMinutes(now, retry time.Time) int {
	d := retry.Sub(now)
	n := int((d + time.Minute - 1) / time.Minute)
	return max(n, 1)
}

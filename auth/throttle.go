package auth

import (
	"context"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// Brute-force limits (OWASP ASVS V2.2.1): at most MaxFailures failed
// password or code attempts per subject (an operator, an invite) within
// FailureWindow. The counts live in the database, so every replica sees them.
const (
	MaxFailures   = 5
	FailureWindow = 15 * time.Minute
)

// Throttle counts failed attempts per subject and refuses more once the
// limit is reached.
type Throttle struct {
	Store *store.Store
	Now   func() time.Time
}

// Check returns an ETOOMANY error that says when to try again if subject
// has used up its failed attempts.
func (t *Throttle) Check(ctx context.Context, subject string) error {
	now := t.Now()
	fails, err := t.Store.RecentAuthFailures(ctx, subject, now.Add(-FailureWindow), MaxFailures)
	if err != nil {
		return err
	}
	if len(fails) < MaxFailures {
		return nil
	}
	// The oldest of the last MaxFailures failures leaves the window first.
	retry := fails[MaxFailures-1].Add(FailureWindow)
	return &portal.Error{Code: portal.ETOOMANY, Reason: retry.UTC().Format(time.RFC3339),
		Message: "Too many failed attempts. For your protection, try again at " + retry.UTC().Format("15:04") + " (UTC)."}
}

// Fail records a failed attempt against subject.
func (t *Throttle) Fail(ctx context.Context, subject string) error {
	return t.Store.RecordAuthFailure(ctx, subject, t.Now())
}

// Reset forgets subject's failures after a success, and prunes failures
// that left the window for everyone.
func (t *Throttle) Reset(ctx context.Context, subject string) error {
	now := t.Now()
	return t.Store.ClearAuthFailures(ctx, subject, now.Add(-FailureWindow))
}

// RetryAt returns the time an ETOOMANY error from Check names, or zero.
func RetryAt(err error) time.Time {
	if portal.ErrorCode(err) != portal.ETOOMANY {
		return time.Time{}
	}
	at, _ := time.Parse(time.RFC3339, portal.ErrorReason(err))
	return at
}

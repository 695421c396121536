package awsiam

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/time/rate"
)

// Pacer spaces calls evenly at a fixed rate: a token bucket of Burst tokens
// refilled at Rate per second (golang.org/x/time/rate). Every attempt of
// every call of a Client with Config.Rate waits for its turn here, so all
// goroutines of a bulk job share one budget and IAM's own throttle is rarely
// hit. Turns are handed out in the order callers asked. The clock and the
// sleep are fields so tests run the pacer on a fake clock: the limiter is
// only ever asked with an explicit time.
type Pacer struct {
	lim   *rate.Limiter
	every time.Duration // time between two calls: 1/rate
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// NewPacer returns a pacer of rate calls per second that lets burst calls
// through at once after a quiet spell (burst < 1 means 1).
func NewPacer(rate float64, burst int) *Pacer {
	return newPacer(rate, burst, time.Now, sleepCtx)
}

func newPacer(r float64, burst int, now func() time.Time, sleep func(context.Context, time.Duration) error) *Pacer {
	return &Pacer{
		lim:   rate.NewLimiter(rate.Limit(r), max(burst, 1)),
		every: time.Duration(float64(time.Second) / r),
		now:   now,
		sleep: sleep,
	}
}

// Interval is the time between two calls at the pacer's rate.
func (p *Pacer) Interval() time.Duration { return p.every }

// Wait blocks until the caller may start a call, or ctx ends. A caller that
// gives up returns its turn when no later turn was handed out meanwhile.
func (p *Pacer) Wait(ctx context.Context) error {
	now := p.now()
	r := p.lim.ReserveN(now, 1) // always OK: one token never exceeds the burst
	wait := r.DelayFrom(now)
	if wait <= 0 {
		return nil
	}
	if err := p.sleep(ctx, wait); err != nil {
		r.CancelAt(p.now())
		return err
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// paceMiddleware makes every attempt wait for the pacer. It sits in the
// Finalize step right after the SDK's retry loop and before signing, so a
// retry waits for a turn like a first attempt and is signed when it goes.
func paceMiddleware(p *Pacer) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("GatehousePace",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if err := p.Wait(ctx); err != nil {
					return middleware.FinalizeOutput{}, middleware.Metadata{}, err
				}
				return next.HandleFinalize(ctx, in)
			}), "Retry", middleware.After)
	}
}

// pacedRetryer is the retry mode of a paced client: the SDK's standard mode
// (no adaptive client-side rate, which would fight the pacer and back off far
// below the configured rate) with a short jittered exponential back-off that
// starts at one pacer interval and stops at one second. A throttled attempt
// thus goes back into the pacer's queue almost at once instead of sleeping
// the SDK's one-second-plus throttle back-off. The retry quota is off, as in
// retryer; MaxAttempts bounds every call.
func pacedRetryer(maxAttempts int, every time.Duration) func() aws.Retryer {
	base := max(every, 10*time.Millisecond)
	return func() aws.Retryer {
		return retry.NewStandard(func(so *retry.StandardOptions) {
			so.RateLimiter = ratelimit.None
			if maxAttempts > 0 {
				so.MaxAttempts = maxAttempts
			}
			so.Backoff = retry.BackoffDelayerFunc(func(attempt int, _ error) (time.Duration, error) {
				return pacedBackoff(base, attempt, rand.Float64()), nil
			})
		})
	}
}

// pacedBackoff is the delay before retry number attempt (1 = the first
// retry): base·2^(attempt-1) capped at one second, scaled by a jitter
// j ∈ [0, 1) into [d/2, d).
func pacedBackoff(base time.Duration, attempt int, j float64) time.Duration {
	d := time.Second
	if attempt < 20 {
		d = min(d, base<<max(attempt-1, 0))
	}
	return d/2 + time.Duration(j*float64(d/2))
}

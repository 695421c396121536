package awsiam

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Pacer spaces calls evenly at a rate: a token bucket of Burst tokens
// refilled at the rate, kept as the time the next turn is due (GCRA). Every
// attempt of every call of a Client with Config.Rate waits for its turn
// here, so all goroutines of a bulk job share one budget and IAM's own
// throttle is rarely hit. Turns are handed out in the order callers asked.
//
// IAM answers from token buckets (docs/iam-notes.md#sdk-retries): a
// throttled request found its bucket empty and took no token, so the pacer
// gives a throttled attempt's turn back (Throttled) — at the rate at most,
// with the same burst, so a bucket that stays empty is not hammered. Many
// throttles are also a sign that the rate is above what IAM grants now
// (another client shares the bucket, or the configured rate is too high):
// while more than one attempt in three is throttled (a moving share), each
// throttle lowers the rate by 10 %; while fewer are, each call IAM answers
// raises it by 1 % of the configured rate, never above it. A random throttle now and then costs nothing; a rate set
// too high settles near IAM's. Other failures (5xx) keep their turn: IAM
// may have charged them.
//
// golang.org/x/time/rate paced calls here before turns were given back: its
// Reservation.Cancel restores tokens only before the reserved time, and a
// throttle is known only after the call went, so it cannot return a turn.
//
// The clock and the sleep are fields so tests run the pacer on a fake clock.
type Pacer struct {
	mu        sync.Mutex
	max, rate float64       // the configured rate and the current estimate, calls per second
	burst     int           // turns that may go at once after a quiet spell
	due       time.Time     // when the next turn is due at the current rate
	share     float64       // moving share of throttled attempts
	refundDue time.Time     // when a turn may next be given back (GCRA, as due)
	every     time.Duration // time between two calls at the configured rate
	now       func() time.Time
	sleep     func(ctx context.Context, d time.Duration) error
}

// Rate changes on throttles: while the moving share of throttled attempts
// (each attempt weighs paceWeight) is above paceOverload, a throttle lowers
// the rate by paceDecrease; otherwise an answer raises it by paceIncrease of
// the configured rate. Never below paceFloor of the configured rate.
const (
	paceWeight   = 0.05
	paceOverload = 1.0 / 3
	paceDecrease = 0.1
	paceIncrease = 0.01
	paceFloor    = 0.1
)

// NewPacer returns a pacer of rate calls per second that lets burst calls
// through at once after a quiet spell (burst < 1 means 1).
func NewPacer(rate float64, burst int) *Pacer {
	return newPacer(rate, burst, time.Now, sleepCtx)
}

// defaultBurst is the burst of a client's own pacer when Config.Burst is 0:
// a tenth of a second of calls, so the turns nobody was waiting for at their
// time (every worker busy with the store, or the CPU) are not lost, while
// IAM never sees more than a tenth of a second's calls at once — IAM's own
// bucket refilled at least as much meanwhile when the rate is at or below
// IAM's.
func defaultBurst(rate float64) int { return max(1, int(rate/10)) }

func newPacer(r float64, burst int, now func() time.Time, sleep func(context.Context, time.Duration) error) *Pacer {
	return &Pacer{
		max:   r,
		rate:  r,
		burst: max(burst, 1),
		every: time.Duration(float64(time.Second) / r),
		now:   now,
		sleep: sleep,
	}
}

// Interval is the time between two calls at the pacer's configured rate.
func (p *Pacer) Interval() time.Duration { return p.every }

// Rate is the pacer's current rate, calls per second.
func (p *Pacer) Rate() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rate
}

// interval is the time between two calls at the current rate; p.mu held.
func (p *Pacer) interval() time.Duration { return time.Duration(float64(time.Second) / p.rate) }

// Wait blocks until the caller may start a call, or ctx ends. A caller that
// gives up returns its turn when no later turn was handed out meanwhile.
func (p *Pacer) Wait(ctx context.Context) error {
	p.mu.Lock()
	now := p.now()
	every := p.interval()
	// A bucket refilled since the last turn holds at most burst tokens: the
	// turn is due no earlier than burst-1 intervals before now.
	due := p.due
	if floor := now.Add(-time.Duration(p.burst-1) * every); due.Before(floor) {
		due = floor
	}
	start := due
	if start.Before(now) {
		start = now
	}
	p.due = due.Add(every)
	mine := p.due
	p.mu.Unlock()
	wait := start.Sub(now)
	if wait <= 0 {
		return nil
	}
	if err := p.sleep(ctx, wait); err != nil {
		p.mu.Lock()
		if p.due.Equal(mine) {
			p.due = mine.Add(-every)
		}
		p.mu.Unlock()
		return err
	}
	return nil
}

// Throttled records that IAM throttled an attempt: the turn it took is given
// back (at the rate at most, with the burst), and the rate is lowered while
// throttles are frequent.
func (p *Pacer) Throttled() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	// Turns come back at most at the rate, with the pacer's burst: a bunch
	// of throttles answered together all give theirs back, an endless run
	// of them gives back one per interval.
	every := p.interval()
	refund := p.refundDue
	if refund.Before(now) {
		refund = now
	}
	if refund.Sub(now) <= time.Duration(p.burst-1)*every {
		p.due = p.due.Add(-every)
		p.refundDue = refund.Add(every)
	}
	p.share += paceWeight * (1 - p.share)
	if p.share > paceOverload {
		p.rate = max(p.rate*(1-paceDecrease), p.max*paceFloor)
	}
}

// Answered records that IAM answered an attempt (not a throttle, not a 5xx):
// the rate recovers towards the configured one while throttles are rare.
func (p *Pacer) Answered() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.share -= paceWeight * p.share
	if p.share <= paceOverload {
		p.rate = min(p.rate+p.max*paceIncrease, p.max)
	}
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

// throttles tells a throttle from other errors, as the SDK's retryer does.
var throttles = retry.IsErrorThrottles(retry.DefaultThrottles)

// isServerError reports whether err is a 5xx answer (or no answer at all).
func isServerError(err error) bool {
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode() >= 500
	}
	return true
}

// paceMiddleware makes every attempt wait for the pacer, and tells it how
// IAM answered (a throttle gives the turn back and lowers the rate). It sits in the
// Finalize step right after the SDK's retry loop and before signing, so a
// retry waits for a turn like a first attempt and is signed when it goes.
func paceMiddleware(p *Pacer) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("GatehousePace",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if err := p.Wait(ctx); err != nil {
					return middleware.FinalizeOutput{}, middleware.Metadata{}, err
				}
				out, md, err := next.HandleFinalize(ctx, in)
				switch {
				case err == nil:
					p.Answered()
				case throttles.IsErrorThrottle(err) == aws.TrueTernary:
					p.Throttled()
				case ctx.Err() == nil && !isServerError(err):
					p.Answered() // an error answer (NoSuchEntity, …): IAM charged it
				}
				return out, md, err
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

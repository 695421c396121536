package iamemu

import (
	"context"
	"math/rand/v2"
	"time"
)

// Faults configures injected failures; the zero value injects nothing.
type Faults struct {
	// ThrottleRate is a token-bucket rate in requests per second (on the
	// IAM clock); over-rate calls answer Throttling 400 "Rate exceeded".
	ThrottleRate float64
	// ThrottleBurst is the bucket size; default max(1, ThrottleRate).
	ThrottleBurst int
	// ErrorRate is the probability (0–1) of answering 500 ServiceFailure.
	ErrorRate float64
	// Latency delays every answer (real time).
	Latency time.Duration
	// ConsistencyDelay keeps a new user invisible to every other call for
	// this long on the IAM clock (NoSuchEntity,
	// docs/iam-notes.md#eventual-consistency).
	ConsistencyDelay time.Duration
}

type injected struct {
	code  string
	times int
}

type faultState struct {
	f        Faults
	tokens   float64
	last     time.Time
	failNext map[string]injected
}

// FailNext makes the next times calls of action answer the IAM error code
// with its HTTP status (e.g. "Throttling" 400, "ServiceFailure" 500,
// "EntityTemporarilyUnmodifiable" 409).
func (e *Emulator) FailNext(action, code string, times int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.faults.failNext == nil {
		e.faults.failNext = map[string]injected{}
	}
	if times <= 0 {
		delete(e.faults.failNext, action)
		return
	}
	e.faults.failNext[action] = injected{code, times}
}

// SetFaults replaces the fault configuration and refills the token bucket.
func (e *Emulator) SetFaults(f Faults) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if f.ThrottleBurst <= 0 {
		f.ThrottleBurst = max(1, int(f.ThrottleRate))
	}
	e.faults.f = f
	e.faults.tokens = float64(f.ThrottleBurst)
	e.faults.last = e.clock()
}

// injectFaults runs before the action; a non-nil result is answered instead.
func (e *Emulator) injectFaults(ctx context.Context, action string) *apiError {
	e.mu.Lock()
	fs := &e.faults
	latency := fs.f.Latency
	var out *apiError
	if inj, ok := fs.failNext[action]; ok {
		if inj.times--; inj.times <= 0 {
			delete(fs.failNext, action)
		} else {
			fs.failNext[action] = inj
		}
		msg, ok := defaultMessages[inj.code]
		if !ok {
			msg = "Injected " + inj.code + " fault."
		}
		out = &apiError{Code: inj.code, Message: msg}
	}
	if out == nil && fs.f.ThrottleRate > 0 {
		now := e.clock()
		fs.tokens = min(float64(fs.f.ThrottleBurst), fs.tokens+now.Sub(fs.last).Seconds()*fs.f.ThrottleRate)
		fs.last = now
		if fs.tokens < 1 {
			out = errf("Throttling", "Rate exceeded")
		} else {
			fs.tokens--
		}
	}
	if out == nil && fs.f.ErrorRate > 0 && rand.Float64() < fs.f.ErrorRate {
		out = &apiError{Code: "ServiceFailure", Message: defaultMessages["ServiceFailure"]}
	}
	e.mu.Unlock()
	if latency > 0 {
		t := time.NewTimer(latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
	return out
}

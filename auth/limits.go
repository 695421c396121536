package auth

import (
	"context"
	"runtime"
	"sync/atomic"

	"github.com/alexedwards/argon2id"

	"github.com/gatehouse/portal"
)

// attempt records a guess at a secret against subject before the secret is
// checked, and refuses it (ETOOMANY) once subject has used up
// portal.GuessLimit. Recording first, atomically, is what makes the limit
// hold under parallel guesses (store.TakeAttempt).
func (s *Service) attempt(ctx context.Context, subject string) error {
	return s.cfg.Store.TakeAttempt(ctx, subject, portal.GuessLimit, s.cfg.Now())
}

// succeeded forgets subject's attempts after the right secret.
func (s *Service) succeeded(ctx context.Context, subject string) {
	if err := s.cfg.Store.ClearAttempts(ctx, subject, s.cfg.Now().Add(-portal.GuessLimit.Window)); err != nil {
		s.log.WarnContext(ctx, "clear attempts", "err", err)
	}
}

// hashParams are the argon2id parameters of every password hash Gatehouse
// writes: 19 MiB of memory, 2 passes, one lane — OWASP's Password Storage
// Cheat Sheet lists it among its argon2id minimums, as strong as 46 MiB with
// one pass. The library's DefaultParams (64 MiB, one pass, a lane per CPU)
// ask a guesser for somewhat more memory-time, but take 64 MiB at every
// sign-in, which alone would double the resident memory of a portal of
// 10,000 users (docs/benchmarks.md). A hash written with other parameters
// still verifies — its own parameters
// travel in its encoded form — and is rewritten with these at the
// operator's next sign-in (upgradeHash).
var hashParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// maxHashSlots caps concurrent argon2id work whatever the CPU count: each
// hash holds its memory parameter (19 MiB with hashParams) while it runs, so
// 4 slots bound password checking to 76 MiB.
const maxHashSlots = 4

// hashGate bounds concurrent argon2id work with a semaphore. Without it a
// burst of sign-ins (each one hashing, even for unknown names) multiplies
// the hash's memory by the burst size. Callers beyond the slots wait their turn (or
// give up with their request's context); a waiting caller holds no hash
// memory. One hash uses one CPU (hashParams has one lane), so more slots
// than CPUs would not check faster.
type hashGate struct {
	slots chan struct{}
	// running, peak and total count hashes, for tests and metrics.
	running, peak, total atomic.Int64
}

func newHashGate(n int) *hashGate {
	if n <= 0 {
		n = min(runtime.NumCPU(), maxHashSlots)
	}
	return &hashGate{slots: make(chan struct{}, n)}
}

// do runs fn in a slot.
func (g *hashGate) do(ctx context.Context, fn func()) error {
	select {
	case g.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.slots }()
	n := g.running.Add(1)
	defer g.running.Add(-1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	g.total.Add(1)
	fn()
	return nil
}

// compare checks password against an argon2id hash in a slot.
func (g *hashGate) compare(ctx context.Context, password, hash string) (ok bool, err error) {
	if gerr := g.do(ctx, func() { ok, err = argon2id.ComparePasswordAndHash(password, hash) }); gerr != nil {
		return false, gerr
	}
	return ok, err
}

// create hashes password with argon2id in a slot.
func (g *hashGate) create(ctx context.Context, password string) (hash string, err error) {
	if gerr := g.do(ctx, func() { hash, err = argon2id.CreateHash(password, hashParams) }); gerr != nil {
		return "", gerr
	}
	return hash, err
}

// upgradeHash rewrites op's password hash with hashParams after a sign-in
// that proved the password, when the stored hash was written with other
// parameters (an older Gatehouse's). It is never fatal: the old hash still
// verifies, so a failure is logged and retried at the next sign-in.
func (s *Service) upgradeHash(ctx context.Context, op *portal.Operator, password string) {
	params, _, _, err := argon2id.DecodeHash(op.PasswordHash)
	if err != nil || *params == *hashParams {
		return
	}
	hash, err := s.hash.create(ctx, password)
	if err == nil {
		var wrote bool
		if wrote, err = s.cfg.Store.ReplacePasswordHash(ctx, op.ID, op.PasswordHash, hash); wrote {
			op.PasswordHash = hash
		}
	}
	if err != nil {
		s.log.WarnContext(ctx, "upgrade password hash", "username", op.Username, "err", err)
	}
}

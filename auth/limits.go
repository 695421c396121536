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

// maxHashSlots caps concurrent argon2id work whatever the CPU count: each
// hash holds its memory parameter (64 MiB with argon2id.DefaultParams) while
// it runs, so 4 slots bound password checking to 256 MiB.
const maxHashSlots = 4

// hashGate bounds concurrent argon2id work with a semaphore. Without it a
// burst of sign-ins (each one hashing, even for unknown names) multiplies
// 64 MiB by the burst size. Callers beyond the slots wait their turn (or
// give up with their request's context); a waiting caller holds no hash
// memory. One hash already uses every CPU (DefaultParams' parallelism is
// the CPU count), so more slots than CPUs would not check faster.
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
	if gerr := g.do(ctx, func() { hash, err = argon2id.CreateHash(password, argon2id.DefaultParams) }); gerr != nil {
		return "", gerr
	}
	return hash, err
}

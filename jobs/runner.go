// Package jobs runs durable background jobs exactly once across replicas.
//
// Design. Jobs are rows in the shared database (table jobs). A replica claims
// the oldest runnable job with one conditional UPDATE (store.ClaimJob): a job
// is runnable when it is queued, or running under a lease that expired
// (its replica died). The holder renews the lease with heartbeats; a
// heartbeat that finds the lease gone cancels the job's context, so a replica
// that was paused past its lease stops instead of racing its successor. At
// graceful shutdown running jobs are cancelled and handed back (state queued)
// so another replica continues at once; after kill -9 they come back when
// the lease expires.
//
// Why not River: River (riverqueue/river) works with both drivers and would
// do the same, but it brings its own schema, migrations and leader election
// for a handful of job kinds. The claim-by-UPDATE here is ~200 lines on the
// tables we already migrate with goose, runs identically on SQLite and
// PostgreSQL, and its exactly-once argument fits in the ClaimJob comment.
//
// Exactly once means: at most one replica runs a job at any time, and a job
// runs until it finishes. A job that is taken over may have been half done,
// so handlers must be resumable (the bulk onboarding job records every row
// before and after it runs, and the onboarding saga its every step).
package jobs

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// Handler runs one job. It must be resumable: it may be called again for a
// job it ran partly before (after a crash or a hand-back). Returning
// context.Canceled after ctx ended means "not finished"; the runner hands
// the job back. Any other error fails the job for good.
type Handler func(ctx context.Context, j *store.Job) error

// Config configures a Runner.
type Config struct {
	Store *store.Store
	// Holder names this replica in leases (host name and a random suffix).
	Holder string
	// Lease is how long a claim holds without a heartbeat (default 30 s);
	// heartbeats run every Lease/3.
	Lease time.Duration
	// Poll is how often an idle runner looks for work (default 1 s).
	Poll time.Duration
	// Concurrency is how many jobs one replica runs at once (default 2).
	Concurrency int
	Logger      *slog.Logger
	// Observe, if set, is told the outcome of every job run (done, failed,
	// handed_back, lost) for metrics.
	Observe func(kind, outcome string, d time.Duration)
	// Idle, if set, runs on every poll (housekeeping such as purging old
	// invite tokens).
	Idle func(ctx context.Context)
	Now  func() time.Time
}

// Runner claims and runs jobs.
type Runner struct {
	cfg      Config
	mu       sync.Mutex
	handlers map[string]Handler
	wake     chan struct{}
}

// New returns a Runner; register handlers before Run.
func New(cfg Config) (*Runner, error) {
	if cfg.Store == nil || cfg.Holder == "" {
		return nil, errors.New("jobs: Store and Holder are required")
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 30 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 2
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Runner{cfg: cfg, handlers: map[string]Handler{}, wake: make(chan struct{}, 1)}, nil
}

// Register sets the handler of a job kind.
func (r *Runner) Register(kind string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[kind] = h
}

// Wake asks the runner to look for work now (after enqueueing a job).
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *Runner) kinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		out = append(out, k)
	}
	return out
}

// Run claims and runs jobs until ctx ends. Then it cancels running jobs,
// waits for them and hands unfinished ones back before returning.
func (r *Runner) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	var running atomic.Int32
	tick := time.NewTicker(r.cfg.Poll)
	defer tick.Stop()
	for {
		if r.cfg.Idle != nil {
			r.cfg.Idle(ctx)
		}
		for ctx.Err() == nil && int(running.Load()) < r.cfg.Concurrency {
			j, err := r.cfg.Store.ClaimJob(ctx, r.cfg.Holder, r.kinds(), r.cfg.Lease, r.cfg.Now())
			if err != nil {
				if portal.ErrorCode(err) != portal.ENOTFOUND && ctx.Err() == nil {
					r.cfg.Logger.Error("claim job", "err", err)
				}
				break
			}
			running.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer running.Add(-1)
				r.runOne(ctx, j)
				r.Wake() // a slot is free
			}()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-r.wake:
		}
	}
}

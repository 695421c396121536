// Package jobs runs durable background jobs exactly once across replicas.
//
// Design. Jobs are rows in the shared database (table jobs). A replica claims
// the oldest runnable job with one conditional UPDATE (store.ClaimJob): a job
// is runnable when it is queued, or running under a lease that expired
// (its replica died). The holder renews the lease with heartbeats; a
// heartbeat that finds the lease gone cancels the job's context, so a replica
// that was paused past its lease stops instead of racing its successor. At
// graceful shutdown a running job is first asked to stop at its next safe
// point (Stopping) — the bulk job finishes the users it is onboarding and
// takes no new ones — and is cancelled only if it has not stopped within
// Drain; either way it is handed back (state queued) so another replica
// continues at once. After kill -9 it comes back when the lease expires.
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
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// Handler runs one job. It must be resumable: it may be called again for a
// job it ran partly before (after a crash or a hand-back). At shutdown
// Stopping(ctx) closes first: the handler should stop at its next safe
// point and return ErrStopped; ctx itself ends Drain later. ErrStopped, or
// ctx's error once ctx ended, means "not finished": the runner hands the job
// back. Any other error fails the job for good.
type Handler func(ctx context.Context, j *store.Job) error

// ErrStopped is what a Handler returns when it stopped at a safe point
// because Stopping closed.
var ErrStopped = errors.New("jobs: stopped at a safe point for shutdown")

// RetryError is what a Handler returns to have its job run again After
// from now (a retry with back-off, such as an e-mail the mail server did
// not take yet); Err says why this attempt failed. The job's Attempts
// counts every run, so the handler decides when to give up.
type RetryError struct {
	After time.Duration
	Err   error
}

func (e *RetryError) Error() string { return "retry in " + e.After.String() + ": " + e.Err.Error() }

// Unwrap returns the attempt's error.
func (e *RetryError) Unwrap() error { return e.Err }

// retrying makes a Handler of one attempt at the work named by the job's
// payload, an id, that says how long to wait before the next attempt (0: none,
// the job is done or failed for good).
func retrying(attempt func(ctx context.Context, j *store.Job, id int64) (time.Duration, error)) Handler {
	return func(ctx context.Context, j *store.Job) error {
		id, err := strconv.ParseInt(j.Payload, 10, 64)
		if err != nil {
			return err // not ours to retry: a malformed job fails for good
		}
		retryIn, err := attempt(ctx, j, id)
		if retryIn > 0 {
			return &RetryError{After: retryIn, Err: err}
		}
		return err
	}
}

type stoppingKey struct{}

// Stopping returns a channel that closes when the runner shuts down: the
// job should stop at its next safe point and return ErrStopped. It is nil
// (never closes) for a context that is not a job's.
func Stopping(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(stoppingKey{}).(<-chan struct{})
	return ch
}

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
	// retry, handed_back, lost) for metrics.
	Observe func(kind, outcome string, d time.Duration)
	// Drain bounds how long running jobs get at shutdown to reach a safe
	// point after Stopping closed, before their contexts are cancelled
	// (default 15 s, inside the 20 s a container runtime usually waits
	// between SIGTERM and SIGKILL).
	Drain time.Duration
	// Periodic is work that runs beside the jobs, each when the runner
	// starts and then every its Every: purging old invite tokens (hourly),
	// queueing resumes of interrupted onboardings. It runs on the poll
	// loop, so Poll is its resolution.
	Periodic []Periodic
	Now      func() time.Time
}

// Periodic is work a Runner does every Every (at least Poll apart), not on
// every poll: each run may take SQLite's write lock. Run must return
// quickly (queue a job for anything long).
type Periodic struct {
	Every time.Duration
	Run   func(ctx context.Context)
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
	if cfg.Drain <= 0 {
		cfg.Drain = 15 * time.Second
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

// Run claims and runs jobs until ctx ends. Then it asks running jobs to
// stop at a safe point (cancelling them after Drain), waits for them and
// hands unfinished ones back before returning.
func (r *Runner) Run(ctx context.Context) {
	// Jobs run on a context of their own: the end of ctx only closes
	// Stopping, and the jobs' context ends Drain later.
	jobCtx, cancelJobs := context.WithCancel(context.WithValue(context.WithoutCancel(ctx), stoppingKey{}, ctx.Done()))
	defer cancelJobs()
	stopDrain := context.AfterFunc(ctx, func() { time.AfterFunc(r.cfg.Drain, cancelJobs) })
	defer stopDrain()
	var wg sync.WaitGroup
	defer wg.Wait()
	var running atomic.Int32
	tick := time.NewTicker(r.cfg.Poll)
	defer tick.Stop()
	lastRun := make([]time.Time, len(r.cfg.Periodic))
	for {
		for i, p := range r.cfg.Periodic {
			if now := r.cfg.Now(); lastRun[i].IsZero() || now.Sub(lastRun[i]) >= p.Every {
				lastRun[i] = now
				p.Run(ctx)
			}
		}
		for ctx.Err() == nil && int(running.Load()) < r.cfg.Concurrency {
			// A claim is not cancelled by shutdown: cancelled between its
			// commit and the answer (PostgreSQL), it would leave a job
			// running that no runner knows of until its lease ran out. A
			// claim that completes is run and handed back like any other.
			claimCtx, stopClaim := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			j, err := r.cfg.Store.ClaimJob(claimCtx, r.cfg.Holder, r.kinds(), r.cfg.Lease, r.cfg.Now())
			stopClaim()
			if err != nil {
				if portal.ErrorCode(err) != portal.ENOTFOUND && ctx.Err() == nil {
					r.cfg.Logger.Error("claim job", "err", err)
				}
				break
			}
			if ctx.Err() != nil {
				// Shutdown began while the claim was on its way, perhaps
				// after a stopping job was handed back: the claim took that
				// job again. Hand it back at once instead of starting it.
				r.release(j)
				break
			}
			running.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer running.Add(-1)
				r.runOne(jobCtx, j)
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

// release hands a claimed job back without running it.
func (r *Runner) release(j *store.Job) {
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	if err := r.cfg.Store.ReleaseJob(ctx, j.ID, r.cfg.Holder, r.cfg.Now()); err != nil {
		r.cfg.Logger.Error("hand back job claimed at shutdown", "job", j.ID, "err", err)
	}
}

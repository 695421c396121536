package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newRunner(t *testing.T, st *store.Store, holder string, lease time.Duration, h jobs.Handler) *jobs.Runner {
	t.Helper()
	r, err := jobs.New(jobs.Config{Store: st, Holder: holder, Lease: lease, Poll: 10 * time.Millisecond, Concurrency: 3, Logger: quiet,
		Drain: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r.Register("test", h)
	return r
}

func enqueue(t *testing.T, st *store.Store, n int) {
	t.Helper()
	for i := range n {
		if err := st.CreateJob(context.Background(), &store.Job{Kind: "test", Payload: fmt.Sprint(i), CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
}

// runs counts how often each job ran and on which replica.
type runs struct {
	mu  sync.Mutex
	n   map[int64]int
	all int
}

func (r *runs) handler(d time.Duration) jobs.Handler {
	return func(ctx context.Context, j *store.Job) error {
		r.mu.Lock()
		r.n[j.ID]++
		r.all++
		r.mu.Unlock()
		select {
		case <-time.After(d):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func waitState(t *testing.T, st *store.Store, id int64, state string) {
	t.Helper()
	eventually.True(t, 20*time.Second, 10*time.Millisecond, fmt.Sprintf("job %d never reached state %s", id, state), func() bool {
		j, err := st.FindJob(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return j.State == state
	})
}

func TestRunner(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			t.Run("two replicas on one database run every job exactly once", func(t *testing.T) {
				dsn := storetest.DSN(t, engine)
				a, b := storetest.Open(t, engine, dsn), storetest.Open(t, engine, dsn)
				const n = 40
				enqueue(t, a, n)
				rec := &runs{n: map[int64]int{}}
				ctx, cancel := context.WithCancel(context.Background())
				var wg sync.WaitGroup
				for i, st := range []*store.Store{a, b} {
					r := newRunner(t, st, fmt.Sprint("replica-", i), 5*time.Second, rec.handler(time.Millisecond))
					wg.Go(func() { r.Run(ctx) })
				}
				for id := int64(1); id <= n; id++ {
					waitState(t, a, id, store.JobDone)
				}
				cancel()
				wg.Wait()
				if got, want := rec.all, n; got != want {
					t.Fatalf("handler ran %d times for %d jobs", got, want)
				}
				for id, c := range rec.n {
					if c != 1 {
						t.Fatalf("job %d ran %d times", id, c)
					}
				}
			})
			t.Run("shutdown hands an unfinished job back and another replica finishes it", func(t *testing.T) {
				dsn := storetest.DSN(t, engine)
				a, b := storetest.Open(t, engine, dsn), storetest.Open(t, engine, dsn)
				enqueue(t, a, 1)
				rec := &runs{n: map[int64]int{}}
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { newRunner(t, a, "a", time.Minute, rec.handler(time.Hour)).Run(ctx); close(done) }()
				waitState(t, a, 1, store.JobRunning)
				cancel()
				<-done
				j, _ := a.FindJob(context.Background(), 1)
				if got, want := j.State, store.JobQueued; got != want {
					t.Fatalf("after shutdown the job is %s, want %s", got, want)
				}
				ctx2, cancel2 := context.WithCancel(context.Background())
				defer cancel2()
				go newRunner(t, b, "b", time.Minute, rec.handler(time.Millisecond)).Run(ctx2)
				waitState(t, b, 1, store.JobDone)
			})
			t.Run("a job whose replica died is taken over when its lease expires", func(t *testing.T) {
				st := storetest.Open(t, engine, storetest.DSN(t, engine))
				enqueue(t, st, 1)
				now := time.Now()
				if _, err := st.ClaimJob(context.Background(), "dead", []string{"test"}, time.Minute, now); err != nil {
					t.Fatal(err)
				}
				if _, err := st.ClaimJob(context.Background(), "alive", []string{"test"}, time.Minute, now.Add(time.Second)); err == nil {
					t.Fatal("a job under a live lease was claimed twice")
				}
				j, err := st.ClaimJob(context.Background(), "alive", []string{"test"}, time.Minute, now.Add(2*time.Minute))
				if err != nil {
					t.Fatalf("expired lease not taken over: %v", err)
				}
				if got, want := j.Attempts, 2; got != want {
					t.Fatalf("attempts = %d, want %d", got, want)
				}
				if ok, _ := st.HeartbeatJob(context.Background(), j.ID, "dead", time.Minute, now); ok {
					t.Fatal("the dead holder's heartbeat still succeeds")
				}
			})
		})
	}
}

func TestShutdownLetsJobsReachASafePoint(t *testing.T) {
	st := storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	t.Run("a job is asked to stop before its context ends, and is handed back", func(t *testing.T) {
		enqueue(t, st, 1)
		aliveAtStop := make(chan bool, 1)
		r, err := jobs.New(jobs.Config{Store: st, Holder: "a", Poll: 10 * time.Millisecond, Logger: quiet, Drain: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		r.Register("test", func(ctx context.Context, j *store.Job) error {
			select {
			case <-jobs.Stopping(ctx):
				aliveAtStop <- ctx.Err() == nil // the work in hand can still be finished and recorded
				return jobs.ErrStopped
			case <-ctx.Done():
				aliveAtStop <- false
				return ctx.Err()
			}
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { r.Run(ctx); close(done) }()
		waitState(t, st, 1, store.JobRunning)
		cancel()
		<-done
		if !<-aliveAtStop {
			t.Fatal("the job's context ended at shutdown before it could stop at a safe point")
		}
		j, _ := st.FindJob(context.Background(), 1)
		if got, want := j.State, store.JobQueued; got != want {
			t.Fatalf("after shutdown the job is %s, want %s (handed back)", got, want)
		}
	})
	t.Run("a job that does not stop is cancelled after Drain", func(t *testing.T) {
		enqueue(t, st, 1) // job 2; job 1 is queued again too
		r := newRunner(t, st, "b", time.Minute, func(ctx context.Context, j *store.Job) error {
			<-ctx.Done()
			return ctx.Err()
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { r.Run(ctx); close(done) }()
		waitState(t, st, 2, store.JobRunning)
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("Run did not return: a job that ignores Stopping was never cancelled")
		}
		j, _ := st.FindJob(context.Background(), 2)
		if got, want := j.State, store.JobQueued; got != want {
			t.Fatalf("after shutdown the job is %s, want %s", got, want)
		}
	})
}

func TestPeriodicWorkRunsOncePerInterval(t *testing.T) {
	st := storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	var mu sync.Mutex
	calls := 0
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	polled := make(chan struct{}, 100)
	r, err := jobs.New(jobs.Config{Store: st, Holder: "a", Poll: time.Millisecond, Logger: quiet, Now: clock,
		Periodic: []jobs.Periodic{{Every: time.Hour, Run: func(context.Context) { mu.Lock(); calls++; mu.Unlock() }}}})
	if err != nil {
		t.Fatal(err)
	}
	// A handler that counts polls: every poll claims (and finishes) a job.
	r.Register("test", func(context.Context, *store.Job) error { polled <- struct{}{}; return nil })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	for range 20 {
		enqueue(t, st, 1)
		<-polled
	}
	mu.Lock()
	got := calls
	now = now.Add(time.Hour) // an hour later, it runs once more
	mu.Unlock()
	enqueue(t, st, 1)
	<-polled
	time.Sleep(20 * time.Millisecond) // a few more idle polls
	cancel()
	<-done
	if got != 1 {
		t.Fatalf("housekeeping ran %d times in the first hour of polls, want once", got)
	}
	if calls != 2 {
		t.Fatalf("housekeeping ran %d times in total, want twice (once per hour)", calls)
	}
}

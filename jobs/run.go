package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse/portal/store"
)

// runOne runs a claimed job with heartbeats, then records how it ended.
func (r *Runner) runOne(parent context.Context, j *store.Job) {
	r.mu.Lock()
	h := r.handlers[j.Kind]
	r.mu.Unlock()
	start := r.cfg.Now()
	log := r.cfg.Logger.With("job", j.ID, "kind", j.Kind, "attempt", j.Attempts)
	log.Info("job started")

	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	lost := make(chan struct{})
	hbDone := make(chan struct{})
	go func() {
		defer close(hbDone)
		r.heartbeat(ctx, j, cancel, lost)
	}()
	err := h(ctx, j)
	cancel()
	<-hbDone

	// Book-keeping after the job's context ended uses a fresh context: at
	// shutdown the parent may be done, and the hand-back must still be
	// written.
	bg, stop := context.WithTimeout(context.WithoutCancel(parent), 10*time.Second)
	defer stop()
	now := r.cfg.Now()
	outcome := ""
	select {
	case <-lost:
		outcome = "lost"
		log.Warn("job lease lost; another replica continues it")
	default:
		var retry *RetryError
		switch {
		case errors.As(err, &retry):
			outcome = "retry"
			log.Warn("job will be retried", "in", retry.After, "err", retry.Err)
			err = r.cfg.Store.RetryJob(bg, j.ID, r.cfg.Holder, now.Add(retry.After), retry.Err.Error(), now)
		case err == nil:
			outcome = "done"
			err = r.cfg.Store.FinishJob(bg, j.ID, r.cfg.Holder, store.JobDone, "", now)
		case errors.Is(err, ErrStopped) || (errors.Is(err, context.Canceled) && parent.Err() != nil):
			outcome = "handed_back"
			err = r.cfg.Store.ReleaseJob(bg, j.ID, r.cfg.Holder, now)
		default:
			outcome = "failed"
			log.Error("job failed", "err", err)
			err = r.cfg.Store.FinishJob(bg, j.ID, r.cfg.Holder, store.JobFailed, err.Error(), now)
		}
		if err != nil {
			log.Error("record job outcome", "outcome", outcome, "err", err)
		}
	}
	log.Info("job ended", "outcome", outcome, "duration_ms", now.Sub(start).Milliseconds())
	if r.cfg.Observe != nil {
		r.cfg.Observe(j.Kind, outcome, now.Sub(start))
	}
}

// heartbeat renews the lease every Lease/3 until ctx ends. If the lease is
// gone (this replica stalled past it and another took the job over), it
// closes lost and cancels the job.
func (r *Runner) heartbeat(ctx context.Context, j *store.Job, cancel func(), lost chan struct{}) {
	t := time.NewTicker(r.cfg.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ok, err := r.cfg.Store.HeartbeatJob(ctx, j.ID, r.cfg.Holder, r.cfg.Lease, r.cfg.Now())
		if err != nil {
			if ctx.Err() == nil {
				r.cfg.Logger.Warn("job heartbeat", "job", j.ID, "err", err)
			}
			continue // a transient database error; the lease has slack
		}
		if !ok {
			close(lost)
			cancel()
			return
		}
	}
}

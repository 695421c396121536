package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/audit"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
)

// KindBulkOnboard is the job kind of a bulk CSV onboarding.
const KindBulkOnboard = "bulk_onboard"

// InviteKeep is how long sealed invite tokens of a finished bulk job are
// kept when nobody downloads the result.
const InviteKeep = 24 * time.Hour

// BulkConfig configures the bulk onboarding job.
type BulkConfig struct {
	Store      *store.Store
	Onboarding *onboarding.Service
	// Box seals invite tokens in the job's rows (the portal key).
	Box *auth.Box
	// InviteTTL is the validity of invites that the job re-issues after a
	// crash lost the first one (default 168h, as onboarding's).
	InviteTTL time.Duration
	// Concurrency bounds the users onboarded at once (default 8). IAM's
	// throttle, not this, sets the pace; it only keeps enough calls in
	// flight to use the whole rate.
	Concurrency int
	Logger      *slog.Logger
	Now         func() time.Time
	// Observe, if set, is told every finished row ("done" or "failed").
	Observe func(status string)
}

// Bulk runs bulk onboarding jobs.
type Bulk struct {
	cfg   BulkConfig
	audit *audit.Log
}

// NewBulk checks cfg and returns the job's handler.
func NewBulk(cfg BulkConfig) (*Bulk, error) {
	if cfg.Store == nil || cfg.Onboarding == nil || cfg.Box == nil {
		return nil, errors.New("jobs: bulk needs Store, Onboarding and Box")
	}
	if cfg.InviteTTL <= 0 {
		cfg.InviteTTL = 7 * 24 * time.Hour
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Observe == nil {
		cfg.Observe = func(string) {}
	}
	return &Bulk{cfg: cfg, audit: audit.New(cfg.Store, cfg.Logger, cfg.Now)}, nil
}

// Check reads an upload (ParseBulkCSV) against the users Gatehouse
// manages already. Nothing is created.
func (b *Bulk) Check(ctx context.Context, csv string) ([]store.BulkItem, []RowProblem, error) {
	hub := b.cfg.Onboarding.Account()
	return ParseBulkCSVIn(strings.NewReader(csv), b.cfg.Now(), func(id string) error {
		if _, err := b.cfg.Store.FindAccount(ctx, id); err != nil {
			return portal.FieldE("account", "err.account.nosuch", id).Wrap(err)
		}
		return nil
	}, func(account, name string) bool {
		if account == "" {
			account = hub
		}
		_, err := b.cfg.Store.FindUser(ctx, account, name)
		return err == nil
	})
}

// Start checks an upload again (a row that became bad since the preview
// is skipped) and enqueues a job for its good rows. The rows skipped come
// back with the job; a file with no good row is refused and nothing is
// enqueued.
func (b *Bulk) Start(ctx context.Context, a onboarding.Actor, csv string) (*store.Job, []RowProblem, error) {
	good, bad, err := b.Check(ctx, csv)
	if err == nil && len(good) == 0 {
		err = portal.FieldE("file", "err.bulk.none")
	}
	if err != nil {
		return nil, bad, err
	}
	j, err := b.Enqueue(ctx, a.Name, good)
	return j, bad, err
}

// Enqueue stores a bulk job for the validated rows of an upload.
func (b *Bulk) Enqueue(ctx context.Context, operator string, items []store.BulkItem) (*store.Job, error) {
	j := &store.Job{Kind: KindBulkOnboard, CreatedBy: operator, CreatedAt: b.cfg.Now()}
	if err := b.cfg.Store.CreateBulkJob(ctx, j, items); err != nil {
		return nil, err
	}
	return j, nil
}

// Handle runs (or resumes) a bulk job: every row not done yet, with at
// most Concurrency rows at once. At shutdown (Stopping) it finishes the
// rows in flight, starts no new one and returns ErrStopped, so the runner
// hands the job back with no saga cut in the middle; it returns ctx's error
// if cancelled before that.
func (b *Bulk) Handle(ctx context.Context, j *store.Job) error {
	items, err := b.cfg.Store.FindBulkItems(ctx, j.ID)
	if err != nil {
		return err
	}
	work := make(chan *store.BulkItem)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range b.cfg.Concurrency {
		wg.Go(func() {
			for it := range work {
				if err := b.row(ctx, j, it); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		})
	}
	stopping := Stopping(ctx)
	stopped := false
dispatch:
	for i := range items {
		it := &items[i]
		if it.Status == store.ItemDone || it.Status == store.ItemFailed {
			continue
		}
		select {
		case work <- it:
		case <-stopping:
			stopped = true
			break dispatch
		case <-ctx.Done():
			break dispatch
		}
	}
	close(work)
	wg.Wait()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case stopped || errors.Is(firstErr, ErrStopped):
		return ErrStopped
	case firstErr == nil:
		b.finished(ctx, j, items)
	}
	return firstErr
}

// finished records that every row of the job has an outcome (the
// bulk.finished webhook event announces it).
func (b *Bulk) finished(ctx context.Context, j *store.Job, items []store.BulkItem) {
	done, failed := 0, 0
	for _, it := range items {
		switch it.Status {
		case store.ItemDone:
			done++
		case store.ItemFailed:
			failed++
		}
	}
	b.audit.Record(ctx, portal.AuditEvent{Actor: j.CreatedBy, Action: "bulk.finish", TargetKind: portal.TargetJob,
		Target: strconv.FormatInt(j.ID, 10), Text: portal.T("audit.bulk.finish", done, failed), RequestID: fmt.Sprintf("job-%d", j.ID)})
}

// row onboards one row. The row is marked running before anything is
// created, so that after a crash a user found in the store is known to be
// this job's own and is resumed rather than reported as a duplicate.
func (b *Bulk) row(ctx context.Context, j *store.Job, it *store.BulkItem) error {
	ours := it.Status == store.ItemRunning
	if !ours {
		it.Status = store.ItemRunning
		if err := b.cfg.Store.UpdateBulkItem(ctx, it, b.cfg.Now()); err != nil {
			return err
		}
	}
	for attempt := 1; ; attempt++ {
		token, until, err := b.onboard(ctx, j, it, ours || attempt > 1)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil {
			it.Status, it.Text, it.Message, it.InviteUntil = store.ItemDone, portal.Text{}, "", until
			it.InviteSealed = nil
			if token != "" {
				it.InviteSealed = b.cfg.Box.Seal([]byte(token))
			}
			b.cfg.Observe(store.ItemDone)
			return b.cfg.Store.UpdateBulkItem(ctx, it, b.cfg.Now())
		}
		if !transient(err) || attempt >= 8 {
			it.Status, it.Text = store.ItemFailed, portal.ErrorTextOf(err)
			b.cfg.Observe(store.ItemFailed)
			return b.cfg.Store.UpdateBulkItem(ctx, it, b.cfg.Now())
		}
		b.cfg.Logger.WarnContext(ctx, "bulk row will be retried", "job", j.ID, "user", it.UserName, "attempt", attempt, "err", err)
		select {
		case <-time.After(min(time.Duration(attempt)*time.Second, 10*time.Second)):
		case <-Stopping(ctx):
			return ErrStopped // between attempts: a safe point
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// onboard runs the saga for a row, resuming whatever an earlier attempt of
// this job left, and returns the new invite token.
func (b *Bulk) onboard(ctx context.Context, j *store.Job, it *store.BulkItem, ours bool) (string, time.Time, error) {
	actor := onboarding.Actor{Name: j.CreatedBy, RequestID: fmt.Sprintf("job-%d", j.ID), Job: j.ID}
	account := it.Account
	if account == "" {
		account = b.cfg.Onboarding.Account()
	}
	ctx = onboarding.InAccount(ctx, account)
	u, err := b.cfg.Store.FindUser(ctx, account, it.UserName)
	switch {
	case portal.ErrorCode(err) == portal.ENOTFOUND:
		h, err := b.cfg.Onboarding.Onboard(ctx, actor, portal.NewUser{Account: account, UserName: it.UserName, DisplayName: it.DisplayName,
			Email: it.Email, Deadline: it.Deadline})
		if err != nil {
			return "", time.Time{}, err
		}
		return h.InviteToken, h.InviteUntil, nil
	case err != nil:
		return "", time.Time{}, err
	case !ours || u.CreatedBy != j.CreatedBy || u.CreatedAt.Before(j.CreatedAt.Truncate(time.Millisecond)):
		// (Stored times have millisecond precision; the job's may be finer.)
		return "", time.Time{}, portal.E(portal.ECONFLICT, "err.user.managed", it.UserName)
	case u.State == portal.StateProvisioning:
		h, err := b.cfg.Onboarding.Resume(ctx, actor, it.UserName)
		if err != nil {
			return "", time.Time{}, err
		}
		return h.InviteToken, h.InviteUntil, nil
	case u.State == portal.StateInvited:
		// The saga finished but the crash lost its token before the row
		// recorded it: issue a fresh invite, which revokes the lost one,
		// so the user still has exactly one valid invite.
		token, hash := portal.NewToken()
		now := b.cfg.Now()
		inv := &portal.Invite{UserID: u.ID, TokenHash: hash, CreatedAt: now, ExpiresAt: now.Add(b.cfg.InviteTTL)}
		if err := b.cfg.Store.IssueInvite(ctx, inv); err != nil {
			return "", time.Time{}, err
		}
		return token, inv.ExpiresAt, nil
	}
	return "", time.Time{}, nil // claimed already: nothing to hand out
}

// transient reports whether an error may go away on retry (throttling that
// outlasted the SDK's retries, server errors, timeouts).
func transient(err error) bool {
	if onboarding.Unreachable(err) {
		return false // the account's role cannot be assumed: the row fails with the reason, the others go on
	}
	switch portal.ErrorReason(err) {
	case onboarding.ReasonSagaRunning, // a person's Retry is at this row's saga
		"Throttling", "ThrottlingException", "ServiceFailure", "ServiceUnavailable", "ConcurrentModification", "EntityTemporarilyUnmodifiable":
		return true
	}
	switch portal.ErrorCode(err) {
	case portal.EUNAVAILABLE, portal.EINTERNAL, portal.ETOOMANY:
		return true
	}
	return false
}

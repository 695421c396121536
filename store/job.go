package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Job states.
const (
	JobQueued  = "queued"  // waiting for a replica to claim it
	JobRunning = "running" // claimed; holder keeps lease_until in the future
	JobDone    = "done"
	JobFailed  = "failed"
)

// Job is a durable background job. Payload is the job kind's own JSON.
type Job struct {
	ID           int64
	Kind         string
	State        string
	Payload      string
	Holder       string
	LeaseUntil   time.Time
	Attempts     int
	LastError    string
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	FinishedAt   time.Time
	DownloadedAt time.Time
	// RunAfter is when a queued job is due (a retry's back-off); zero for
	// at once.
	RunAfter time.Time
}

const jobCols = `id, kind, state, payload, holder, lease_until, attempts, last_error, created_by, created_at, updated_at, finished_at, downloaded_at, run_after`

func scanJob(row interface{ Scan(...any) error }) (*Job, error) {
	var j Job
	var lease, created, updated, finished, downloaded, runAfter int64
	if err := row.Scan(&j.ID, &j.Kind, &j.State, &j.Payload, &j.Holder, &lease, &j.Attempts, &j.LastError, &j.CreatedBy,
		&created, &updated, &finished, &downloaded, &runAfter); err != nil {
		return nil, fmt.Errorf("read job: %w", err)
	}
	j.LeaseUntil, j.CreatedAt, j.UpdatedAt, j.FinishedAt, j.DownloadedAt = fromMS(lease), fromMS(created), fromMS(updated), fromMS(finished), fromMS(downloaded)
	j.RunAfter = fromMS(runAfter)
	return &j, nil
}

// CreateJob enqueues j (state queued) and sets its ID.
func (s *Store) CreateJob(ctx context.Context, j *Job) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.insertJob(ctx, tx, j) })
}

func (s *Store) insertJob(ctx context.Context, tx *sql.Tx, j *Job) error {
	j.State = JobQueued
	return tx.QueryRowContext(ctx, s.q(`INSERT INTO jobs (kind, state, payload, created_by, created_at, updated_at, run_after)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), j.Kind, j.State, j.Payload, j.CreatedBy, ms(j.CreatedAt), ms(j.CreatedAt), ms(j.RunAfter)).Scan(&j.ID)
}

// FindJob returns a job by ID.
func (s *Store) FindJob(ctx context.Context, id int64) (*Job, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, s.q(`SELECT `+jobCols+` FROM jobs WHERE id = ?`), id))
	return j, notFound(err, "err.job.nosuch")
}

// ClaimJob gives holder the oldest job of one of kinds that is queued (and
// due: see RetryJob) or whose holder's lease expired before now, with a
// lease until now+lease. It returns ENOTFOUND when there is nothing to do.
//
// The claim is one conditional UPDATE that re-checks the claimable condition
// on the row itself. Two replicas racing for the same row cannot both win:
// SQLite serialises writers, and PostgreSQL re-evaluates the WHERE clause on
// the locked row after the first UPDATE commits (READ COMMITTED), so the
// loser updates zero rows and tries again.
func (s *Store) ClaimJob(ctx context.Context, holder string, kinds []string, lease time.Duration, now time.Time) (*Job, error) {
	if len(kinds) == 0 {
		return nil, notFound(sql.ErrNoRows, "err.job.nosuch")
	}
	in := placeholders(len(kinds))
	claimable := `((state = 'queued' AND run_after <= ?) OR (state = 'running' AND lease_until < ?)) AND kind IN (` + in + `)`
	args := []any{holder, ms(now.Add(lease)), ms(now), ms(now), ms(now)}
	for _, k := range kinds {
		args = append(args, k)
	}
	args = append(args, ms(now), ms(now))
	for _, k := range kinds {
		args = append(args, k)
	}
	j, err := scanJob(s.db.QueryRowContext(ctx, s.q(`UPDATE jobs SET state = 'running', holder = ?, lease_until = ?,
		attempts = attempts + 1, updated_at = ?
		WHERE `+claimable+` AND id = (SELECT id FROM jobs WHERE `+claimable+` ORDER BY id LIMIT 1)
		RETURNING `+jobCols), args...))
	return j, notFound(err, "err.job.nosuch")
}

// HeartbeatJob extends holder's lease on job id. It returns false when the
// holder lost the job (its lease expired and another replica took it).
func (s *Store) HeartbeatJob(ctx context.Context, id int64, holder string, lease time.Duration, now time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE jobs SET lease_until = ?, updated_at = ? WHERE id = ? AND holder = ? AND state = 'running'`),
		ms(now.Add(lease)), ms(now), id, holder)
	if err != nil {
		return false, fmt.Errorf("heartbeat job %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FinishJob records the end of holder's job: state JobDone or JobFailed with
// msg. It is a no-op for a holder that lost the job.
func (s *Store) FinishJob(ctx context.Context, id int64, holder, state, msg string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE jobs SET state = ?, last_error = ?, holder = '', lease_until = 0, updated_at = ?, finished_at = ?
		WHERE id = ? AND holder = ? AND state = 'running'`), state, msg, ms(now), ms(now), id, holder)
	return wrapErr(err, "finish job %d", id)
}

// ReleaseJob hands holder's unfinished job back to the queue (at shutdown),
// so another replica can continue it at once instead of after the lease.
func (s *Store) ReleaseJob(ctx context.Context, id int64, holder string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE jobs SET state = 'queued', holder = '', lease_until = 0, updated_at = ?
		WHERE id = ? AND holder = ? AND state = 'running'`), ms(now), id, holder)
	return wrapErr(err, "release job %d", id)
}

// RetryJob hands holder's job back to the queue to run again at after (a
// retry with back-off), recording why this attempt failed. It is a no-op
// for a holder that lost the job.
func (s *Store) RetryJob(ctx context.Context, id int64, holder string, after time.Time, msg string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, s.q(`UPDATE jobs SET state = 'queued', holder = '', lease_until = 0, run_after = ?, last_error = ?, updated_at = ?
		WHERE id = ? AND holder = ? AND state = 'running'`), ms(after), msg, ms(now), id, holder)
	return wrapErr(err, "retry job %d", id)
}

// CountJobs returns the number of jobs by state, for metrics.
func (s *Store) CountJobs(ctx context.Context) (map[string]int, error) {
	return s.countBy(ctx, `SELECT state, COUNT(*) FROM jobs GROUP BY state`)
}

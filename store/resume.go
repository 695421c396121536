package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/portal"
)

// JobResume is the job kind that resumes one interrupted onboarding saga;
// its payload is the user's ID.
const JobResume = "onboarding_resume"

// QueueResumeJobs queues a JobResume job for every onboarding that looks
// stuck: the user is still provisioning, neither the record nor any of its
// saga steps changed after staleBefore, and no bulk job that is still
// queued or running owns the row (that job resumes its own sagas). A user
// gets at most one such job while it is queued or running, and none once
// one failed (gave up): then the saga waits for a person's Retry. It
// returns how many jobs it queued.
//
// One INSERT … SELECT, so the check and the insert see the same rows; two
// replicas sweeping at the same moment are kept apart by the caller's lease.
func (s *Store) QueueResumeJobs(ctx context.Context, staleBefore, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO jobs (kind, state, payload, created_by, created_at, updated_at)
		SELECT '`+JobResume+`', 'queued', CAST(u.id AS TEXT), 'system', CAST(? AS BIGINT), CAST(? AS BIGINT)
		FROM users u
		WHERE u.state = 'provisioning' AND u.updated_at <= ?
		AND NOT EXISTS (SELECT 1 FROM onboarding_steps st WHERE st.user_id = u.id AND st.updated_at > ?)
		AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = '`+JobResume+`' AND j.payload = CAST(u.id AS TEXT)
			AND j.state IN ('queued', 'running', 'failed'))
		AND NOT EXISTS (SELECT 1 FROM bulk_items b JOIN jobs bj ON bj.id = b.job_id
			WHERE b.user_name = u.user_name AND bj.state IN ('queued', 'running'))
		ORDER BY u.id`), ms(now), ms(now), ms(staleBefore), ms(staleBefore))
	if err != nil {
		return 0, wrapErr(err, "queue resume jobs")
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// InBulkJob reports whether a bulk job that is still queued or running has
// a row for userName: that job resumes the user's saga itself.
func (s *Store) InBulkJob(ctx context.Context, userName string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM bulk_items b JOIN jobs bj ON bj.id = b.job_id
		WHERE b.user_name = ? AND bj.state IN ('queued', 'running')`), userName).Scan(&n)
	return n > 0, wrapErr(err, "bulk rows of %s", userName)
}

// InFlight is an onboarding that has not finished: what the helpdesk sees
// of it.
type InFlight struct {
	UserID   int64
	UserName string
	// AccountID is the user's AWS account.
	AccountID string
	Since     time.Time // the record's creation
	// Step is the first step not done, with its attempts, when it last
	// changed and why its last attempt failed (empty while none failed).
	Step      string
	Attempts  int
	UpdatedAt time.Time
	LastError portal.Text
	// Resume is the newest automatic resume job of the user, nil if none
	// was queued.
	Resume *Job
}

// FindInFlight returns up to limit unfinished onboardings of account ("":
// every account), oldest first, and how many there are in all. steps names
// the saga's steps in order.
// It runs on every dashboard request, in four queries whatever limit is: the
// count, the page of users, the steps of all of them and their resume jobs
// (one query each for the whole page; it was two per row). The users (state,
// created_at, id), onboarding_steps (user_id, step) and jobs (kind, payload,
// id) indexes serve them (plan_test checks).
const (
	inFlightQuery = `SELECT id, user_name, account_id, created_at FROM users WHERE state = 'provisioning' ORDER BY created_at, id LIMIT ?`
	// inFlightAccountQuery is inFlightQuery for one account (the account
	// twice, then the limit): the same index in the same order, the
	// account tested on each row.
	inFlightAccountQuery = `SELECT id, user_name, account_id, created_at FROM users WHERE state = 'provisioning' AND ` + inAccount + ` ORDER BY created_at, id LIMIT ?`
	// inFlightStepsQuery and resumeJobsQuery end in an IN list of as many
	// placeholders as the page has users (inList).
	inFlightStepsQuery = `SELECT user_id, step, status, attempts, last_error_text, updated_at FROM onboarding_steps WHERE user_id IN `
	resumeJobsQuery    = `SELECT ` + jobCols + ` FROM jobs WHERE kind = ? AND payload IN `
	resumeJobQuery     = `SELECT ` + jobCols + ` FROM jobs WHERE kind = ? AND payload = ? ORDER BY id DESC LIMIT 1`
)

// inList is "(?, ?, …)" with n placeholders (n ≥ 1).
func inList(n int) string {
	return "(" + strings.Repeat("?, ", n-1) + "?)"
}

func (s *Store) FindInFlight(ctx context.Context, account string, steps []string, limit int) ([]InFlight, int, error) {
	query, args := inFlightQuery, []any{}
	if account != "" {
		query, args = inFlightAccountQuery, []any{account, account}
	}
	// Of every account, the count comes from the status counts' cache
	// (CountInState): a COUNT(*) of every provisioning user (2,000 in the
	// benchmark) on every dashboard was most of this list's cost
	// (docs/benchmarks.md, "Page CPU per request"). One account's is
	// counted.
	var total int
	var err error
	if account == "" {
		total, err = s.CountInState(ctx, portal.StateProvisioning)
	} else {
		err = s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM users WHERE state = 'provisioning' AND `+inAccount), args...).Scan(&total)
	}
	if err != nil {
		return nil, 0, wrapErr(err, "count onboardings in flight")
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), append(args, limit)...)
	if err != nil {
		return nil, 0, wrapErr(err, "find onboardings in flight")
	}
	var out []InFlight
	for rows.Next() {
		var f InFlight
		var created int64
		if err := rows.Scan(&f.UserID, &f.UserName, &f.AccountID, &created); err != nil {
			rows.Close()
			return nil, 0, wrapErr(err, "find onboardings in flight")
		}
		f.Since = fromMS(created)
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, total, wrapErr(err, "find onboardings in flight")
	}
	ids := make([]any, len(out))
	payloads := make([]any, 1, len(out)+1)
	payloads[0] = JobResume
	for i, f := range out {
		ids[i] = f.UserID
		payloads = append(payloads, strconv.FormatInt(f.UserID, 10))
	}
	rec, err := s.stepsOf(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	resume, err := s.newestJobs(ctx, s.q(resumeJobsQuery+inList(len(out))), payloads)
	if err != nil {
		return nil, 0, wrapErr(err, "resume jobs of onboardings in flight")
	}
	for i := range out {
		f := &out[i]
		f.UpdatedAt = f.Since
		for _, name := range steps {
			if st, ok := rec[f.UserID][name]; !ok || st.Status != StepDone {
				f.Step, f.Attempts, f.LastError = name, st.Attempts, st.LastErrorText
				if ok {
					f.UpdatedAt = st.UpdatedAt
				}
				break
			}
		}
		f.Resume = resume[strconv.FormatInt(f.UserID, 10)]
	}
	return out, total, nil
}

// stepsOf returns the saga steps of the users ids, by user and step.
func (s *Store) stepsOf(ctx context.Context, ids []any) (map[int64]map[string]Step, error) {
	rows, err := s.db.QueryContext(ctx, s.q(inFlightStepsQuery+inList(len(ids))), ids...)
	if err != nil {
		return nil, wrapErr(err, "steps of onboardings in flight")
	}
	defer rows.Close()
	out := map[int64]map[string]Step{}
	for rows.Next() {
		var user, updated int64
		var st Step
		if err := rows.Scan(&user, &st.Name, &st.Status, &st.Attempts, textCol{&st.LastErrorText}, &updated); err != nil {
			return nil, wrapErr(err, "steps of onboardings in flight")
		}
		st.UpdatedAt = fromMS(updated)
		if out[user] == nil {
			out[user] = map[string]Step{}
		}
		out[user][st.Name] = st
	}
	return out, wrapErr(rows.Err(), "steps of onboardings in flight")
}

// newestJobs runs query (jobs) and keeps the newest job of each payload.
func (s *Store) newestJobs(ctx context.Context, query string, args []any) (map[string]*Job, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*Job{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		if old := out[j.Payload]; old == nil || old.ID < j.ID {
			out[j.Payload] = j
		}
	}
	return out, rows.Err()
}

// FindResumeJob returns the newest JobResume job of a user.
func (s *Store) FindResumeJob(ctx context.Context, userID int64) (*Job, error) {
	j, err := scanJob(s.db.QueryRowContext(ctx, s.q(resumeJobQuery),
		JobResume, strconv.FormatInt(userID, 10)))
	return j, notFound(wrapErr(err, "resume job of user %d", userID), "err.job.nosuch")
}

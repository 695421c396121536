package store

import (
	"context"
	"time"
)

// JobPostureReport is the job kind that e-mails the weekly posture summary
// to one recipient; its payload is onboarding's JSON naming the week, the
// address and the language.
const JobPostureReport = "posture_report"

// QueueJobOnce enqueues a job of kind with payload unless one with the same
// kind and payload exists already, in any state (a week's report to one
// recipient is sent once, even after it failed for good). It reports
// whether it queued one.
//
// One INSERT … SELECT, so the check and the insert see the same rows; two
// replicas queueing at the same moment are kept apart by the caller's lease
// (on SQLite writers are serialised anyway).
func (s *Store) QueueJobOnce(ctx context.Context, kind, payload, createdBy string, now time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, s.q(`INSERT INTO jobs (kind, state, payload, created_by, created_at, updated_at)
		SELECT CAST(? AS TEXT), 'queued', CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT)
		WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE kind = ? AND payload = ?)`),
		kind, payload, createdBy, ms(now), ms(now), kind, payload)
	if err != nil {
		return false, wrapErr(err, "queue %s job", kind)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

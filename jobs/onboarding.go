package jobs

import (
	"context"
	"time"

	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
)

// The handlers of the jobs the onboarding service queues. Each job's payload
// is the id of what it works on.

// Notices returns the handler of store.JobNotice jobs: one delivery attempt
// of a queued e-mail notice (onboarding.DeliverNotice), run again with
// back-off while the mail server does not take it.
func Notices(onb *onboarding.Service) Handler {
	return retrying(func(ctx context.Context, j *store.Job, noticeID int64) (time.Duration, error) {
		return onb.DeliverNotice(ctx, noticeID, j.Attempts)
	})
}

// Resumes returns the handler of store.JobResume jobs: one automatic
// attempt to finish an interrupted onboarding (onboarding.ResumeStuck),
// run again with back-off until it finishes or gives up.
func Resumes(onb *onboarding.Service) Handler {
	return retrying(func(ctx context.Context, j *store.Job, userID int64) (time.Duration, error) {
		return onb.ResumeStuck(ctx, j.ID, userID, j.Attempts)
	})
}

// PostureReports returns the handler of store.JobPostureReport jobs: one
// attempt at e-mailing the weekly posture report to the recipient the
// payload names (onboarding.DeliverPostureReport), run again with back-off
// while the mail server does not take it.
func PostureReports(onb *onboarding.Service) Handler {
	return func(ctx context.Context, j *store.Job) error {
		retryIn, err := onb.DeliverPostureReport(ctx, j.Payload, j.Attempts)
		if retryIn > 0 {
			return &RetryError{After: retryIn, Err: err}
		}
		return err
	}
}

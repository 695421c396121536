package jobs

import (
	"context"
	"strconv"

	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
)

// Resumes returns the handler of store.JobResume jobs: one automatic
// attempt to finish an interrupted onboarding (onboarding.ResumeStuck),
// run again with back-off until it finishes or gives up.
func Resumes(onb *onboarding.Service) Handler {
	return func(ctx context.Context, j *store.Job) error {
		userID, err := strconv.ParseInt(j.Payload, 10, 64)
		if err != nil {
			return err // not ours to retry: a malformed job fails for good
		}
		retryIn, err := onb.ResumeStuck(ctx, j.ID, userID, j.Attempts)
		if retryIn > 0 {
			return &RetryError{After: retryIn, Err: err}
		}
		return err
	}
}

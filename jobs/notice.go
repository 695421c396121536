package jobs

import (
	"context"
	"strconv"

	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
)

// Notices returns the handler of store.JobNotice jobs: one delivery attempt
// of a queued e-mail notice (onboarding.DeliverNotice), run again with
// back-off while the mail server does not take it.
func Notices(onb *onboarding.Service) Handler {
	return func(ctx context.Context, j *store.Job) error {
		id, err := strconv.ParseInt(j.Payload, 10, 64)
		if err != nil {
			return err // not ours to retry: a malformed job fails for good
		}
		retryIn, err := onb.DeliverNotice(ctx, id, j.Attempts)
		if retryIn > 0 {
			return &RetryError{After: retryIn, Err: err}
		}
		return err
	}
}

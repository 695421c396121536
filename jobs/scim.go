package jobs

import (
	"context"
	"time"

	"github.com/gatehouse/portal/scim"
	"github.com/gatehouse/portal/store"
)

// scimRemovalAttempts bounds the automatic attempts of a SCIM removal; the
// audit log shows each failure, and an admin can offboard by hand.
const scimRemovalAttempts = 8

// SCIMRemovals returns the handler of store.JobSCIMRemove jobs (payload:
// the user ID): the offboarding of a user an identity provider deleted,
// once its grace period has passed (scim.Service.RunRemoval), retried with
// back-off while IAM fails.
func SCIMRemovals(svc *scim.Service) Handler {
	return retrying(func(ctx context.Context, j *store.Job, userID int64) (time.Duration, error) {
		err := svc.RunRemoval(ctx, j.ID, userID)
		if err != nil && j.Attempts < scimRemovalAttempts {
			return time.Minute << min(j.Attempts, 6), err
		}
		return 0, err
	})
}

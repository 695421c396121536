package jobs

import (
	"context"
	"time"

	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/webhook"
)

// Webhooks returns the handler of store.JobWebhook jobs (payload: the
// delivery ID): one attempt at sending an event to an endpoint
// (webhook.Service.Deliver), run again with exponential back-off until the
// receiver takes it or the attempts run out.
func Webhooks(svc *webhook.Service) Handler {
	return retrying(func(ctx context.Context, j *store.Job, deliveryID int64) (time.Duration, error) {
		return svc.Deliver(ctx, deliveryID, j.Attempts)
	})
}

package awsiam

import (
	"context"
	"time"

	"github.com/aws/smithy-go/middleware"
)

// DefaultCallTimeout bounds one IAM or STS call, all its retries included,
// unless Config.CallTimeout says otherwise. IAM answers in well under a
// second; three attempts with the SDK's back-off fit easily. A call that
// takes longer is a hung connection or an IAM outage, and the person
// waiting for the page is better served by a clear "IAM did not answer"
// than by a browser spinner (the page as a whole has a budget too, see
// handlers.DefaultPageBudget).
const DefaultCallTimeout = 10 * time.Second

// deadlineMiddleware gives every call a deadline of d (DefaultCallTimeout
// when d is 0). It sits first in the Initialize step, outside the retry
// loop, so the deadline covers every attempt and back-off of one call.
func deadlineMiddleware(d time.Duration) func(*middleware.Stack) error {
	if d <= 0 {
		d = DefaultCallTimeout
	}
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("GatehouseCallDeadline",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				ctx, cancel := context.WithTimeout(ctx, d)
				defer cancel()
				return next.HandleInitialize(ctx, in)
			}), middleware.Before)
	}
}

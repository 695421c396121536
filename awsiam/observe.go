package awsiam

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmw "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// ObserveFunc is told every IAM or STS call once it ended (after all its
// retries): the action, "ok" or the AWS error code (or "transport"), and the
// time it took. Metrics hang off it; awsiam itself knows no metrics library.
type ObserveFunc func(action, outcome string, d time.Duration)

// retryer is the SDK's adaptive retry mode: on throttling it not only backs
// off per call but also lowers the client's own send rate, so a bulk job
// slows down to what IAM allows instead of failing users. The SDK's retry
// quota (a token bucket that stops retrying after many failures) is turned
// off: under sustained throttling it would turn "slow" into "failed", which
// is the opposite of what a bulk job wants; MaxAttempts still bounds every
// call.
func retryer(maxAttempts int) func() aws.Retryer {
	return func() aws.Retryer {
		return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
			o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
				so.RateLimiter = ratelimit.None
				if maxAttempts > 0 {
					so.MaxAttempts = maxAttempts
				}
				so.MaxBackoff = 5 * time.Second
			})
		})
	}
}

// observeMiddleware reports each call to fn. It sits in the Initialize step,
// outside the retry loop, so one call is one observation whatever its
// attempts.
func observeMiddleware(fn ObserveFunc) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("GatehouseObserve",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				start := time.Now()
				out, md, err := next.HandleInitialize(ctx, in)
				fn(awsmw.GetOperationName(ctx), outcomeOf(err), time.Since(start))
				return out, md, err
			}), middleware.After)
	}
}

func outcomeOf(err error) string {
	if err == nil {
		return "ok"
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "canceled"
	}
	return "transport"
}

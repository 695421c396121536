package awsiam

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/aws/smithy-go"

	"github.com/gatehouse/portal"
)

// IAM error codes callers branch on (through portal.ErrorReason).
const (
	CodeNoSuchEntity              = "NoSuchEntity"
	CodeEntityAlreadyExists       = "EntityAlreadyExists"
	CodeInvalidAuthenticationCode = "InvalidAuthenticationCode"
	CodeLimitExceeded             = "LimitExceeded"
	CodeDeleteConflict            = "DeleteConflict"
)

// mapErr turns an SDK error into a *portal.Error whose Reason is the IAM
// error code and whose Err is the SDK error itself, so callers inside this
// package can still errors.As it to smithy.APIError and logs show it. People
// read a message by key (per IAM error code); IAM's own English message is
// shown only for input IAM rejected, where it names what to fix.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	wrap := fmt.Errorf("iam:%s: %w", op, err)
	var api smithy.APIError
	if !errors.As(err, &api) {
		switch {
		case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			return portal.E(portal.EUNAVAILABLE, "err.iam.timeout").Wrap(wrap)
		case isNoCredentials(err):
			return portal.E(portal.EUNAVAILABLE, "err.iam.nocreds").Wrap(wrap)
		}
		var ne net.Error
		if errors.As(err, &ne) || strings.Contains(err.Error(), "connection refused") {
			return portal.E(portal.EUNAVAILABLE, "err.iam.unreachable").Wrap(wrap)
		}
		return portal.E(portal.EINTERNAL, "error.internal").Wrap(wrap)
	}
	code := api.ErrorCode()
	var e *portal.Error
	switch code {
	case CodeNoSuchEntity:
		e = portal.E(portal.ENOTFOUND, "err.iam.nosuchentity")
	case CodeEntityAlreadyExists:
		e = portal.E(portal.ECONFLICT, "err.iam.exists")
	case CodeLimitExceeded:
		e = portal.E(portal.ECONFLICT, "err.iam.limit")
	case CodeDeleteConflict:
		e = portal.E(portal.ECONFLICT, "err.iam.deleteconflict")
	case "ConcurrentModification", "EntityTemporarilyUnmodifiable":
		e = portal.E(portal.ECONFLICT, "err.iam.busy")
	case CodeInvalidAuthenticationCode:
		e = portal.E(portal.EINVALID, "err.iam.badcode")
	case "ValidationError", "InvalidInput", "MalformedPolicyDocument", "PasswordPolicyViolation":
		e = portal.E(portal.EINVALID, "err.iam.invalid", api.ErrorMessage())
	case "AccessDenied", "AccessDeniedException":
		e = portal.E(portal.EFORBIDDEN, "err.iam.denied", op)
	case "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "MissingAuthenticationToken", "UnrecognizedClientException":
		e = portal.E(portal.EUNAVAILABLE, "err.iam.creds", code)
	case "Throttling", "ThrottlingException":
		e = portal.E(portal.EUNAVAILABLE, "err.iam.throttled")
	default:
		e = portal.E(portal.EUNAVAILABLE, "err.iam.problem", code)
	}
	return e.WithReason(code).Wrap(wrap)
}

// isNoCredentials reports whether err says the SDK found no credentials.
func isNoCredentials(err error) bool {
	m := err.Error()
	return strings.Contains(m, "failed to retrieve credentials") || strings.Contains(m, "no EC2 IMDS role found") ||
		strings.Contains(m, "failed to refresh cached credentials")
}

// retryNotFound runs call until it succeeds, fails with something other than
// NoSuchEntity, or wait has passed. IAM is eventually consistent: a user
// created a moment ago can be invisible to the next call (iam-api.md §12.1).
func retryNotFound(ctx context.Context, wait time.Duration, call func() error) error {
	deadline := time.Now().Add(wait)
	delay := 100 * time.Millisecond
	for {
		err := call()
		if portal.ErrorReason(err) != CodeNoSuchEntity || time.Now().Add(delay).After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(delay):
		}
		if delay < 2*time.Second {
			delay *= 2
		}
	}
}

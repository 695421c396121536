package awsiam

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

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
	// ReasonUnreachable marks a call in a member account whose role could
	// not be assumed.
	ReasonUnreachable = "AccountUnreachable"
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
	if e := assumeRoleErr(err); e != nil {
		// A member account's role could not be assumed: the account is
		// unreachable, whatever the call was.
		return portal.E(portal.EUNAVAILABLE, "err.account.unreachable", portal.T(e.Key, e.Args...)).WithReason(ReasonUnreachable).Wrap(wrap)
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		if isNoCredentials(err) {
			return portal.E(portal.EUNAVAILABLE, "err.iam.nocreds").Wrap(wrap)
		}
		return transportErr(op, err, wrap)
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

// transportErr explains a call that got no IAM answer at all, in words an
// operator can act on: IAM too slow (the call's deadline, see deadline.go),
// the connection dropped before the answer (IAM may have acted), no
// connection at all, or an HTTP answer that is not IAM's (a proxy's 502).
// The cause stays in Err for logs.
func transportErr(op string, err, wrap error) error {
	var resp *awshttp.ResponseError
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return portal.E(portal.EUNAVAILABLE, "err.iam.timeout").Wrap(wrap)
	case errors.Is(err, context.Canceled):
		return portal.E(portal.EUNAVAILABLE, "err.iam.canceled").Wrap(wrap)
	case errors.As(err, &resp) && resp.HTTPStatusCode() != 0:
		return portal.E(portal.EUNAVAILABLE, "err.iam.status", resp.HTTPStatusCode()).Wrap(wrap)
	case errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) || isDial(err):
		return portal.E(portal.EUNAVAILABLE, "err.iam.unreachable").Wrap(wrap)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE):
		return portal.E(portal.EUNAVAILABLE, "err.iam.dropped").Wrap(wrap)
	case errors.As(err, &ne):
		return portal.E(portal.EUNAVAILABLE, "err.iam.unreachable").Wrap(wrap)
	}
	return portal.E(portal.EINTERNAL, "error.internal").Wrap(wrap) // not a transport problem: a bug, logged with its cause
}

// isDial reports whether err failed while connecting (DNS, dial).
func isDial(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &dns) || (errors.As(err, &op) && op.Op == "dial")
}

// isNoCredentials reports whether err says the SDK found no credentials.
func isNoCredentials(err error) bool {
	m := err.Error()
	return strings.Contains(m, "failed to retrieve credentials") || strings.Contains(m, "no EC2 IMDS role found") ||
		strings.Contains(m, "failed to refresh cached credentials")
}

// retryNotFound runs call until it succeeds, fails with something other than
// NoSuchEntity, or wait has passed. IAM is eventually consistent: a user
// created a moment ago can be invisible to the next call
// (docs/iam-notes.md#eventual-consistency).
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

package awsiam

import (
	"context"
	"errors"
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
// error code. IAM's own message is shown for client errors (it names the
// entity and is safe); server and transport errors get a generic text.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return &portal.Error{Code: portal.EUNAVAILABLE, Message: "AWS IAM did not answer in time. Please try again.", Reason: op + ": " + err.Error()}
		}
		if isNoCredentials(err) {
			return &portal.Error{Code: portal.EUNAVAILABLE, Message: "Gatehouse has no AWS credentials configured.", Reason: op + ": " + err.Error()}
		}
		var ne net.Error
		if errors.As(err, &ne) || strings.Contains(err.Error(), "connection refused") {
			return &portal.Error{Code: portal.EUNAVAILABLE, Message: "Gatehouse could not reach AWS IAM. Please try again in a moment.", Reason: op + ": " + err.Error()}
		}
		return &portal.Error{Code: portal.EINTERNAL, Message: "Unexpected error from AWS IAM.", Reason: op + ": " + err.Error()}
	}
	code, msg := api.ErrorCode(), api.ErrorMessage()
	e := &portal.Error{Reason: code, Message: msg}
	switch code {
	case CodeNoSuchEntity:
		e.Code = portal.ENOTFOUND
	case CodeEntityAlreadyExists, CodeLimitExceeded, CodeDeleteConflict, "ConcurrentModification", "EntityTemporarilyUnmodifiable":
		e.Code = portal.ECONFLICT
	case CodeInvalidAuthenticationCode, "ValidationError", "InvalidInput", "MalformedPolicyDocument", "PasswordPolicyViolation":
		e.Code = portal.EINVALID
	case "AccessDenied", "AccessDeniedException":
		e.Code, e.Message = portal.EFORBIDDEN, "Gatehouse's AWS credentials are not allowed to call iam:"+op+". Check the IAM permissions of the identity Gatehouse runs as."
	case "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "MissingAuthenticationToken", "UnrecognizedClientException":
		e.Code, e.Message = portal.EUNAVAILABLE, "AWS rejected Gatehouse's credentials ("+code+"). Check the configured AWS credentials."
	case "Throttling", "ThrottlingException":
		e.Code, e.Message = portal.EUNAVAILABLE, "AWS IAM is throttling requests right now. Please try again in a minute."
	default:
		e.Code, e.Message = portal.EUNAVAILABLE, "AWS IAM reported a problem ("+code+"). Please try again."
	}
	if e.Message == "" {
		e.Message = code
	}
	return e
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

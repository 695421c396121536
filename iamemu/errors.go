package iamemu

import (
	"fmt"
	"net/http"
)

// apiError is an AWS Query error answered as <ErrorResponse>.
type apiError struct {
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// errorStatus is the HTTP status of each code, from the IAM model and the
// codes AWS sends outside it (docs/iam-notes.md#error-codes). Codes not
// listed answer 400.
var errorStatus = map[string]int{
	"NoSuchEntity":                  http.StatusNotFound,
	"EntityAlreadyExists":           http.StatusConflict,
	"EntityTemporarilyUnmodifiable": http.StatusConflict,
	"LimitExceeded":                 http.StatusConflict,
	"DeleteConflict":                http.StatusConflict,
	"ConcurrentModification":        http.StatusConflict,
	"InvalidInput":                  http.StatusBadRequest,
	"MalformedPolicyDocument":       http.StatusBadRequest,
	"PasswordPolicyViolation":       http.StatusBadRequest,
	"InvalidAuthenticationCode":     http.StatusForbidden,
	"InvalidUserType":               http.StatusBadRequest,
	"PolicyNotAttachable":           http.StatusBadRequest,
	"PolicyEvaluation":              http.StatusInternalServerError,
	"NotSupportedService":           http.StatusNotFound,
	"ReportNotPresent":              http.StatusGone,
	"ReportExpired":                 http.StatusGone,
	"ReportInProgress":              http.StatusNotFound, // sic: 404 in the model
	"ServiceFailure":                http.StatusInternalServerError,
	"ServiceUnavailable":            http.StatusServiceUnavailable,
	"DuplicateSSHPublicKey":         http.StatusBadRequest,
	"UnrecognizedPublicKeyEncoding": http.StatusBadRequest,
	"InvalidPublicKey":              http.StatusBadRequest,
	"MalformedCertificate":          http.StatusBadRequest,
	"InvalidCertificate":            http.StatusBadRequest,
	"DuplicateCertificate":          http.StatusConflict,
	"ValidationError":               http.StatusBadRequest,
	"Throttling":                    http.StatusBadRequest,
	"AccessDenied":                  http.StatusForbidden,
	"InvalidClientTokenId":          http.StatusForbidden,
	"SignatureDoesNotMatch":         http.StatusForbidden,
	"MissingAuthenticationToken":    http.StatusForbidden,
	"IncompleteSignature":           http.StatusBadRequest,
	"ExpiredToken":                  http.StatusForbidden,
	"InvalidAction":                 http.StatusBadRequest,
	"MissingParameter":              http.StatusBadRequest,
}

// defaultMessages are used by FailNext for injected errors.
var defaultMessages = map[string]string{
	"Throttling":                    "Rate exceeded",
	"ServiceFailure":                "We encountered an internal error. Please try again.",
	"EntityTemporarilyUnmodifiable": "The entity cannot be modified right now. Try again later.",
	"ConcurrentModification":        "Concurrent modification detected. Try again.",
}

func statusOf(code string) int {
	if s, ok := errorStatus[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// faultType is "Receiver" for server-side errors and "Sender" otherwise.
func faultType(code string) string {
	if statusOf(code) >= 500 {
		return "Receiver"
	}
	return "Sender"
}

func errf(code, format string, args ...any) *apiError {
	return &apiError{Code: code, Message: fmt.Sprintf(format, args...)}
}

func noSuchUser(name string) *apiError {
	return errf("NoSuchEntity", "The user with name %s cannot be found.", name)
}

func validationErr(msgs ...string) *apiError {
	noun := "validation error"
	if len(msgs) > 1 {
		noun = "validation errors"
	}
	msg := fmt.Sprintf("%d %s detected: ", len(msgs), noun)
	for i, m := range msgs {
		if i > 0 {
			msg += "; "
		}
		msg += m
	}
	return &apiError{Code: "ValidationError", Message: msg}
}

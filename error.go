package portal

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in handlers; the list is short on
// purpose (benbjohnson/wtf): callers branch on the code, people read Message.
const (
	ECONFLICT     = "conflict"          // the thing exists already or is in the wrong state
	EINTERNAL     = "internal"          // a bug or an unexpected failure; never shown verbatim
	EINVALID      = "invalid"           // bad input; Message says what to fix
	ENOTFOUND     = "not_found"         // no such user, invite, operator …
	EUNAUTHORIZED = "unauthorized"      // not signed in, or the credentials are wrong
	EFORBIDDEN    = "forbidden"         // signed in, but the role does not allow it
	EGONE         = "gone"              // an invite that expired or was used already
	ETOOMANY      = "too_many_requests" // rate limited; Message says when to retry
	EUNAVAILABLE  = "unavailable"       // IAM or the database did not answer; retry later
)

// Error is the application error. Message is written for a person and may be
// shown on a page; Field names the form input it is about, if any. Reason
// carries a machine detail (such as the IAM error code) for logs and for
// callers that must branch on it; it is never shown to people.
type Error struct {
	Code    string
	Message string
	Field   string
	Reason  string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error about one form field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the person-readable message of err. Internal errors
// get a generic text so that no internal detail reaches a page.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Something went wrong on our side. The problem was logged; please try again."
}

// ErrorReason returns the Reason of the first *Error in err's chain.
func ErrorReason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

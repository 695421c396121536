package portal

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Each maps to one HTTP status in handlers; the list is short on
// purpose (benbjohnson/wtf): callers branch on the code, people read the message of Key.
const (
	ECONFLICT     = "conflict"          // the thing exists already or is in the wrong state
	EINTERNAL     = "internal"          // a bug or an unexpected failure; never shown verbatim
	EINVALID      = "invalid"           // bad input; the message says what to fix
	ENOTFOUND     = "not_found"         // no such user, invite, operator …
	EUNAUTHORIZED = "unauthorized"      // not signed in, or the credentials are wrong
	EFORBIDDEN    = "forbidden"         // signed in, but the role does not allow it
	EGONE         = "gone"              // an invite that expired or was used already
	ETOOMANY      = "too_many_requests" // rate limited; the message says when to retry
	ETOOLARGE     = "too_large"         // a request body over its limit
	EUNAVAILABLE  = "unavailable"       // IAM or the database did not answer; retry later
)

// Error is the application error. People read it through its message key:
// Key names a message in the catalogs (package i18n) and Args fill its
// verbs, so every layer shows it in the reader's language. Field names the
// form input it is about, if any. Reason carries a machine detail (such as
// the IAM error code) for logs and for callers that must branch on it; Err
// is the cause, for errors.Is/As and logs. Neither is ever shown to people.
type Error struct {
	Code   string
	Key    string
	Args   []any
	Field  string
	Reason string
	Err    error
}

// E returns an *Error with the given code whose message is key (with args)
// in the catalogs.
func E(code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// FieldE returns an EINVALID error about one form field, with the message
// key and args.
func FieldE(field, key string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Key: key, Args: args}
}

// Wrap records err as the cause of e and returns e.
func (e *Error) Wrap(err error) *Error {
	e.Err = err
	return e
}

// WithReason records a machine-readable detail and returns e.
func (e *Error) WithReason(reason string) *Error {
	e.Reason = reason
	return e
}

// Error implements the error interface. The text is for logs and tests:
// the code, the message key with its arguments,
// the reason and the cause.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	b.WriteString(": ")
	b.WriteString(e.Key)
	if len(e.Args) > 0 {
		fmt.Fprintf(&b, " %v", e.Args)
	}
	if e.Reason != "" {
		fmt.Fprintf(&b, " (%s)", e.Reason)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause, so errors.Is and errors.As see through an
// *Error to what went wrong underneath.
func (e *Error) Unwrap() error { return e.Err }

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

// ErrorReason returns the Reason of the first *Error in err's chain.
func ErrorReason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

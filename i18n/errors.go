package i18n

import (
	"errors"

	"github.com/gatehouse/portal"
)

// ErrorText returns err's message for people in lang. A *portal.Error with
// a message key is translated by key; an internal error (or any error that
// is not a *portal.Error) gets a generic text, so no internal detail ever
// reaches a page, an API answer or an e-mail.
func ErrorText(lang Lang, err error) string {
	var e *portal.Error
	switch {
	case err == nil:
		return ""
	case !errors.As(err, &e) || e.Code == portal.EINTERNAL:
		return T(lang, "error.internal")
	}
	return T(lang, e.Key, e.Args...)
}

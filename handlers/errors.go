package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/web"
)

// statusOf maps an error code to its HTTP status: the one place where this
// mapping lives.
func statusOf(err error) int {
	switch portal.ErrorCode(err) {
	case portal.EINVALID:
		return http.StatusUnprocessableEntity
	case portal.ENOTFOUND:
		return http.StatusNotFound
	case portal.ECONFLICT:
		return http.StatusConflict
	case portal.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case portal.EFORBIDDEN:
		return http.StatusForbidden
	case portal.EGONE:
		return http.StatusGone
	case portal.ETOOMANY:
		return http.StatusTooManyRequests
	case portal.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case portal.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail renders an error page for err. Internal errors are logged with their
// detail; the page shows only a generic message. When a dependency failed
// (503) the heading says so, whatever the page would have called its own
// failure: the problem is not the page's.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error, heading string) {
	err = explainTimeout(r, err)
	status := statusOf(err)
	if status >= 500 {
		s.Logger.ErrorContext(r.Context(), "request failed", "err", err, "path", r.URL.Path, "status", status)
	}
	if status == http.StatusServiceUnavailable {
		heading = web.T(r.Context(), "error.unavailable")
	}
	if heading == "" && status == http.StatusNotFound {
		heading = web.T(r.Context(), "error.notfound.any")
	}
	if heading == "" {
		heading = web.T(r.Context(), "error.title")
	}
	s.render(w, r, status, web.ErrorPage(s.page(r, heading), heading, web.ErrorText(r.Context(), err)))
}

// explainTimeout turns an error that is only the end of the page budget
// (no layer below said more) into words for people.
func explainTimeout(r *http.Request, err error) error {
	if portal.ErrorCode(err) == portal.EINTERNAL && errors.Is(err, context.DeadlineExceeded) && r.Context().Err() != nil {
		return portal.E(portal.EUNAVAILABLE, "err.page.timeout").Wrap(err)
	}
	return err
}

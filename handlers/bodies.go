package handlers

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/gatehouse/portal"
)

// Request body limits. Every body is capped before anything reads it, so
// an anonymous form post cannot make the portal read (or spool to disk)
// megabytes: a form is a few fields, only the CSV upload and its
// confirmation are larger.
const (
	maxFormBody = 16 << 10 // every form page; the largest is a few hundred bytes
	maxAPIBody  = apiMaxBody
	// maxUploadBody is the CSV file plus its multipart framing.
	maxUploadBody = maxBulkUpload + 16<<10
	// maxBulkStartBody is the checked CSV sent back in a form field,
	// URL-encoded (which can triple it at worst).
	maxBulkStartBody = 3*maxBulkUpload + 16<<10
)

// bodyRule is how much body a route takes and whether it takes a file.
type bodyRule struct {
	limit     int64
	multipart bool
}

// bodyRules lists the routes that take more than a form, keyed by
// "METHOD pattern"; every other route gets maxFormBody (maxAPIBody under
// /api/) and no multipart.
var bodyRules = map[string]bodyRule{
	"POST /users/bulk":       {limit: maxUploadBody, multipart: true},
	"POST /users/bulk/start": {limit: maxBulkStartBody},
	// The API's bulk calls take the CSV itself as the body.
	"POST /api/v1/bulk":       {limit: maxBulkUpload},
	"POST /api/v1/bulk/check": {limit: maxBulkUpload},
}

// bodyRuleOf returns the body rule of a route.
func bodyRuleOf(method, pattern string) bodyRule {
	if rule, ok := bodyRules[method+" "+pattern]; ok {
		return rule
	}
	if strings.HasPrefix(pattern, "/api/") || strings.HasPrefix(pattern, "/scim/") {
		return bodyRule{limit: maxAPIBody}
	}
	return bodyRule{limit: maxFormBody}
}

// limitBody caps a route's request body and parses a URL-encoded form
// right here, on the request the handler gets, so that an oversized form
// is refused with 413 instead of reaching the handler with its fields
// silently empty. A multipart body is refused unless the route takes an
// upload: only the upload handler parses multipart, and it removes the
// temporary files the parse may write (a form parsed by a handler on a
// copy of the request would leave them behind).
func (s *Server) limitBody(rule bodyRule, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// An upload too large is the upload page's own error (its handler
		// meets the cap while reading).
		if r.ContentLength > rule.limit && !rule.multipart {
			s.refuseBody(w, r, portal.E(portal.ETOOLARGE, "err.body.toolarge", rule.limit>>10))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, rule.limit)
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch {
		case mt == "multipart/form-data" && !rule.multipart:
			s.refuseBody(w, r, portal.E(portal.EINVALID, "err.body.multipart"))
			return
		case mt == "application/x-www-form-urlencoded" && r.Method != http.MethodGet:
			if err := r.ParseForm(); err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					s.refuseBody(w, r, portal.E(portal.ETOOLARGE, "err.body.toolarge", rule.limit>>10))
				} else {
					s.refuseBody(w, r, portal.E(portal.EINVALID, "err.body.form").Wrap(err))
				}
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// refuseBody answers a request whose body is refused, as JSON for the API
// and as an error page otherwise. The connection is closed after the
// answer, so the unread rest of the body is not read either.
func (s *Server) refuseBody(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Connection", "close")
	if isSCIM(r) {
		s.scimError(w, r, err)
		return
	}
	if isAPI(r) {
		s.apiError(w, r, err)
		return
	}
	s.fail(w, r, err, "")
}

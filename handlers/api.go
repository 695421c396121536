package handlers

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/web"
)

// apiMaxBody caps a JSON request body.
const apiMaxBody = 64 << 10

// apiProblem is the shape of every API error: an RFC 9457 problem detail
// (application/problem+json). type names the stable code of package portal
// (urn:gatehouse:problem:<code>), title is the status's name, detail the
// message for people in the request's language, instance the request; the
// extension members code and field are what clients branch on.
type apiProblem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance,omitempty"`
	Code     string `json:"code"`
	Field    string `json:"field,omitempty"`
}

// problemType is the type URI of the problems with a code.
const problemType = "urn:gatehouse:problem:"

// apiError writes err as a problem detail with the status statusOf gives
// its code. Internal errors are logged; their text never reaches the
// client.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	err = explainTimeout(r, err)
	status := statusOf(err)
	if status >= 500 {
		s.Logger.ErrorContext(r.Context(), "api request failed", "err", err, "path", r.URL.Path, "status", status)
	}
	var e *portal.Error
	field := ""
	if errors.As(err, &e) {
		field = e.Field
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gatehouse"`)
	}
	instance := ""
	if id := requestID(r); id != "" {
		instance = "urn:gatehouse:request:" + url.PathEscape(id)
	}
	code := portal.ErrorCode(err)
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	if wantsPretty(r) {
		enc.SetIndent("", "  ")
	}
	enc.Encode(apiProblem{Type: problemType + code, Title: http.StatusText(status), Status: status, Detail: web.ErrorText(r.Context(), err),
		Instance: instance, Code: code, Field: field})
}

// apiJSON writes v as JSON with status: compact, or indented when the
// request asks with ?pretty (indenting was a large share of a list's
// allocations, for programs that do not read the spaces).
func (s *Server) apiJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	if wantsPretty(r) {
		enc.SetIndent("", "  ")
	}
	enc.Encode(v)
}

// wantsPretty reports whether the request asks for indented JSON:
// ?pretty, ?pretty=1 or ?pretty=true.
func wantsPretty(r *http.Request) bool {
	q := r.URL.Query()
	if !q.Has("pretty") {
		return false
	}
	switch q.Get("pretty") {
	case "", "1", "true":
		return true
	}
	return false
}

// decodeJSON reads a JSON request body into dst strictly: the content type
// must be JSON, unknown fields and trailing data are errors, and each
// mistake says what to fix.
func decodeJSON(r *http.Request, dst any) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return portal.E(portal.EINVALID, "err.api.contenttype")
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, apiMaxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		if dec.More() {
			return portal.E(portal.EINVALID, "err.api.oneobject")
		}
		return nil
	case errors.Is(err, io.EOF):
		return portal.E(portal.EINVALID, "err.api.empty")
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return portal.E(portal.EINVALID, "err.api.syntax")
	case errors.As(err, &typ):
		return portal.FieldE(typ.Field, "err.api.fieldtype", typ.Field, typ.Type.Kind().String())
	case errors.As(err, &tooBig):
		return portal.E(portal.EINVALID, "err.api.toolarge")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return portal.FieldE(field, "err.api.unknownfield", field)
	}
	return portal.E(portal.EINVALID, "err.api.unreadable")
}

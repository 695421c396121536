package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/scim"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/web"
)

// The SCIM 2.0 endpoint (/scim/v2). Identity providers authenticate with a
// bearer token of kind scim, and only such a token works here; the token's
// operator must be an admin (access level SCIM). The handlers decode and
// answer HTTP; package scim holds the protocol and the mapping onto the
// onboarding workflows (docs/scim.md).

// isSCIM reports whether r is a SCIM request.
func isSCIM(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/scim/") }

// scimCaller returns who sends a SCIM request.
func (s *Server) scimCaller(r *http.Request) scim.Caller {
	name := ""
	if t, ok := r.Context().Value(scimTokenKey).(*store.APIToken); ok {
		name = t.Name
	}
	return scim.Caller{Actor: onboarding.Actor{Name: operatorFrom(r.Context()).Username, RequestID: requestID(r)}, IdP: name}
}

// authenticateSCIM looks up a SCIM request's bearer token (kind scim only)
// and keeps the token with the operator.
func (s *Server) authenticateSCIM(ctx context.Context, r *http.Request) (context.Context, *portal.Operator, error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return ctx, nil, nil
	}
	op, t, err := s.Auth.AuthenticateTokenOf(ctx, strings.TrimSpace(token), store.TokenKindSCIM)
	if err != nil {
		return ctx, nil, err
	}
	return context.WithValue(ctx, scimTokenKey, t), op, nil
}

// scimJSON writes v as application/scim+json with status.
func (s *Server) scimJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", scim.MediaType+"; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// scimError answers err in SCIM's error shape: status as a string, the
// scimType where one applies, the message for people as detail. Bad input
// is 400, as RFC 7644 has it (the JSON API's 422 is not SCIM's).
func (s *Server) scimError(w http.ResponseWriter, r *http.Request, err error) {
	err = explainTimeout(r, err)
	status := statusOf(err)
	if status == http.StatusUnprocessableEntity {
		status = http.StatusBadRequest
	}
	if status >= 500 {
		s.Logger.ErrorContext(r.Context(), "scim request failed", "err", err, "path", r.URL.Path, "status", status)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gatehouse-scim"`)
	}
	s.scimJSON(w, status, scim.ErrorBody{Schemas: []string{scim.SchemaError}, Status: strconv.Itoa(status), ScimType: scim.Type(err),
		Detail: web.ErrorText(r.Context(), err)})
}

// scimService returns the SCIM service, or answers 503 when it is not
// configured.
func (s *Server) scimService(w http.ResponseWriter, r *http.Request) *scim.Service {
	if s.SCIM == nil {
		s.scimError(w, r, portal.E(portal.EUNAVAILABLE, "err.scim.off"))
	}
	return s.SCIM
}

// scimBody reads a request body that must be SCIM (or plain) JSON.
func (s *Server) scimBody(r *http.Request) ([]byte, error) {
	switch mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt {
	case scim.MediaType, "application/json":
	default:
		return nil, portal.E(portal.EINVALID, "err.scim.contenttype").WithReason(scim.TypeInvalidSyntax)
	}
	b, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, portal.E(portal.ETOOLARGE, "err.body.toolarge", tooBig.Limit>>10)
	}
	return b, err
}

func (s *Server) scimBase() string { return s.Onboarding.Links().Base() + "/scim/v2" }

func (s *Server) scimServiceProviderConfig(w http.ResponseWriter, r *http.Request) {
	s.scimJSON(w, http.StatusOK, scim.ServiceProviderConfig(s.scimBase()))
}

func (s *Server) scimResourceTypes(w http.ResponseWriter, r *http.Request) {
	all := scim.ResourceTypes(s.scimBase())
	s.scimJSON(w, http.StatusOK, scim.ListResponse{Schemas: []string{scim.SchemaList}, TotalResults: len(all), StartIndex: 1, ItemsPerPage: len(all), Resources: all})
}

func (s *Server) scimResourceType(w http.ResponseWriter, r *http.Request) {
	if chi.URLParam(r, "id") != "User" {
		s.scimError(w, r, portal.E(portal.ENOTFOUND, "err.scim.noresourcetype", chi.URLParam(r, "id")))
		return
	}
	s.scimJSON(w, http.StatusOK, scim.ResourceTypes(s.scimBase())[0])
}

func (s *Server) scimSchemas(w http.ResponseWriter, r *http.Request) {
	all := scim.Schemas(s.scimBase())
	s.scimJSON(w, http.StatusOK, scim.ListResponse{Schemas: []string{scim.SchemaList}, TotalResults: len(all), StartIndex: 1, ItemsPerPage: len(all), Resources: all})
}

func (s *Server) scimSchema(w http.ResponseWriter, r *http.Request) {
	if chi.URLParam(r, "id") != scim.SchemaUser {
		s.scimError(w, r, portal.E(portal.ENOTFOUND, "err.scim.noschema", chi.URLParam(r, "id")))
		return
	}
	s.scimJSON(w, http.StatusOK, scim.Schemas(s.scimBase())[0])
}

// scimListUsers answers GET /scim/v2/Users?filter=&startIndex=&count=.
func (s *Server) scimListUsers(w http.ResponseWriter, r *http.Request) {
	svc := s.scimService(w, r)
	if svc == nil {
		return
	}
	q := r.URL.Query()
	num := func(name string, def int) (int, error) {
		v := q.Get(name)
		if v == "" {
			return def, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, portal.E(portal.EINVALID, "err.scim.number", name).WithReason(scim.TypeInvalidValue)
		}
		return n, nil
	}
	start, err := num("startIndex", 1)
	if err != nil {
		s.scimError(w, r, err)
		return
	}
	count, err := num("count", -1)
	if err != nil {
		s.scimError(w, r, err)
		return
	}
	out, err := svc.List(r.Context(), q.Get("filter"), start, count)
	if err != nil {
		s.scimError(w, r, err)
		return
	}
	s.scimJSON(w, http.StatusOK, out)
}

func (s *Server) scimCreateUser(w http.ResponseWriter, r *http.Request) {
	svc := s.scimService(w, r)
	if svc == nil {
		return
	}
	b, err := s.scimBody(r)
	if err != nil {
		s.scimError(w, r, err)
		return
	}
	in, err := scim.ParseUser(b)
	if err != nil {
		s.scimError(w, r, err)
		return
	}
	u, _, err := svc.Create(r.Context(), s.scimCaller(r), in)
	if err != nil {
		s.scimError(w, r, err)
		return
	}
	w.Header().Set("Location", u.Meta.Location)
	s.scimJSON(w, http.StatusCreated, u)
}

func (s *Server) scimGetUser(w http.ResponseWriter, r *http.Request) {
	svc := s.scimService(w, r)
	if svc == nil {
		return
	}
	u, err := svc.Get(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.scimError(w, r, err)
		return
	}
	s.scimJSON(w, http.StatusOK, u)
}

func (s *Server) scimReplaceUser(w http.ResponseWriter, r *http.Request) {
	scimChange(s, w, r, scim.ParseUser, (*scim.Service).Replace)
}

func (s *Server) scimPatchUser(w http.ResponseWriter, r *http.Request) {
	scimChange(s, w, r, scim.ParsePatch, (*scim.Service).Patch)
}

// scimChange answers a PUT or PATCH of /Users/{id}: the body parsed by parse,
// then apply on the user the identity provider named.
func scimChange[T any](s *Server, w http.ResponseWriter, r *http.Request, parse func([]byte) (T, error),
	apply func(*scim.Service, context.Context, scim.Caller, string, T) (scim.User, error)) {
	svc := s.scimService(w, r)
	if svc == nil {
		return
	}
	b, err := s.scimBody(r)
	if err != nil {
		s.scimError(w, r, err)
		return
	}
	in, err := parse(b)
	if err != nil {
		s.scimError(w, r, err)
		return
	}
	u, err := apply(svc, r.Context(), s.scimCaller(r), chi.URLParam(r, "id"), in)
	if err != nil {
		s.scimError(w, r, err)
		return
	}
	s.scimJSON(w, http.StatusOK, u)
}

func (s *Server) scimDeleteUser(w http.ResponseWriter, r *http.Request) {
	svc := s.scimService(w, r)
	if svc == nil {
		return
	}
	if err := svc.Delete(r.Context(), s.scimCaller(r), chi.URLParam(r, "id")); err != nil {
		s.scimError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

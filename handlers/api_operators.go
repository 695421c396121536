package handlers

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// The JSON API's operator and token calls (admins, and each caller's own tokens).

// apiOperator is an operator of the portal.
type apiOperator struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Role      string    `json:"role"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

func toAPIOperator(o *portal.Operator) apiOperator {
	return apiOperator{ID: o.ID, Username: o.Username, Role: string(o.Role), Disabled: !o.DisabledAt.IsZero(), CreatedAt: o.CreatedAt.UTC()}
}

// apiListOperators lists the operators by ID (GET /api/v1/operators).
func (s *Server) apiListOperators(w http.ResponseWriter, r *http.Request) {
	apiList(s, w, r, "operators", byID, func(o *portal.Operator) int64 { return o.ID }, s.Store.FindOperators, toAPIOperator)
}

// apiPending is a pending operator invite.
type apiPending struct {
	Username  string    `json:"username"`
	Role      string    `json:"role"`
	InvitedBy string    `json:"invited_by"`
	ExpiresAt time.Time `json:"expires_at"`
}

// apiListOperatorInvites lists pending operator invites by user name
// (GET /api/v1/operators/invites).
func (s *Server) apiListOperatorInvites(w http.ResponseWriter, r *http.Request) {
	apiList(s, w, r, "invites", byName, func(p store.SetupToken) string { return p.Username }, s.Auth.PendingInvites,
		func(p store.SetupToken) apiPending {
			return apiPending{Username: p.Username, Role: string(p.Role), InvitedBy: p.CreatedBy, ExpiresAt: p.ExpiresAt.UTC()}
		})
}

// apiJoinLink is the answer carrying an operator's one-time join link
// (an invite or an authenticator reset): shown in this answer only.
type apiJoinLink struct {
	Username string `json:"username"`
	JoinURL  string `json:"join_url"`
}

// apiInviteOperator invites a new operator with a role; the answer carries
// the one-time join link (POST /api/v1/operators).
func (s *Server) apiInviteOperator(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Role     string `json:"role"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	link, name, err := s.Auth.InviteOperator(r.Context(), s.caller(r), strings.TrimSpace(in.Username), portal.Role(in.Role))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusCreated, apiJoinLink{Username: name, JoinURL: link})
}

// apiRevokeOperatorInvite ends a pending operator invite
// (POST /api/v1/operators/invites/{name}/revoke).
func (s *Server) apiRevokeOperatorInvite(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	if err := s.Auth.RevokeOperatorInvite(r.Context(), s.caller(r), name); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, map[string]string{"revoked": name})
}

// apiOperatorChange runs change on the operator named by {id} and answers
// with the operator as it is afterwards.
func (s *Server) apiOperatorChange(w http.ResponseWriter, r *http.Request, change func(*portal.Operator) error) {
	target, err := s.targetOperator(r)
	if err == nil {
		err = change(target)
	}
	if err == nil {
		target, err = s.Store.FindOperatorByID(r.Context(), target.ID)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, map[string]apiOperator{"operator": toAPIOperator(target)})
}

// apiChangeRole gives an operator another role
// (POST /api/v1/operators/{id}/role).
func (s *Server) apiChangeRole(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Role string `json:"role"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiOperatorChange(w, r, func(t *portal.Operator) error {
		return s.Auth.ChangeRole(r.Context(), s.caller(r), t, portal.Role(in.Role))
	})
}

// apiDisableOperator stops an operator (POST /api/v1/operators/{id}/disable).
func (s *Server) apiDisableOperator(w http.ResponseWriter, r *http.Request) {
	s.apiOperatorChange(w, r, func(t *portal.Operator) error { return s.Auth.SetDisabled(r.Context(), s.caller(r), t, true) })
}

// apiEnableOperator lets a disabled operator in again
// (POST /api/v1/operators/{id}/enable).
func (s *Server) apiEnableOperator(w http.ResponseWriter, r *http.Request) {
	s.apiOperatorChange(w, r, func(t *portal.Operator) error { return s.Auth.SetDisabled(r.Context(), s.caller(r), t, false) })
}

// apiResetOperatorTOTP revokes an operator's authenticator (and tokens);
// reason is required; the answer carries the one-time link to enroll a new
// one (POST /api/v1/operators/{id}/reset-totp).
func (s *Server) apiResetOperatorTOTP(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	target, err := s.targetOperator(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	link, err := s.Auth.ResetTOTP(r.Context(), s.caller(r), target.ID, in.Reason)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, apiJoinLink{Username: target.Username, JoinURL: link})
}

// apiToken is an API token as listed: never its value.
type apiToken struct {
	ID         int64      `json:"id"`
	Operator   string     `json:"operator,omitempty"`
	Name       string     `json:"name"`
	Kind       string     `json:"kind"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	Expired    bool       `json:"expired"`
}

// apiTokenPage answers with a page of the tokens load gives, by ID.
func (s *Server) apiTokenPage(w http.ResponseWriter, r *http.Request, load func(context.Context) ([]*store.APIToken, error)) {
	now := s.Now()
	apiList(s, w, r, "tokens", byID, func(t *store.APIToken) int64 { return t.ID }, load, func(t *store.APIToken) apiToken {
		return apiToken{ID: t.ID, Operator: t.Operator, Name: t.Name, Kind: t.Kind, CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.UTC(),
			LastUsedAt: optTime(t.LastUsedAt), RevokedAt: optTime(t.RevokedAt), Expired: t.Expired(now)}
	})
}

// apiListAllTokens lists every operator's API tokens
// (GET /api/v1/operators/tokens).
func (s *Server) apiListAllTokens(w http.ResponseWriter, r *http.Request) {
	s.apiTokenPage(w, r, s.Store.FindAllAPITokens)
}

// apiRevokeAnyToken revokes any operator's API token
// (POST /api/v1/operators/tokens/{id}/revoke).
func (s *Server) apiRevokeAnyToken(w http.ResponseWriter, r *http.Request) {
	id, err := tokenID(r)
	if err == nil {
		err = s.Auth.RevokeAnyAPIToken(r.Context(), s.caller(r), id)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, map[string]int64{"revoked": id})
}

// apiListTokens lists the calling operator's own API tokens
// (GET /api/v1/tokens).
func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) {
	s.apiTokenPage(w, r, func(ctx context.Context) ([]*store.APIToken, error) {
		return s.Store.FindAPITokens(ctx, operatorFrom(ctx).ID)
	})
}

// apiRevokeToken revokes one of the calling operator's own tokens
// (POST /api/v1/tokens/{id}/revoke).
func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := tokenID(r)
	if err == nil {
		err = s.Auth.RevokeAPIToken(r.Context(), s.caller(r), id)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, map[string]int64{"revoked": id})
}

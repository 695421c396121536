package handlers

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/web"
)

// The JSON API's AWS accounts (admins). Each call asks the onboarding
// service what the /accounts page asks it, so the input rules, the check at
// once (AssumeRole, then GetCallerIdentity), the refusals and the audit
// entries are the page's own.

// apiAccount is a managed account as the accounts pages show it to
// admins, its external ID included (the edit form shows it); no credential
// of the assumed role is ever in it.
type apiAccount struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Hub        bool   `json:"hub"`
	RoleARN    string `json:"role_arn,omitempty"`
	ExternalID string `json:"external_id,omitempty"`
	// Status is reachable, unreachable or "" (never checked); Reason says,
	// in the caller's language, why it cannot be reached.
	Status    string     `json:"status"`
	Reason    string     `json:"reason,omitempty"`
	CheckedAt *time.Time `json:"checked_at,omitempty"`
	CreatedBy string     `json:"created_by,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
}

// toAPIAccount shows a in the language of ctx.
func toAPIAccount(ctx context.Context, a *portal.Account) apiAccount {
	out := apiAccount{ID: a.ID, Name: a.Name, Hub: a.Hub, RoleARN: a.RoleARN, ExternalID: a.ExternalID, Status: string(a.Status), CreatedBy: a.CreatedBy}
	if a.Status == portal.AccountUnreachable {
		out.Reason = web.Stored(ctx, a.Reason, "")
	}
	if !a.CheckedAt.IsZero() {
		t := a.CheckedAt.UTC()
		out.CheckedAt = &t
	}
	if !a.CreatedAt.IsZero() {
		t := a.CreatedAt.UTC()
		out.CreatedAt = &t
	}
	return out
}

// apiListAccounts lists the managed accounts by ID (GET /api/v1/accounts).
func (s *Server) apiListAccounts(w http.ResponseWriter, r *http.Request) {
	apiList(s, w, r, "accounts", byName, func(a *portal.Account) string { return a.ID }, s.Onboarding.Accounts,
		func(a *portal.Account) apiAccount { return toAPIAccount(r.Context(), a) })
}

// apiAccountAnswer answers with acct, or with err when there is none.
func (s *Server) apiAccountAnswer(w http.ResponseWriter, r *http.Request, status int, acct *portal.Account, err error) {
	if acct == nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, status, map[string]apiAccount{"account": toAPIAccount(r.Context(), acct)})
}

// apiGetAccount gives one managed account (GET /api/v1/accounts/{id}).
func (s *Server) apiGetAccount(w http.ResponseWriter, r *http.Request) {
	acct, err := s.Onboarding.FindAccount(r.Context(), chi.URLParam(r, "id"))
	s.apiAccountAnswer(w, r, http.StatusOK, acct, err)
}

// apiAddAccount adds a member account and checks it at once
// (POST /api/v1/accounts). Bad input is 422 naming the field, and nothing
// is kept. An account added whose role cannot be assumed is kept, as the
// page keeps it: the answer is 201 with status unreachable and the reason
// in words.
func (s *Server) apiAddAccount(w http.ResponseWriter, r *http.Request) {
	var in struct {
		AccountID  string `json:"account_id"`
		Name       string `json:"name"`
		RoleARN    string `json:"role_arn"`
		ExternalID string `json:"external_id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	acct, err := s.Onboarding.AddAccount(r.Context(), actor(r), portal.NewAccount{ID: strings.TrimSpace(in.AccountID),
		Name: strings.TrimSpace(in.Name), RoleARN: strings.TrimSpace(in.RoleARN), ExternalID: strings.TrimSpace(in.ExternalID)})
	if acct != nil {
		w.Header().Set("Location", "/api/v1/accounts/"+acct.ID)
	}
	s.apiAccountAnswer(w, r, http.StatusCreated, acct, err)
}

// apiEditAccount changes an account's name, role ARN and external ID
// (POST /api/v1/accounts/{id}/edit), as the page's edit form: the body is
// the whole new setting (an empty role_arn is GatehouseAdmin). New role
// settings are checked at once and, when they do not reach the account,
// refused as 422 with the reason, the old ones kept.
func (s *Server) apiEditAccount(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name       string `json:"name"`
		RoleARN    string `json:"role_arn"`
		ExternalID string `json:"external_id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	acct, err := s.Onboarding.UpdateAccount(r.Context(), actor(r), chi.URLParam(r, "id"), portal.NewAccount{Name: strings.TrimSpace(in.Name),
		RoleARN: strings.TrimSpace(in.RoleARN), ExternalID: strings.TrimSpace(in.ExternalID)})
	if err != nil {
		acct = nil
	}
	s.apiAccountAnswer(w, r, http.StatusOK, acct, err)
}

// apiCheckAccount checks an account again and answers with the outcome
// recorded (POST /api/v1/accounts/{id}/check); an account that cannot be
// reached is 200 with status unreachable and the reason.
func (s *Server) apiCheckAccount(w http.ResponseWriter, r *http.Request) {
	acct, err := s.Onboarding.CheckAccount(r.Context(), actor(r), chi.URLParam(r, "id"))
	if acct == nil && err == nil {
		err = portal.E(portal.ENOTFOUND, "err.account.nosuch", chi.URLParam(r, "id"))
	}
	s.apiAccountAnswer(w, r, http.StatusOK, acct, err)
}

// apiRemoveAccount forgets a member account without users
// (POST /api/v1/accounts/{id}/remove): the hub or an account with users
// recorded is 409.
func (s *Server) apiRemoveAccount(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := s.Onboarding.RemoveAccount(r.Context(), actor(r), id); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, map[string]string{"removed": id})
}

// apiDiscoveredAccount is an account of the organization not managed yet.
type apiDiscoveredAccount struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// apiDiscoverAccounts lists the active accounts of the hub's AWS
// Organization that Gatehouse does not manage yet
// (POST /api/v1/accounts/discover, as the page's button); a hub identity
// that may not list them is 403 with the reason.
func (s *Server) apiDiscoverAccounts(w http.ResponseWriter, r *http.Request) {
	found, err := s.Onboarding.DiscoverAccounts(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := make([]apiDiscoveredAccount, 0, len(found))
	for _, d := range found {
		out = append(out, apiDiscoveredAccount(d))
	}
	s.apiJSON(w, r, http.StatusOK, map[string][]apiDiscoveredAccount{"accounts": out})
}

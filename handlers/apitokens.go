package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/web"
)

// listTokens shows the operator's API tokens.
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, web.TokensView{})
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, v web.TokensView) {
	me := operatorFrom(r.Context())
	tokens, err := s.Store.FindAPITokens(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	v.Page = s.page(r, web.T(r.Context(), "tokens.title"))
	for _, t := range tokens {
		row := web.TokenRow{ID: t.ID, Name: t.Name, Created: fmtDate(t.CreatedAt), LastUsed: fmtDate(t.LastUsedAt), Revoked: !t.RevokedAt.IsZero()}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, status, web.TokensPage(v))
}

// createToken issues a new API token and shows it once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	token, _, err := s.Auth.CreateAPIToken(r.Context(), s.caller(r), name)
	if err != nil {
		s.renderTokens(w, r, statusOf(err), web.TokensView{Name: name, Errors: formErrors(err)})
		return
	}
	s.renderTokens(w, r, http.StatusCreated, web.TokensView{NewToken: token})
}

// revokeToken revokes one of the operator's own API tokens.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err == nil {
		err = s.Auth.RevokeAPIToken(r.Context(), s.caller(r), id)
	} else {
		err = portal.E(portal.ENOTFOUND, "err.token.nosuch")
	}
	if err != nil {
		s.renderTokens(w, r, statusOf(err), web.TokensView{Errors: formErrors(err)})
		return
	}
	http.Redirect(w, r, "/tokens", http.StatusSeeOther)
}

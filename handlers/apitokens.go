package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/web"
)

// listTokens shows the operator's API tokens.
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, web.TokensView{Flash: tokenFlash(r)})
}

// tokenFlash confirms a revocation after the redirect.
func tokenFlash(r *http.Request) string {
	if r.URL.Query().Get("done") == "revoked" {
		return web.T(r.Context(), "flash.token.revoked")
	}
	return ""
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, v web.TokensView) {
	me := operatorFrom(r.Context())
	tokens, err := s.Store.FindAPITokens(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	v.Page = s.page(r, web.T(r.Context(), "tokens.title"))
	v.Rows = s.tokenRows(tokens)
	v.Kinds, v.DaysMax = store.TokenKinds, auth.TokenDaysMax
	if v.Days == "" {
		v.Days = strconv.Itoa(auth.TokenDaysDefault)
	}
	v.CanAll = s.may(me, "GET", "/operators/tokens")
	s.render(w, r, status, web.TokensPage(v))
}

func (s *Server) tokenRows(tokens []*store.APIToken) []web.TokenRow {
	now := s.Now()
	var rows []web.TokenRow
	for _, t := range tokens {
		rows = append(rows, web.TokenRow{ID: t.ID, Operator: t.Operator, Name: t.Name, Kind: t.Kind, Created: web.Date(t.CreatedAt),
			Expires: web.Date(t.ExpiresAt), LastUsed: web.Date(t.LastUsedAt), Revoked: !t.RevokedAt.IsZero(), Expired: t.Expired(now)})
	}
	return rows
}

// createToken issues a new API token, after the operator's password and a
// fresh code, and shows it once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	v := web.TokensView{Name: strings.TrimSpace(r.PostFormValue("name")), Days: r.PostFormValue("expires_in_days"), Kind: r.PostFormValue("kind")}
	days, err := auth.ParseTokenDays(v.Days)
	var token string
	if err == nil {
		token, _, err = s.Auth.CreateAPIToken(r.Context(), s.caller(r), auth.TokenRequest{Name: v.Name, Days: days, Kind: v.Kind,
			Password: r.PostFormValue("password"), Code: r.PostFormValue("code")})
	}
	if err != nil {
		v.Errors = formErrors(err)
		s.renderTokens(w, r, statusOf(err), v)
		return
	}
	s.renderTokens(w, r, http.StatusCreated, web.TokensView{NewToken: token})
}

// tokenID reads the {id} URL parameter of a token route.
func tokenID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return 0, portal.E(portal.ENOTFOUND, "err.token.nosuch")
	}
	return id, nil
}

// revokeToken revokes one of the operator's own API tokens.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := tokenID(r)
	if err == nil {
		err = s.Auth.RevokeAPIToken(r.Context(), s.caller(r), id)
	}
	if err != nil {
		s.renderTokens(w, r, statusOf(err), web.TokensView{Errors: formErrors(err)})
		return
	}
	http.Redirect(w, r, "/tokens?done=revoked", http.StatusSeeOther)
}

// listAllTokens shows every operator's API tokens (admins).
func (s *Server) listAllTokens(w http.ResponseWriter, r *http.Request) {
	s.renderAllTokens(w, r, http.StatusOK, nil)
}

func (s *Server) renderAllTokens(w http.ResponseWriter, r *http.Request, status int, errs []web.FormError) {
	tokens, err := s.Store.FindAllAPITokens(r.Context())
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	v := web.AllTokensView{Page: s.page(r, web.T(r.Context(), "tokens.all.title")), Rows: s.tokenRows(tokens), Errors: errs}
	if r.Method == http.MethodGet {
		v.Flash = tokenFlash(r)
	}
	s.render(w, r, status, web.AllTokensPage(v))
}

// revokeAnyToken revokes any operator's API token (admins).
func (s *Server) revokeAnyToken(w http.ResponseWriter, r *http.Request) {
	id, err := tokenID(r)
	if err == nil {
		err = s.Auth.RevokeAnyAPIToken(r.Context(), s.caller(r), id)
	}
	if err != nil {
		s.renderAllTokens(w, r, statusOf(err), formErrors(err))
		return
	}
	http.Redirect(w, r, "/operators/tokens?done=revoked", http.StatusSeeOther)
}

package handlers

import (
	"net/http"

	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/web"
)

// account shows the operator's own page: their recovery codes left, and
// the form to make new ones.
func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, nil)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, errs []web.FormError) {
	me := operatorFrom(r.Context())
	left, err := s.Auth.RecoveryCodesLeft(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	s.render(w, r, status, web.AccountPage(web.AccountView{Page: s.page(r, web.T(r.Context(), "account.title")),
		Username: me.Username, Role: string(me.Role), CodesLeft: left, CodesTotal: auth.RecoveryCodeCount, Errors: errs}))
}

// regenerateRecoveryCodes replaces the operator's recovery codes, after
// their password and a fresh code, and shows the new ones once.
func (s *Server) regenerateRecoveryCodes(w http.ResponseWriter, r *http.Request) {
	codes, err := s.Auth.RegenerateRecoveryCodes(r.Context(), s.caller(r), r.PostFormValue("password"), r.PostFormValue("code"))
	if err != nil {
		s.renderAccount(w, r, statusOf(err), formErrors(err))
		return
	}
	s.renderRecoveryCodes(w, r, codes, "/account")
}

// renderRecoveryCodes shows new recovery codes once (the response, like
// every page, is not stored: securityHeaders), with a link on to next.
func (s *Server) renderRecoveryCodes(w http.ResponseWriter, r *http.Request, codes []string, next string) {
	s.render(w, r, http.StatusOK, web.RecoveryCodesPage(web.RecoveryCodesView{Page: s.page(r, web.T(r.Context(), "recovery.title")),
		Codes: codes, Next: next}))
}

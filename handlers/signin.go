package handlers

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/web"
)

// setupForm shows the first-admin setup page.
func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) {
	s.renderSetup(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderSetup(w http.ResponseWriter, r *http.Request, status int, username string, errs []web.FormError) {
	token := chi.URLParam(r, "token")
	enr, err := s.Auth.SetupEnrollment(r.Context(), token)
	if err != nil {
		s.fail(w, r, err, web.T(r.Context(), "setup.title"))
		return
	}
	s.render(w, r, status, web.SetupPage(web.SetupView{Page: s.page(r, web.T(r.Context(), "setup.title")),
		Action: "/setup/" + token, Secret: enr.Secret, QRPNG: enr.QRPNG, Username: username, Errors: errs}))
}

// setupSubmit creates the first admin and signs them in.
func (s *Server) setupSubmit(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	j, err := s.Auth.CompleteSetup(r.Context(), s.caller(r), token, r.PostFormValue("username"), r.PostFormValue("password"), r.PostFormValue("code"))
	if err != nil {
		if portal.ErrorCode(err) == portal.EINVALID {
			s.renderSetup(w, r, statusOf(err), r.PostFormValue("username"), formErrors(err))
			return
		}
		s.fail(w, r, err, web.T(r.Context(), "setup.title"))
		return
	}
	s.setCookie(w, s.sessionCookie(), j.Session, 0)
	// The page shows the new admin's recovery codes once; it is the
	// response, so the request (and the page) must carry the new session.
	r = r.WithContext(withOperator(r.Context(), j.Operator))
	s.renderRecoveryCodes(w, r, j.RecoveryCodes, "/welcome")
}

// welcome is the first admin's first page: what to do next.
func (s *Server) welcome(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, web.WelcomePage(web.WelcomeView{Page: s.page(r, web.T(r.Context(), "welcome.title")),
		Email: s.Onboarding.NotifyEnabled()}))
}

// signinForm shows the sign-in page.
func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	if operatorFrom(r.Context()) != nil {
		http.Redirect(w, r, "/users", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, web.SignInPage(web.SignInView{Page: s.page(r, web.T(r.Context(), "signin.title")), Next: formNext(r.URL.Query().Get("next"))}))
}

// signinSubmit checks password and TOTP code and opens a session.
func (s *Server) signinSubmit(w http.ResponseWriter, r *http.Request) {
	username := r.PostFormValue("username")
	// A recovery code (its own field on the page) is checked in place of
	// the TOTP code.
	code := r.PostFormValue("code")
	if rc := r.PostFormValue("recovery_code"); rc != "" {
		code = rc
	}
	sess, _, err := s.Auth.SignIn(r.Context(), s.caller(r), username, r.PostFormValue("password"), code)
	if err != nil {
		s.render(w, r, statusOf(err), web.SignInPage(web.SignInView{Page: s.page(r, web.T(r.Context(), "signin.title")),
			Username: username, Next: formNext(r.PostFormValue("next")), Errors: formErrors(err)}))
		return
	}
	s.endPresentedSession(r)
	s.setCookie(w, s.sessionCookie(), sess, 0)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// signout ends the operator's session.
func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.sessionCookie()); err == nil {
		if err := s.Auth.SignOut(r.Context(), s.caller(r), c.Value); err != nil {
			s.Logger.ErrorContext(r.Context(), "sign out", "err", err)
		}
	}
	s.setCookie(w, s.sessionCookie(), "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// endPresentedSession ends the session whose cookie came with r, if any:
// signing in always starts a new session ID, and an ID planted before
// sign-in (session fixation) dies with it.
func (s *Server) endPresentedSession(r *http.Request) {
	if c, err := r.Cookie(s.sessionCookie()); err == nil && c.Value != "" {
		if err := s.Auth.EndSession(r.Context(), c.Value); err != nil {
			s.Logger.ErrorContext(r.Context(), "end previous session", "err", err)
		}
	}
}

// signoutEverywhere ends every session of the operator, on every device.
func (s *Server) signoutEverywhere(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.SignOutEverywhere(r.Context(), s.caller(r)); err != nil {
		s.fail(w, r, err, "")
		return
	}
	s.setCookie(w, s.sessionCookie(), "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// caller is who sends r and from where, as auth records it.
func (s *Server) caller(r *http.Request) auth.Caller {
	return auth.Caller{Operator: operatorFrom(r.Context()), IP: middleware.GetClientIP(r.Context()), RequestID: requestID(r)}
}

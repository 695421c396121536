package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
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
	sess, op, err := s.Auth.CompleteSetup(r.Context(), token, r.PostFormValue("username"), r.PostFormValue("password"), r.PostFormValue("code"))
	if err != nil {
		if portal.ErrorCode(err) == portal.EINVALID {
			s.renderSetup(w, r, statusOf(err), r.PostFormValue("username"), formErrors(err))
			return
		}
		s.fail(w, r, err, web.T(r.Context(), "setup.title"))
		return
	}
	s.audit(r, op.Username, "operator.setup", op.Username, portal.T("audit.operator.setup"))
	s.setCookie(w, s.sessionCookie(), sess, 0)
	http.Redirect(w, r, "/users", http.StatusSeeOther)
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
	sess, op, err := s.Auth.SignIn(r.Context(), username, r.PostFormValue("password"), r.PostFormValue("code"))
	if err != nil {
		s.audit(r, "anonymous", "operator.signin.fail", username, portal.T("audit.signin.failed", portal.ErrorCode(err)))
		s.render(w, r, statusOf(err), web.SignInPage(web.SignInView{Page: s.page(r, web.T(r.Context(), "signin.title")),
			Username: username, Next: formNext(r.PostFormValue("next")), Errors: formErrors(err)}))
		return
	}
	s.audit(r, op.Username, "operator.signin", op.Username, portal.T("audit.signin"))
	s.endPresentedSession(r)
	s.setCookie(w, s.sessionCookie(), sess, 0)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// signout ends the operator's session.
func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(s.sessionCookie()); err == nil {
		if err := s.Auth.SignOut(r.Context(), c.Value); err != nil {
			s.Logger.ErrorContext(r.Context(), "sign out", "err", err)
		}
	}
	if op := operatorFrom(r.Context()); op != nil {
		s.audit(r, op.Username, "operator.signout", op.Username, portal.T("audit.signout"))
	}
	s.setCookie(w, s.sessionCookie(), "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// endPresentedSession ends the session whose cookie came with r, if any:
// signing in always starts a new session ID, and an ID planted before
// sign-in (session fixation) dies with it.
func (s *Server) endPresentedSession(r *http.Request) {
	if c, err := r.Cookie(s.sessionCookie()); err == nil && c.Value != "" {
		if err := s.Auth.SignOut(r.Context(), c.Value); err != nil {
			s.Logger.ErrorContext(r.Context(), "end previous session", "err", err)
		}
	}
}

// signoutEverywhere ends every session of the operator, on every device.
func (s *Server) signoutEverywhere(w http.ResponseWriter, r *http.Request) {
	op := operatorFrom(r.Context())
	if err := s.Auth.SignOutEverywhere(r.Context(), op.ID); err != nil {
		s.fail(w, r, err, "")
		return
	}
	s.audit(r, op.Username, "operator.signout.everywhere", op.Username, portal.T("audit.signout.everywhere"))
	s.setCookie(w, s.sessionCookie(), "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// audit records an event from a handler. It is written even when the
// request has ended (what it records has happened); if the database cannot
// take it, the whole event goes to the log instead, marked as lost from the
// audit table, so it is never silently gone.
func (s *Server) audit(r *http.Request, actor, action, target string, detail portal.Text) {
	e := &portal.AuditEvent{At: s.Now(), Actor: actor, Action: action, Target: target, Text: detail, RequestID: requestID(r)}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Second)
	defer cancel()
	if err := s.Store.CreateAuditEvent(ctx, e); err != nil {
		s.Logger.ErrorContext(r.Context(), "audit event lost: not recorded in the database", "at", e.At, "actor", actor,
			"action", action, "target", target, "detail", i18n.Text(i18n.EN, detail), "request_id", e.RequestID, "err", err)
	}
}

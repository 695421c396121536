package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/web"
)

// The invitee's pages follow Post/Redirect/Get: every POST answers with a
// redirect to the page of the step the setup stands at, and every GET only
// shows (it may ask IAM, never change it). A reload or Back therefore never
// repeats an action, and a page reloaded after a lost answer shows the
// state the action left (onboarding/invite.go explains the claim,
// heldsecret.go the secrets shown again).

// stepURL is the page of a setup step (onboarding.NextStep).
func stepURL(step string) string {
	switch step {
	case onboarding.SetupDone:
		return "/enroll/done"
	case onboarding.SetupMFA:
		return "/enroll/mfa"
	}
	return "/enroll/password"
}

// invitePage returns the layout data of an invitee page at step (0: none).
func (s *Server) invitePage(r *http.Request, titleKey string, step int) web.Page {
	p := s.page(r, web.T(r.Context(), titleKey))
	p.Step, p.Invitee = step, true
	return p
}

// claimToken returns the browser's claim cookie ("" without one).
func (s *Server) claimToken(r *http.Request) string {
	if c, err := r.Cookie(s.claimCookie()); err == nil {
		return c.Value
	}
	return ""
}

// inviteLanding shows what the invite is for, or, for a link used in this
// browser, where its setup stands. It changes nothing on the server, so
// link previews (chat apps fetch links) cannot use up the invite; it gives
// the browser the claim cookie its setup session will be known by.
func (s *Server) inviteLanding(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	inv, err := s.Onboarding.LookupInvite(r.Context(), token, s.claimToken(r))
	if err != nil {
		s.inviteeFail(w, r, err, "")
		return
	}
	v := web.InviteView{Page: s.invitePage(r, "invite.title", 0), Action: "/invite/" + token, UserName: inv.User.UserName,
		DisplayName: inv.User.DisplayName, Deadline: web.Date(inv.User.Deadline)}
	if inv.Session != nil {
		v.Continue, v.StartedAt = stepURL(onboarding.NextStep(inv.Session, inv.User)), web.Time(inv.Session.CreatedAt)
	} else if s.claimToken(r) == "" {
		t, _ := portal.NewToken()
		s.setCookie(w, s.claimCookie(), t, 0)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, web.InvitePage(v))
}

// inviteClaim uses the invite: it claims it and sets the console password,
// or continues the setup this browser started with it.
func (s *Server) inviteClaim(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	c, err := s.Onboarding.ClaimInvite(r.Context(), token, s.claimToken(r), requestID(r))
	if err != nil {
		s.inviteeFail(w, r, err, "/invite/"+token)
		return
	}
	s.setCookie(w, s.claimCookie(), c.SessionToken, 0)
	if c.Credentials != nil {
		s.holdSecret(w, heldPassword, c.Session, "", c.Credentials.Password)
	}
	http.Redirect(w, r, stepURL(onboarding.NextStep(c.Session, c.User)), http.StatusSeeOther)
}

// claim returns the invitee's setup session, or renders the error and
// returns ok=false.
func (s *Server) claim(w http.ResponseWriter, r *http.Request) (*portal.ClaimSession, *portal.User, bool) {
	token := s.claimToken(r)
	if token == "" {
		s.inviteeFail(w, r, portal.E(portal.EUNAUTHORIZED, "err.claim.first"), "")
		return nil, nil, false
	}
	cs, u, err := s.Onboarding.ClaimSession(r.Context(), token)
	if err != nil {
		var e *portal.Error
		if errors.As(err, &e) && e.Code == portal.ENOTFOUND {
			unauth := *e // same message, but a session problem is a 401
			unauth.Code = portal.EUNAUTHORIZED
			err = &unauth
		}
		s.inviteeFail(w, r, err, "")
		return nil, nil, false
	}
	return cs, u, true
}

// inviteeFail renders an error of the invite flow. It says what to do
// next and never leads to the operators' pages; retry, when set, is the
// page that tries again.
func (s *Server) inviteeFail(w http.ResponseWriter, r *http.Request, err error, retry string) {
	status := statusOf(err)
	if status >= 500 {
		s.Logger.ErrorContext(r.Context(), "request failed", "err", err, "path", redactPath(r.URL.Path), "status", status)
	}
	switch portal.ErrorCode(err) {
	case portal.EUNAVAILABLE, portal.EINTERNAL:
	default:
		retry = "" // trying the same again cannot help
	}
	key := "error.invite" // the link itself: unknown, used, expired, replaced
	switch {
	case status == http.StatusUnauthorized:
		key = "error.session"
	case status >= 500 || status == http.StatusTooManyRequests:
		key = "invite.error.setup"
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, web.InviteErrorPage(web.InviteErrorView{Page: s.invitePage(r, key, 0), Heading: web.T(r.Context(), key),
		Message: web.ErrorText(r.Context(), err), Retry: retry, SigninURL: s.Onboarding.SigninURL(r.Context())}))
}

// passwordStep is step 1: the console credentials. Within the claim
// session it never dead-ends: the password is shown while the browser
// holds it, else the person confirms having saved it or sets a new one.
func (s *Server) passwordStep(w http.ResponseWriter, r *http.Request) {
	cs, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	s.renderPassword(w, r, http.StatusOK, cs, u, nil)
}

func (s *Server) renderPassword(w http.ResponseWriter, r *http.Request, status int, cs *portal.ClaimSession, u *portal.User, errs []web.FormError) {
	v := web.CredentialsView{Page: s.invitePage(r, "creds.title", 1), UserName: u.UserName, SigninURL: s.Onboarding.SigninURL(r.Context()),
		Account: s.Onboarding.Account(), Issued: !cs.PasswordAt.IsZero(), Saved: !cs.SavedAt.IsZero(), Errors: errs}
	if v.Issued && !v.Saved {
		v.Password, _ = s.heldValue(r, heldPassword, cs, "")
	}
	w.Header().Set("Cache-Control", "no-store") // the page may carry the password
	s.render(w, r, status, web.CredentialsPage(v))
}

// passwordIssue sets a fresh console password for the same claim (the
// first one, if the claim stopped before it) and shows it.
func (s *Server) passwordIssue(w http.ResponseWriter, r *http.Request) {
	cs, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	creds, err := s.Onboarding.IssuePassword(r.Context(), cs, u, requestID(r))
	if err != nil {
		s.renderPassword(w, r, statusOf(err), cs, u, formErrors(err))
		return
	}
	s.holdSecret(w, heldPassword, cs, "", creds.Password)
	http.Redirect(w, r, "/enroll/password", http.StatusSeeOther)
}

// passwordSaved records that the person saved the password and moves on:
// to the AWS console walkthrough, or to the MFA step, whose device is
// created here, by this POST, unless the session has one already.
func (s *Server) passwordSaved(w http.ResponseWriter, r *http.Request) {
	cs, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	if err := s.Onboarding.ConfirmPasswordSaved(r.Context(), cs); err != nil {
		s.renderPassword(w, r, statusOf(err), cs, u, formErrors(err))
		return
	}
	s.dropSecret(w, heldPassword)
	switch {
	case r.PostFormValue("next") == "console":
		http.Redirect(w, r, "/enroll/console", http.StatusSeeOther)
	case u.State == portal.StateEnrolled || cs.PendingSerial != "":
		http.Redirect(w, r, stepURL(onboarding.NextStep(cs, u)), http.StatusSeeOther)
	default:
		s.startMFA(w, r, cs, u)
	}
}

func (s *Server) mfaPage(r *http.Request) web.Page { return s.invitePage(r, "mfa.title", 2) }

// mfaForm shows the MFA step. It creates nothing: the device is created by
// a POST (passwordSaved, mfaStart) and its secret shown again from what
// the browser holds. It asks IAM whether the user has a device already, so
// an enrollment whose answer was lost shows as done.
func (s *Server) mfaForm(w http.ResponseWriter, r *http.Request) {
	cs, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	if step := onboarding.NextStep(cs, u); step != onboarding.SetupMFA {
		http.Redirect(w, r, stepURL(step), http.StatusSeeOther)
		return
	}
	enrolled, err := s.Onboarding.CheckStatus(r.Context(), cs, u, invitee(r, u))
	if err != nil {
		s.renderMFA(w, r, statusOf(err), cs, u, formErrors(err))
		return
	}
	if enrolled {
		http.Redirect(w, r, "/enroll/done", http.StatusSeeOther)
		return
	}
	s.renderMFA(w, r, http.StatusOK, cs, u, nil)
}

func (s *Server) renderMFA(w http.ResponseWriter, r *http.Request, status int, cs *portal.ClaimSession, u *portal.User, errs []web.FormError) {
	v := web.MFAView{Page: s.mfaPage(r), UserName: u.UserName, Serial: cs.PendingSerial, Errors: errs}
	if cs.PendingSerial != "" {
		if secret, ok := s.heldValue(r, heldSeed, cs, cs.PendingSerial); ok {
			v.Secret, v.OTPAuthURL = secret, otpauthURL(cs.PendingSerial, secret, s.Onboarding.Account())
		}
		if s.TestCodes != nil {
			v.TestCodes = s.TestCodes(cs.PendingSerial)
		}
	}
	w.Header().Set("Cache-Control", "no-store") // the page may carry the TOTP seed
	s.render(w, r, status, web.MFAPage(v))
}

// mfaStart creates the MFA device: the first time (from the console
// walkthrough), or, with restart=1, again to start over with a new QR code.
// Without restart a device waiting already is kept: its QR may be in the
// person's app.
func (s *Server) mfaStart(w http.ResponseWriter, r *http.Request) {
	cs, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	step := onboarding.NextStep(cs, u)
	if step != onboarding.SetupMFA || (cs.PendingSerial != "" && r.PostFormValue("restart") == "") {
		http.Redirect(w, r, stepURL(step), http.StatusSeeOther)
		return
	}
	s.startMFA(w, r, cs, u)
}

// startMFA creates a virtual MFA device, gives the browser its seed to
// hold and sends it to the MFA page, or to the done page when IAM has an
// active device for the user already.
func (s *Server) startMFA(w http.ResponseWriter, r *http.Request, cs *portal.ClaimSession, u *portal.User) {
	setup, err := s.Onboarding.StartMFA(r.Context(), cs, u, requestID(r))
	if err != nil {
		s.renderMFA(w, r, statusOf(err), cs, u, formErrors(err))
		return
	}
	if setup.Enrolled {
		s.dropSecret(w, heldSeed)
		http.Redirect(w, r, "/enroll/done", http.StatusSeeOther)
		return
	}
	s.holdSecret(w, heldSeed, cs, setup.Serial, setup.Secret)
	http.Redirect(w, r, "/enroll/mfa", http.StatusSeeOther)
}

// mfaSubmit enables the device with two consecutive codes.
func (s *Server) mfaSubmit(w http.ResponseWriter, r *http.Request) {
	cs, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	if _, err := s.Onboarding.EnrollMFA(r.Context(), cs, u, r.PostFormValue("code1"), r.PostFormValue("code2"), requestID(r)); err != nil {
		s.renderMFA(w, r, statusOf(err), cs, u, formErrors(err))
		return
	}
	s.dropSecret(w, heldSeed)
	http.Redirect(w, r, "/enroll/done", http.StatusSeeOther)
}

// enrollDone shows the final step once MFA is active. It asks IAM when the
// store does not know yet, so an enrollment whose answer was lost is done.
func (s *Server) enrollDone(w http.ResponseWriter, r *http.Request) {
	cs, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	if u.State != portal.StateEnrolled {
		enrolled, err := s.Onboarding.CheckStatus(r.Context(), cs, u, invitee(r, u))
		if err != nil {
			s.inviteeFail(w, r, err, "/enroll/done")
			return
		}
		if !enrolled {
			http.Redirect(w, r, stepURL(onboarding.NextStep(cs, u)), http.StatusSeeOther)
			return
		}
	}
	s.dropSecret(w, heldSeed)
	s.render(w, r, http.StatusOK, web.DonePage(web.DoneView{Page: s.invitePage(r, "done.title", 3), UserName: u.UserName, Serial: u.MFASerial,
		SigninURL: s.Onboarding.SigninURL(r.Context()), Account: s.Onboarding.Account(), Region: s.Onboarding.Region(r.Context())}))
}

// consoleWalkthrough shows the seed's console steps, while MFA is the
// step the setup stands at.
func (s *Server) consoleWalkthrough(w http.ResponseWriter, r *http.Request) {
	cs, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	if step := onboarding.NextStep(cs, u); step != onboarding.SetupMFA {
		http.Redirect(w, r, stepURL(step), http.StatusSeeOther)
		return
	}
	s.renderConsole(w, r, http.StatusOK, u, false, nil)
}

func (s *Server) renderConsole(w http.ResponseWriter, r *http.Request, status int, u *portal.User, checked bool, errs []web.FormError) {
	s.render(w, r, status, web.ConsolePage(web.ConsoleView{Page: s.invitePage(r, "console.title", 2), UserName: u.UserName,
		SigninURL: s.Onboarding.SigninURL(r.Context()), Account: s.Onboarding.Account(), Checked: checked, Errors: errs}))
}

// checkStatus asks IAM whether the user has enrolled MFA in the console.
func (s *Server) checkStatus(w http.ResponseWriter, r *http.Request) {
	cs, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	enrolled, err := s.Onboarding.CheckStatus(r.Context(), cs, u, invitee(r, u))
	if isHTMX(r) {
		s.renderStatusFragment(w, r, enrolled && err == nil, err)
		return
	}
	if err != nil {
		s.renderConsole(w, r, statusOf(err), u, false, formErrors(err))
		return
	}
	if enrolled {
		http.Redirect(w, r, "/enroll/done", http.StatusSeeOther)
		return
	}
	s.renderConsole(w, r, http.StatusOK, u, true, nil)
}

// invitee is the actor of an invitee's own request.
func invitee(r *http.Request, u *portal.User) onboarding.Actor {
	return onboarding.Actor{Name: "invitee:" + u.UserName, RequestID: requestID(r)}
}

// otpauthURL is the key URI authenticator apps register (the same payload
// AWS puts in its QR code), named like AWS's entries so the app shows
// "Amazon Web Services: <device>@<account>".
func otpauthURL(serial, secret, account string) string {
	name := serial[strings.LastIndex(serial, "/")+1:]
	label := url.PathEscape("Amazon Web Services:" + name + "@" + account)
	return "otpauth://totp/" + label + "?secret=" + url.QueryEscape(secret) + "&issuer=" + url.QueryEscape("Amazon Web Services")
}

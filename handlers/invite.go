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

// inviteLanding shows what the invite is for. It changes nothing, so link
// previews in chat apps cannot use up the invite.
func (s *Server) inviteLanding(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	inv, err := s.Onboarding.LookupInvite(r.Context(), token)
	if err != nil {
		s.fail(w, r, err, web.T(r.Context(), "error.invite"))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, web.InvitePage(web.InviteView{Page: s.page(r, web.T(r.Context(), "invite.title")),
		Action: "/invite/" + token, UserName: inv.User.UserName, DisplayName: inv.User.DisplayName, Deadline: fmtDate(inv.User.Deadline)}))
}

// inviteClaim claims the invite and shows the console credentials, once.
func (s *Server) inviteClaim(w http.ResponseWriter, r *http.Request) {
	creds, err := s.Onboarding.ClaimInvite(r.Context(), chi.URLParam(r, "token"), requestID(r))
	if err != nil {
		s.fail(w, r, err, web.T(r.Context(), "error.invite"))
		return
	}
	s.setCookie(w, s.claimCookie(), creds.SessionToken, 0)
	w.Header().Set("Cache-Control", "no-store") // the password must not be cached
	p := s.page(r, web.T(r.Context(), "creds.title"))
	p.Step = 1
	s.render(w, r, http.StatusOK, web.CredentialsPage(web.CredentialsView{Page: p, UserName: creds.UserName,
		Password: creds.Password, SigninURL: creds.SigninURL, Account: creds.Account}))
}

// claim returns the invitee's setup session, or renders the error and
// returns ok=false.
func (s *Server) claim(w http.ResponseWriter, r *http.Request) (*portal.ClaimSession, *portal.User, bool) {
	c, err := r.Cookie(s.claimCookie())
	if err != nil || c.Value == "" {
		s.fail(w, r, portal.E(portal.EUNAUTHORIZED, "err.claim.first"), web.T(r.Context(), "error.session"))
		return nil, nil, false
	}
	cs, u, err := s.Onboarding.ClaimSession(r.Context(), c.Value)
	if err != nil {
		var e *portal.Error
		if errors.As(err, &e) && e.Code == portal.ENOTFOUND {
			unauth := *e // same message, but a session problem is a 401
			unauth.Code = portal.EUNAUTHORIZED
			err = &unauth
		}
		s.fail(w, r, err, web.T(r.Context(), "error.session"))
		return nil, nil, false
	}
	return cs, u, true
}

func (s *Server) mfaPage(r *http.Request) web.Page {
	p := s.page(r, web.T(r.Context(), "mfa.title"))
	p.Step = 2
	return p
}

// mfaForm creates a fresh virtual MFA device and shows its QR and secret.
func (s *Server) mfaForm(w http.ResponseWriter, r *http.Request) {
	cs, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	if u.State == portal.StateEnrolled {
		http.Redirect(w, r, "/enroll/done", http.StatusSeeOther)
		return
	}
	setup, err := s.Onboarding.StartMFA(r.Context(), cs, u, requestID(r))
	if err != nil {
		s.fail(w, r, err, web.T(r.Context(), "mfa.title"))
		return
	}
	w.Header().Set("Cache-Control", "no-store") // the page carries the TOTP seed
	v := web.MFAView{Page: s.mfaPage(r), UserName: u.UserName, Serial: setup.Serial, Secret: setup.Secret, QRPNG: setup.QRPNG,
		OTPAuthURL: otpauthURL(setup.Serial, setup.Secret, s.Onboarding.Account())}
	if s.TestCodes != nil {
		v.TestCodes = s.TestCodes(setup.Serial)
	}
	s.render(w, r, http.StatusOK, web.MFAPage(v))
}

// mfaSubmit enables the device with two consecutive codes.
func (s *Server) mfaSubmit(w http.ResponseWriter, r *http.Request) {
	cs, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	serial := cs.PendingSerial
	_, err := s.Onboarding.EnrollMFA(r.Context(), cs, u, r.PostFormValue("code1"), r.PostFormValue("code2"), requestID(r))
	if err != nil {
		v := web.MFAView{Page: s.mfaPage(r), UserName: u.UserName, Serial: serial, Errors: formErrors(err)}
		if s.TestCodes != nil && serial != "" {
			v.TestCodes = s.TestCodes(serial)
		}
		s.render(w, r, statusOf(err), web.MFAPage(v))
		return
	}
	http.Redirect(w, r, "/enroll/done", http.StatusSeeOther)
}

// enrollDone shows the final step once MFA is active.
func (s *Server) enrollDone(w http.ResponseWriter, r *http.Request) {
	_, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	if u.State != portal.StateEnrolled {
		http.Redirect(w, r, "/enroll/mfa", http.StatusSeeOther)
		return
	}
	p := s.page(r, web.T(r.Context(), "done.title"))
	p.Step = 3
	s.render(w, r, http.StatusOK, web.DonePage(web.DoneView{Page: p, UserName: u.UserName, Serial: u.MFASerial,
		SigninURL: s.Onboarding.SigninURL(r.Context()), Account: s.Onboarding.Account()}))
}

// consoleWalkthrough shows the seed's console steps.
func (s *Server) consoleWalkthrough(w http.ResponseWriter, r *http.Request) {
	_, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	s.renderConsole(w, r, http.StatusOK, u, false, nil)
}

func (s *Server) renderConsole(w http.ResponseWriter, r *http.Request, status int, u *portal.User, checked bool, errs []web.FormError) {
	p := s.page(r, web.T(r.Context(), "console.title"))
	p.Step = 2
	s.render(w, r, status, web.ConsolePage(web.ConsoleView{Page: p, UserName: u.UserName, SigninURL: s.Onboarding.SigninURL(r.Context()),
		Account: s.Onboarding.Account(), Checked: checked, Errors: errs}))
}

// checkStatus asks IAM whether the user has enrolled MFA in the console.
func (s *Server) checkStatus(w http.ResponseWriter, r *http.Request) {
	_, u, ok := s.claim(w, r)
	if !ok {
		return
	}
	enrolled, err := s.Onboarding.CheckStatus(r.Context(), u, onboarding.Actor{Name: "invitee:" + u.UserName, RequestID: requestID(r)})
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

// otpauthURL is the key URI authenticator apps register (the same payload
// AWS puts in its QR code), named like AWS's entries so the app shows
// "Amazon Web Services: <device>@<account>".
func otpauthURL(serial, secret, account string) string {
	name := serial[strings.LastIndex(serial, "/")+1:]
	label := url.PathEscape("Amazon Web Services:" + name + "@" + account)
	return "otpauth://totp/" + label + "?secret=" + url.QueryEscape(secret) + "&issuer=" + url.QueryEscape("Amazon Web Services")
}

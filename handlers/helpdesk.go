package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/web"
)

// userHelpdesk gathers the IAM side of the user page: live MFA devices,
// the credential report's facts, abandoned devices, and what the operator
// may do. An IAM failure shows as a note, not as a failed page.
func (s *Server) userHelpdesk(r *http.Request, u *portal.User) *web.UserHelpdesk {
	ctx := r.Context()
	op := operatorFrom(ctx)
	h := &web.UserHelpdesk{CanHelp: s.may(op, "POST", "/users/{name}/resend-invite"), CanOffboard: s.may(op, "GET", "/users/{name}/offboard"),
		Email: s.Onboarding.NotifyEnabled(), Deadline: web.Date(u.Deadline)}
	for _, days := range onboarding.ExtendChoices {
		h.ExtendBy = append(h.ExtendBy, web.ExtendChoice{Days: days, Date: web.Date(onboarding.ExtendedBy(u, s.Now(), days))})
	}
	if u.State != portal.StateOffboarded && u.State != portal.StateProvisioning {
		devs, err := s.Onboarding.UserMFADevices(ctx, u.UserName)
		if err != nil {
			h.DevicesError = web.ErrorText(r.Context(), err)
		}
		for _, d := range devs {
			h.Devices = append(h.Devices, web.DeviceInfo{Serial: d.Serial, Enabled: web.Time(d.EnableDate)})
		}
		if h.CanHelp {
			if dangling, err := s.Onboarding.DanglingDevices(ctx); err == nil {
				for _, d := range dangling {
					if d.UserName == u.UserName {
						h.Dangling = append(h.Dangling, d.Serial)
					}
				}
			}
		}
	}
	if notices, err := s.Store.FindNotices(ctx, u.ID, 10); err == nil {
		for _, n := range notices {
			at := n.CreatedAt
			if !n.SentAt.IsZero() {
				at = n.SentAt
			}
			h.Notices = append(h.Notices, web.NoticeRow{Kind: n.Kind, To: n.Recipient, State: n.State, At: web.Time(at),
				Attempts: n.Attempts, Error: web.Stored(ctx, n.LastError, "")})
		}
	}
	if f, err := s.Store.FindUserFacts(ctx, u.ID); err == nil {
		h.FactsAt, h.PasswordSet, h.ConsoleLastUse = web.Time(f.ReportAt), f.PasswordEnabled, web.Time(f.PasswordLastUsed)
		for _, k := range f.AccessKeys {
			h.Keys = append(h.Keys, web.KeyInfo{Active: k.Active, LastRotated: web.Date(k.LastRotated), LastUsed: web.Date(k.LastUsed), Service: k.LastService})
		}
	}
	return h
}

// showInvite shows a freshly issued invite link once.
func (s *Server) showInvite(w http.ResponseWriter, r *http.Request, inv *onboarding.NewInvite, heading string) {
	s.render(w, r, http.StatusOK, web.InviteIssuedPage(web.InviteIssuedView{Page: s.page(r, heading), UserName: inv.User.UserName,
		Account: s.userLink(s.Onboarding.MultiAccount(r.Context()), inv.User),
		Heading: heading, InviteURL: inv.URL, InviteUntil: web.Time(inv.Until),
		EmailQueued: inv.EmailQueued, Email: inv.User.Email}))
}

// actionFailed shows the user page again with the error.
func (s *Server) actionFailed(w http.ResponseWriter, r *http.Request, err error) {
	if portal.ErrorCode(err) == portal.ENOTFOUND && chi.URLParam(r, "name") != "" {
		if _, ferr := s.findUser(r, chi.URLParam(r, "name")); ferr != nil {
			s.fail(w, r, ferr, "")
			return
		}
	}
	s.renderUser(w, r, statusOf(err), chi.URLParam(r, "name"), formErrors(err))
}

// backToUser redirects to the user page, which confirms the action done
// (one of the keys of userFlash), in the account linkAccountOf names: the
// operator lands on the same user of the same account.
func (s *Server) backToUser(w http.ResponseWriter, r *http.Request, name, done string) {
	http.Redirect(w, r, userURL(s.linkAccountOf(r, name), name, url.Values{"done": {done}}), http.StatusSeeOther)
}

// linkAccountOf is the account a link or form about user name carries
// after a request about it: the account the request chose, or, when it
// named none (the name is in one account only), the user's as every link
// to a user carries it (userLink), so the link stays the same user's once
// another account holds the name.
func (s *Server) linkAccountOf(r *http.Request, name string) string {
	if account := onboarding.ChosenAccount(r.Context()); account != "" {
		return account
	}
	if u, err := s.findUser(r, name); err == nil {
		return s.userLink(s.Onboarding.MultiAccount(r.Context()), u)
	}
	return ""
}

// userFlash is the confirmation on the user page after the action done.
// Only these keys are known, so the query cannot inject text.
func userFlash(r *http.Request, u *portal.User) string {
	ctx := r.Context()
	switch r.URL.Query().Get("done") {
	case "revoked":
		return web.T(ctx, "flash.user.revoked")
	case "extended":
		return web.T(ctx, "flash.user.extended", web.Date(u.Deadline))
	case "device-deleted":
		return web.T(ctx, "flash.device.deleted")
	case "offboarded":
		return web.T(ctx, "flash.user.offboarded", u.UserName)
	case "removal-cancelled":
		return web.T(ctx, "flash.user.removal.cancelled")
	}
	return ""
}

func (s *Server) resendInvite(w http.ResponseWriter, r *http.Request) {
	inv, err := s.Onboarding.ResendInvite(r.Context(), actor(r), chi.URLParam(r, "name"))
	if err != nil {
		s.actionFailed(w, r, err)
		return
	}
	s.showInvite(w, r, inv, web.T(r.Context(), "hd.resend.title", inv.User.UserName))
}

func (s *Server) revokeInvite(w http.ResponseWriter, r *http.Request) {
	if err := s.Onboarding.RevokeInvite(r.Context(), actor(r), chi.URLParam(r, "name")); err != nil {
		s.actionFailed(w, r, err)
		return
	}
	s.backToUser(w, r, chi.URLParam(r, "name"), "revoked")
}

// extendDeadline moves the deadline by one of the quick choices (days) or
// to the end of the day entered (deadline).
func (s *Server) extendDeadline(w http.ResponseWriter, r *http.Request) {
	name, reason := chi.URLParam(r, "name"), r.PostFormValue("reason")
	var err error
	if days := r.PostFormValue("days"); days != "" {
		n, perr := strconv.Atoi(days)
		if perr != nil {
			s.actionFailed(w, r, portal.FieldE("deadline", "err.deadline.new.format"))
			return
		}
		_, err = s.Onboarding.ExtendDeadlineBy(r.Context(), actor(r), name, n, reason)
	} else {
		day, perr := time.Parse(web.DateLayout, strings.TrimSpace(r.PostFormValue("deadline")))
		if perr != nil {
			s.actionFailed(w, r, portal.FieldE("deadline", "err.deadline.new.format"))
			return
		}
		// the end of that day, UTC
		_, err = s.Onboarding.ExtendDeadline(r.Context(), actor(r), name, day.Add(24*time.Hour-time.Second), reason)
	}
	if err != nil {
		s.actionFailed(w, r, err)
		return
	}
	s.backToUser(w, r, name, "extended")
}

func (s *Server) resetMFA(w http.ResponseWriter, r *http.Request) {
	inv, err := s.Onboarding.ResetMFA(r.Context(), actor(r), chi.URLParam(r, "name"), r.PostFormValue("reason"),
		r.PostFormValue("verified_by"))
	if err != nil {
		s.actionFailed(w, r, err)
		return
	}
	s.showInvite(w, r, inv, web.T(r.Context(), "hd.reset.title", inv.User.UserName))
}

func (s *Server) deleteUserDevice(w http.ResponseWriter, r *http.Request) {
	if err := s.Onboarding.DeleteDanglingDevice(r.Context(), actor(r), r.PostFormValue("serial")); err != nil {
		s.actionFailed(w, r, err)
		return
	}
	s.backToUser(w, r, chi.URLParam(r, "name"), "device-deleted")
}

func (s *Server) offboardForm(w http.ResponseWriter, r *http.Request) {
	u, err := s.findUser(r, chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	// The form posts to the user's account, named or not in the request.
	account := s.userLink(s.Onboarding.MultiAccount(r.Context()), u)
	s.render(w, r, http.StatusOK, web.OffboardPage(web.OffboardView{Page: s.page(r, web.T(r.Context(), "hd.offboard.title", u.UserName)), UserName: u.UserName,
		Account: account, AccountLabel: s.accountLabel(r, account)}))
}

func (s *Server) offboard(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	account := s.linkAccountOf(r, name)
	view := web.OffboardView{Page: s.page(r, web.T(r.Context(), "hd.offboard.title", name)), UserName: name, Account: account,
		AccountLabel: s.accountLabel(r, account), Reason: r.PostFormValue("reason"), ConfirmName: r.PostFormValue("confirm_name")}
	if !strings.EqualFold(strings.TrimSpace(r.PostFormValue("confirm_name")), name) {
		view.Errors = formErrors(portal.FieldE("confirm_name", "err.offboard.confirm", name))
		s.render(w, r, http.StatusUnprocessableEntity, web.OffboardPage(view))
		return
	}
	if err := s.Onboarding.Offboard(r.Context(), actor(r), name, r.PostFormValue("reason")); err != nil {
		if portal.ErrorCode(err) == portal.EINVALID {
			view.Errors = formErrors(err)
			s.render(w, r, statusOf(err), web.OffboardPage(view))
			return
		}
		s.actionFailed(w, r, err)
		return
	}
	s.backToUser(w, r, name, "offboarded")
}

// cancelRemoval cancels the removal an identity provider's DELETE
// scheduled (admins, with a reason).
func (s *Server) cancelRemoval(w http.ResponseWriter, r *http.Request) {
	if s.SCIM == nil {
		s.fail(w, r, portal.E(portal.EUNAVAILABLE, "err.scim.off"), "")
		return
	}
	if err := s.SCIM.CancelRemoval(r.Context(), actor(r), chi.URLParam(r, "name"), r.PostFormValue("reason")); err != nil {
		s.actionFailed(w, r, err)
		return
	}
	s.backToUser(w, r, chi.URLParam(r, "name"), "removal-cancelled")
}

package handlers

import (
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/web"
)

const defaultDeadlineDays = 7

// newUserForm shows the onboarding form.
func (s *Server) newUserForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, web.NewUserPage(web.NewUserView{Page: s.page(r, web.T(r.Context(), "newuser.title")),
		DefaultDays: defaultDeadlineDays, Deadline: web.Date(s.Now().AddDate(0, 0, defaultDeadlineDays)),
		Options: web.NewUserOptions{Path: "/"}, Accounts: s.accountOptions(r), Account: s.Onboarding.Account()}))
}

// createUser onboards one IAM user and shows the hand-off page.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	in := portal.NewUser{
		Account:     strings.TrimSpace(r.PostFormValue("account")),
		UserName:    strings.TrimSpace(r.PostFormValue("user_name")),
		DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Email:       strings.TrimSpace(r.PostFormValue("email")),
	}
	if lang, ok := web.ParseLang(r.PostFormValue("lang")); ok {
		in.Lang = string(lang)
	}
	form := web.NewUserView{Page: s.page(r, web.T(r.Context(), "newuser.title")), UserName: in.UserName, DisplayName: in.DisplayName,
		Email: in.Email, Deadline: r.PostFormValue("deadline"), DefaultDays: defaultDeadlineDays,
		Accounts: s.accountOptions(r), Account: s.accountOrHub(in.Account)}
	if d := strings.TrimSpace(form.Deadline); d != "" {
		t, err := time.Parse(web.DateLayout, d)
		if err != nil {
			form.Errors = formErrors(portal.FieldE("deadline", "err.deadline.format"))
			s.render(w, r, http.StatusUnprocessableEntity, web.NewUserPage(form))
			return
		}
		in.Deadline = t.Add(24*time.Hour - time.Second) // the end of that day, UTC
	}
	if !s.optionsConfirmed(w, r, &in, &form) {
		return
	}
	h, err := s.Onboarding.Onboard(r.Context(), actor(r), in)
	if err != nil {
		if portal.ErrorCode(err) == portal.EINVALID {
			form.Errors = formErrors(err)
			s.render(w, r, statusOf(err), web.NewUserPage(form))
			return
		}
		if h != nil && r.Context().Err() == nil {
			// The saga started and stopped: its progress is on the user page
			// (which cannot be read once the page's budget is spent: then the
			// form says what happened).
			r = r.WithContext(onboarding.InAccount(r.Context(), h.User.AccountID))
			s.renderUser(w, r, statusOf(err), h.User.UserName, formErrors(err))
			return
		}
		form.Errors = formErrors(err)
		s.render(w, r, statusOf(err), web.NewUserPage(form))
		return
	}
	s.renderHandoff(w, r, h)
}

func (s *Server) renderHandoff(w http.ResponseWriter, r *http.Request, h *onboarding.Handoff) {
	s.render(w, r, http.StatusCreated, web.HandoffPage(web.HandoffView{
		Page:        s.page(r, web.T(r.Context(), "handoff.title", h.User.UserName)),
		UserName:    h.User.UserName,
		DisplayName: h.User.DisplayName,
		InviteURL:   h.InviteURL,
		InviteUntil: web.Time(h.InviteUntil),
		SigninURL:   h.SigninURL,
		Deadline:    web.Date(h.User.Deadline),
		PolicyDrift: h.PolicyDrift,
		EmailQueued: h.EmailQueued,
		Email:       h.User.Email,
	}))
}

// showUser shows one managed user.
func (s *Server) showUser(w http.ResponseWriter, r *http.Request) {
	s.renderUser(w, r, http.StatusOK, chi.URLParam(r, "name"), nil)
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, name string, errs []web.FormError) {
	u, err := s.findUser(r, name)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	v := web.UserView{Page: s.page(r, u.UserName), User: *u, Account: s.userLink(s.Onboarding.MultiAccount(r.Context()), u), Status: u.StatusAt(s.Now()), Deadline: web.Date(u.Deadline),
		Enrolled: web.Date(u.EnrolledAt), Errors: errs, CanRetry: s.may(operatorFrom(r.Context()), "POST", "/users/{name}/retry")}
	v.AccountLabel = s.accountLabel(r, v.Account)
	if r.Method == http.MethodGet {
		v.Flash = userFlash(r, u)
	} else {
		// A form that failed shows again with what was typed.
		v.Form = web.UserForm{Action: path.Base(r.URL.Path), Deadline: r.PostFormValue("deadline"), Reason: r.PostFormValue("reason"),
			VerifiedBy: r.PostFormValue("verified_by")}
	}
	if u.State == portal.StateProvisioning {
		steps, err := s.Onboarding.Progress(r.Context(), u)
		if err != nil {
			s.fail(w, r, err, "")
			return
		}
		for _, st := range steps {
			v.Steps = append(v.Steps, web.StepRow{Name: st.Name, Status: st.Status, Attempts: st.Attempts, LastError: web.Stored(r.Context(), st.LastErrorText, st.LastError)})
		}
		j, err := s.Store.FindResumeJob(r.Context(), u.ID)
		if err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
			s.fail(w, r, err, "")
			return
		}
		v.ResumeState, v.Resume = s.resumeText(r, j)
	}
	if inv, err := s.Store.FindLatestInvite(r.Context(), u.ID); err == nil && inv.Interrupted() && u.State != portal.StateEnrolled {
		v.ClaimInterrupted = web.Time(inv.ClaimedAt)
	} else if err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
		s.fail(w, r, err, "")
		return
	}
	v.Helpdesk = s.userHelpdesk(r, u)
	if u.State != portal.StateOffboarded {
		su, err := s.Store.FindSCIMUserByUserID(r.Context(), u.ID)
		switch {
		case err == nil && !su.RemoveAfter.IsZero():
			v.SCIM = &web.SCIMNote{IdP: su.IdP, RemoveAfter: web.Time(su.RemoveAfter),
				CanCancel: s.may(operatorFrom(r.Context()), "POST", "/users/{name}/cancel-removal")}
		case err == nil && !su.Active:
			v.SCIM = &web.SCIMNote{IdP: su.IdP}
		case err != nil && portal.ErrorCode(err) != portal.ENOTFOUND:
			s.fail(w, r, err, "")
			return
		}
	}
	events, err := s.Store.FindAuditEvents(r.Context(), portal.AuditFilter{TargetKind: portal.TargetUser, Target: u.UserName,
		Account: s.accountOrHub(u.AccountID), Limit: 200})
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	for _, e := range events {
		v.Events = append(v.Events, web.EventRow{At: web.Stamp(e.At), Actor: e.Actor, Action: e.Action, Detail: web.Stored(r.Context(), e.Text, e.Detail)})
	}
	s.render(w, r, status, web.UserPage(v))
}

// retryUser resumes an unfinished onboarding.
func (s *Server) retryUser(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	op := operatorFrom(r.Context())
	h, err := s.Onboarding.Resume(r.Context(), onboarding.Actor{Name: op.Username, RequestID: requestID(r)}, name)
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			s.fail(w, r, err, "")
			return
		}
		s.renderUser(w, r, statusOf(err), name, formErrors(err))
		return
	}
	s.renderHandoff(w, r, h)
}

// optionsConfirmed reads the onboarding form's advanced options into in and
// form. When they hit a trap of the policy (a path, a forced password
// reset) and the admin has not ticked confirm_warnings, it renders the form
// again with the warnings (422) and returns false: nothing is created.
func (s *Server) optionsConfirmed(w http.ResponseWriter, r *http.Request, in *portal.NewUser, form *web.NewUserView) bool {
	in.Path = strings.TrimSpace(r.PostFormValue("path"))
	if in.Path == "" {
		in.Path = "/"
	}
	in.PasswordResetRequired = r.PostFormValue("password_reset_required") == "true"
	form.Options = web.NewUserOptions{Path: in.Path, PasswordResetRequired: in.PasswordResetRequired}
	if err := in.Validate(s.Now()); err != nil {
		form.Errors = formErrors(err)
		s.render(w, r, statusOf(err), web.NewUserPage(*form))
		return false
	}
	warnings, err := s.Onboarding.OptionWarnings(r.Context(), in.Path, in.PasswordResetRequired)
	if err != nil {
		form.Errors = formErrors(err)
		s.render(w, r, statusOf(err), web.NewUserPage(*form))
		return false
	}
	if len(warnings) == 0 || r.PostFormValue("confirm_warnings") == "true" {
		return true
	}
	form.Options.Warnings = findingRows(warnings)
	s.render(w, r, http.StatusUnprocessableEntity, web.NewUserPage(*form))
	return false
}

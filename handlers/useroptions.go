package handlers

import (
	"net/http"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/web"
)

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

package handlers

import (
	"net/http"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/web"
)

// adoptForm lists IAM users Gatehouse does not manage; the users named
// in ?user= (the posture page's remedy) are ticked.
func (s *Server) adoptForm(w http.ResponseWriter, r *http.Request) {
	s.renderAdopt(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderAdopt(w http.ResponseWriter, r *http.Request, status int, adopted []web.AdoptedRow, errs []web.FormError) {
	v := web.AdoptView{Page: s.page(r, web.T(r.Context(), "hd.adopt.title")), Adopted: adopted, Errors: errs}
	cands, err := s.Onboarding.AdoptionCandidates(r.Context())
	selected := map[string]bool{}
	if r.Method == http.MethodGet {
		for _, n := range r.URL.Query()["user"] {
			selected[portal.UserNameKey(n)] = true
		}
	}
	if err != nil {
		v.Errors = append(v.Errors, formErrors(err)...)
		status = statusOf(err)
	}
	for _, c := range cands {
		v.Candidates = append(v.Candidates, web.CandidateRow{UserName: c.UserName, Created: web.Date(c.Created), HasMFA: c.HasMFA,
			HasPassword: c.HasPassword, ActiveKeys: c.ActiveKeys, Self: c.Self, Selected: !c.Self && selected[portal.UserNameKey(c.UserName)]})
	}
	s.render(w, r, status, web.AdoptPage(v))
}

// adopt takes the selected IAM users under management. A user with active
// access keys is adopted only when its own confirm_keys box is ticked.
func (s *Server) adopt(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderAdopt(w, r, http.StatusBadRequest, nil, formErrors(portal.E(portal.EINVALID, "err.form.unreadable")))
		return
	}
	names := r.PostForm["user"]
	confirmed := map[string]bool{}
	for _, n := range r.PostForm["confirm_keys"] {
		confirmed[n] = true
	}
	if len(names) == 0 {
		s.renderAdopt(w, r, http.StatusUnprocessableEntity, nil, formErrors(portal.FieldE("user", "err.adopt.none")))
		return
	}
	var adopted []web.AdoptedRow
	var errs []web.FormError
	for _, name := range names {
		a, err := s.Onboarding.Adopt(r.Context(), actor(r), name, onboarding.AdoptOptions{KeysConfirmed: confirmed[name]})
		if err != nil {
			errs = append(errs, web.FormError{Message: name + ": " + web.ErrorText(r.Context(), err)})
			continue
		}
		row := web.AdoptedRow{UserName: a.User.UserName}
		row.InviteURL = a.URL
		adopted = append(adopted, row)
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	if adopted == nil {
		adopted = []web.AdoptedRow{}
	}
	s.renderAdopt(w, r, status, adopted, errs)
}

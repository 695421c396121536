package handlers

import (
	"net/http"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/web"
)

// adoptInput is what the adopt form carries: the users ticked, the users
// whose access keys the admin confirmed, and the reason. A refused form is
// shown again with all of it.
type adoptInput struct {
	selected  map[string]bool // portal.UserNameKey
	confirmed map[string]bool // portal.UserNameKey
	reason    string
}

// adoptAccount scopes r to the account whose IAM users the adoption page
// lists and adopts: ?account= (or the form's), the hub by default. An
// account that is not 12 digits is refused.
func (s *Server) adoptAccount(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	acct := r.URL.Query().Get("account")
	if acct == "" && r.Method == http.MethodPost {
		acct = r.PostFormValue("account")
	}
	if acct != "" && !portal.ValidAccountID(acct) {
		s.fail(w, r, portal.FieldE("account", "err.account.id"), "")
		return r, false
	}
	return r.WithContext(onboarding.InAccount(r.Context(), s.accountOrHub(acct))), true
}

// adoptForm lists IAM users Gatehouse does not manage in the chosen
// account; the users named in ?user= (the posture page's remedy) are
// ticked.
func (s *Server) adoptForm(w http.ResponseWriter, r *http.Request) {
	r, ok := s.adoptAccount(w, r)
	if !ok {
		return
	}
	in := adoptInput{selected: map[string]bool{}}
	for _, n := range r.URL.Query()["user"] {
		in.selected[portal.UserNameKey(n)] = true
	}
	s.renderAdopt(w, r, http.StatusOK, nil, nil, in)
}

func (s *Server) renderAdopt(w http.ResponseWriter, r *http.Request, status int, adopted []web.AdoptedRow, errs []web.FormError, in adoptInput) {
	v := web.AdoptView{Page: s.page(r, web.T(r.Context(), "hd.adopt.title")), Adopted: adopted, Errors: errs, Reason: in.reason,
		Account: onboarding.ChosenAccount(r.Context())}
	if opts := s.accountOptions(r); len(opts) > 1 {
		v.Accounts, v.AccountLabel = opts, s.accountLabel(r, v.Account)
	}
	cands, err := s.Onboarding.AdoptionCandidates(r.Context())
	if err != nil {
		v.Errors = append(v.Errors, formErrors(err)...)
		status = statusOf(err)
	}
	for _, c := range cands {
		k := portal.UserNameKey(c.UserName)
		v.Candidates = append(v.Candidates, web.CandidateRow{UserName: c.UserName, Created: web.Date(c.Created), HasMFA: c.HasMFA,
			HasPassword: c.HasPassword, ActiveKeys: c.ActiveKeys, Self: c.Self, Selected: !c.Self && in.selected[k],
			KeysConfirmed: in.confirmed[k]})
	}
	s.render(w, r, status, web.AdoptPage(v))
}

// adopt takes the selected IAM users under management, with the admin's
// reason in each audit entry. A user with active access keys is adopted
// only when its own confirm_keys box is ticked.
func (s *Server) adopt(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		r = r.WithContext(onboarding.InAccount(r.Context(), s.Onboarding.Account()))
		s.renderAdopt(w, r, http.StatusBadRequest, nil, formErrors(portal.E(portal.EINVALID, "err.form.unreadable")), adoptInput{})
		return
	}
	r, ok := s.adoptAccount(w, r)
	if !ok {
		return
	}
	names := r.PostForm["user"]
	in := adoptInput{selected: map[string]bool{}, confirmed: map[string]bool{}, reason: strings.TrimSpace(r.PostFormValue("reason"))}
	for _, n := range names {
		in.selected[portal.UserNameKey(n)] = true
	}
	for _, n := range r.PostForm["confirm_keys"] {
		in.confirmed[portal.UserNameKey(n)] = true
	}
	var bad []web.FormError
	if len(names) == 0 {
		bad = append(bad, formErrors(portal.FieldE("user", "err.adopt.none"))...)
	}
	if in.reason == "" {
		bad = append(bad, formErrors(portal.FieldE("reason", "err.adopt.reason"))...)
	}
	if len(bad) > 0 {
		s.renderAdopt(w, r, http.StatusUnprocessableEntity, nil, bad, in)
		return
	}
	var adopted []web.AdoptedRow
	var errs []web.FormError
	left := adoptInput{selected: map[string]bool{}, confirmed: in.confirmed, reason: in.reason}
	for _, name := range names {
		a, err := s.Onboarding.Adopt(r.Context(), actor(r), name, onboarding.AdoptOptions{KeysConfirmed: in.confirmed[portal.UserNameKey(name)], Reason: in.reason})
		if err != nil {
			errs = append(errs, web.FormError{Message: name + ": " + web.ErrorText(r.Context(), err)})
			left.selected[portal.UserNameKey(name)] = true // still a candidate: ticked again
			continue
		}
		row := web.AdoptedRow{UserName: a.User.UserName, Account: s.userLink(len(s.accountOptions(r)) > 1, a.User)}
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
	s.renderAdopt(w, r, status, adopted, errs, left)
}

package handlers

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/web"
)

// listAccounts shows the managed AWS accounts.
func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) {
	s.renderAccounts(w, r, http.StatusOK, web.AccountsView{})
}

// renderAccounts fills v with the accounts and renders the page.
func (s *Server) renderAccounts(w http.ResponseWriter, r *http.Request, status int, v web.AccountsView) {
	accts, err := s.Onboarding.Accounts(r.Context())
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	counts, err := s.Store.CountByAccount(r.Context(), s.Now())
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	users := map[string]int{}
	for _, c := range counts {
		users[s.accountOrHub(c.Account)] += c.Total
	}
	v.Page = s.page(r, web.T(r.Context(), "accounts.title"))
	v.Partition = s.Onboarding.Partition().ID
	for _, a := range accts {
		row := web.AccountRow{ID: a.ID, Name: a.Name, Hub: a.Hub, RoleARN: a.RoleARN, Status: string(a.Status), Users: users[a.ID]}
		if a.Status == portal.AccountUnreachable {
			row.Reason = web.Stored(r.Context(), a.Reason, "")
		}
		if !a.CheckedAt.IsZero() {
			row.Checked = web.Stamp(a.CheckedAt)
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, status, web.AccountsPage(v))
}

// addAccount adds a member account and checks it at once. A form error
// shows the form again with what was typed; an account that was added but
// cannot be reached is listed with the reason.
func (s *Server) addAccount(w http.ResponseWriter, r *http.Request) {
	in := portal.NewAccount{ID: strings.TrimSpace(r.PostFormValue("account_id")), Name: strings.TrimSpace(r.PostFormValue("name")),
		RoleARN: strings.TrimSpace(r.PostFormValue("role_arn")), ExternalID: strings.TrimSpace(r.PostFormValue("external_id"))}
	form := web.AccountForm{ID: in.ID, Name: in.Name, RoleARN: in.RoleARN, ExternalID: in.ExternalID}
	acct, err := s.Onboarding.AddAccount(r.Context(), actor(r), in)
	switch {
	case acct == nil && err != nil && portal.ErrorCode(err) == portal.EINVALID:
		s.renderAccounts(w, r, statusOf(err), web.AccountsView{Form: form, Errors: formErrors(err)})
	case acct == nil:
		s.renderAccounts(w, r, statusOf(err), web.AccountsView{Form: form, Flash: web.ErrorText(r.Context(), err), FlashBad: true})
	case err != nil:
		s.renderAccounts(w, r, http.StatusOK, web.AccountsView{FlashBad: true,
			Flash: web.T(r.Context(), "accounts.added.unreachable", acct.ID, web.ErrorText(r.Context(), err))})
	default:
		s.renderAccounts(w, r, http.StatusOK, web.AccountsView{Flash: web.T(r.Context(), "accounts.added", acct.ID)})
	}
}

// editAccountForm shows an account's name, role ARN and external ID for
// editing.
func (s *Server) editAccountForm(w http.ResponseWriter, r *http.Request) {
	a, err := s.Store.FindAccount(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	s.renderAccountEdit(w, r, http.StatusOK, a, web.AccountForm{ID: a.ID, Name: a.Name, RoleARN: a.RoleARN, ExternalID: a.ExternalID}, nil)
}

// editAccount saves an account's new settings once they reach it (the
// same check as adding one). A refused form comes back with what was
// typed and why; the old settings stay.
func (s *Server) editAccount(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	in := portal.NewAccount{Name: strings.TrimSpace(r.PostFormValue("name")), RoleARN: strings.TrimSpace(r.PostFormValue("role_arn")),
		ExternalID: strings.TrimSpace(r.PostFormValue("external_id"))}
	acct, err := s.Onboarding.UpdateAccount(r.Context(), actor(r), id, in)
	if err != nil {
		old, ferr := s.Store.FindAccount(r.Context(), id)
		if ferr != nil {
			s.fail(w, r, ferr, "")
			return
		}
		s.renderAccountEdit(w, r, statusOf(err), old, web.AccountForm{ID: id, Name: in.Name, RoleARN: in.RoleARN, ExternalID: in.ExternalID}, formErrors(err))
		return
	}
	s.renderAccounts(w, r, http.StatusOK, web.AccountsView{Flash: web.T(r.Context(), "accounts.edited", acct.Label())})
}

func (s *Server) renderAccountEdit(w http.ResponseWriter, r *http.Request, status int, a *portal.Account, form web.AccountForm, errs []web.FormError) {
	s.render(w, r, status, web.AccountEditPage(web.AccountEditView{Page: s.page(r, web.T(r.Context(), "accounts.edit.title", a.Label())),
		Label: a.Label(), Hub: a.Hub || a.ID == s.Onboarding.Account(), Form: form, Errors: errs, Partition: s.Onboarding.Partition().ID}))
}

// checkAccount checks a member account again.
func (s *Server) checkAccount(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	_, err := s.Onboarding.CheckAccount(r.Context(), actor(r), id)
	switch {
	case portal.ErrorCode(err) == portal.ENOTFOUND && portal.ErrorReason(err) == "":
		s.fail(w, r, err, "") // no such account
	case err != nil:
		s.renderAccounts(w, r, http.StatusOK, web.AccountsView{FlashBad: true,
			Flash: web.T(r.Context(), "accounts.checked.failed", id, web.ErrorText(r.Context(), err))})
	default:
		s.renderAccounts(w, r, http.StatusOK, web.AccountsView{Flash: web.T(r.Context(), "accounts.checked.ok", id)})
	}
}

// removeAccount forgets a member account without users.
func (s *Server) removeAccount(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := s.Onboarding.RemoveAccount(r.Context(), actor(r), id); err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			s.fail(w, r, err, "")
			return
		}
		s.renderAccounts(w, r, statusOf(err), web.AccountsView{Flash: web.ErrorText(r.Context(), err), FlashBad: true})
		return
	}
	s.renderAccounts(w, r, http.StatusOK, web.AccountsView{Flash: web.T(r.Context(), "accounts.removed", id)})
}

// discoverAccounts lists the organization's accounts not managed yet.
func (s *Server) discoverAccounts(w http.ResponseWriter, r *http.Request) {
	found, err := s.Onboarding.DiscoverAccounts(r.Context())
	v := web.AccountsView{Discover: true}
	if err != nil {
		v.DiscoverError = web.ErrorText(r.Context(), err)
	}
	for _, d := range found {
		v.Discovered = append(v.Discovered, web.DiscoveredRow{ID: d.ID, Name: d.Name})
	}
	s.renderAccounts(w, r, http.StatusOK, v)
}

package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/web"
)

// listOperators shows the operator management page.
func (s *Server) listOperators(w http.ResponseWriter, r *http.Request) {
	s.renderOperators(w, r, http.StatusOK, web.OperatorsView{Role: "helpdesk"})
}

func (s *Server) renderOperators(w http.ResponseWriter, r *http.Request, status int, v web.OperatorsView) {
	ops, err := s.Store.FindOperators(r.Context())
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	me := operatorFrom(r.Context())
	v.Page = s.page(r, web.T(r.Context(), "operators.title"))
	for _, o := range ops {
		v.Rows = append(v.Rows, web.OperatorRow{ID: o.ID, Username: o.Username, Role: string(o.Role), Disabled: !o.DisabledAt.IsZero(),
			Created: web.Date(o.CreatedAt), IsSelf: o.ID == me.ID})
	}
	pending, err := s.Auth.PendingInvites(r.Context())
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	for _, p := range pending {
		v.Pending = append(v.Pending, web.PendingInviteRow{Username: p.Username, Role: string(p.Role), InvitedBy: p.CreatedBy, Expires: web.Time(p.ExpiresAt)})
	}
	s.render(w, r, status, web.OperatorsPage(v))
}

// revokeOperatorInvite ends a pending operator invite: its link no longer
// works.
func (s *Server) revokeOperatorInvite(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	if err := s.Auth.RevokeOperatorInvite(r.Context(), s.caller(r), name); err != nil {
		s.renderOperators(w, r, statusOf(err), web.OperatorsView{Role: "helpdesk", Errors: formErrors(err)})
		return
	}
	s.renderOperators(w, r, http.StatusOK, web.OperatorsView{Role: "helpdesk", Flash: web.T(r.Context(), "operators.flash.invite.revoked", name)})
}

// inviteOperator creates a one-time invite link for a new operator.
func (s *Server) inviteOperator(w http.ResponseWriter, r *http.Request) {
	username, role := strings.TrimSpace(r.PostFormValue("username")), portal.Role(r.PostFormValue("role"))
	link, name, err := s.Auth.InviteOperator(r.Context(), s.caller(r), username, role)
	if err != nil {
		s.renderOperators(w, r, statusOf(err), web.OperatorsView{Username: username, Role: string(role), Errors: formErrors(err)})
		return
	}
	s.renderOperators(w, r, http.StatusCreated, web.OperatorsView{Link: link, LinkFor: name, LinkKind: "invite", Role: "helpdesk"})
}

// targetOperator returns the operator named by the {id} URL parameter.
func (s *Server) targetOperator(r *http.Request) (*portal.Operator, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return nil, portal.E(portal.ENOTFOUND, "err.operator.nosuch")
	}
	return s.Store.FindOperatorByID(r.Context(), id)
}

// operatorChange runs change on the target operator and shows the result.
// A change to the acting admin's own account gives them a new session ID,
// since the store ended all of that operator's sessions.
func (s *Server) operatorChange(w http.ResponseWriter, r *http.Request, change func(*portal.Operator) (flash string, err error)) {
	me := operatorFrom(r.Context())
	target, err := s.targetOperator(r)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	flash, err := change(target)
	if err != nil {
		s.renderOperators(w, r, statusOf(err), web.OperatorsView{Role: "helpdesk", Errors: formErrors(err)})
		return
	}
	if target.ID == me.ID {
		sess, err := s.Auth.NewSession(r.Context(), me.ID)
		if err != nil {
			s.fail(w, r, err, "")
			return
		}
		s.setCookie(w, s.sessionCookie(), sess, 0)
		if updated, err := s.Store.FindOperatorByID(r.Context(), me.ID); err == nil && !s.may(updated, "GET", "/operators") {
			http.Redirect(w, r, "/users", http.StatusSeeOther) // no longer allowed here
			return
		}
	}
	s.renderOperators(w, r, http.StatusOK, web.OperatorsView{Role: "helpdesk", Flash: flash})
}

// changeRole gives an operator another role.
func (s *Server) changeRole(w http.ResponseWriter, r *http.Request) {
	s.operatorChange(w, r, func(t *portal.Operator) (string, error) {
		role := portal.Role(r.PostFormValue("role"))
		err := s.Auth.ChangeRole(r.Context(), s.caller(r), t, role)
		return web.T(r.Context(), "operators.flash.role", t.Username, portal.RoleText(role)), err
	})
}

// disableOperator stops an operator from signing in and ends their sessions.
func (s *Server) disableOperator(w http.ResponseWriter, r *http.Request) {
	s.operatorChange(w, r, func(t *portal.Operator) (string, error) {
		err := s.Auth.SetDisabled(r.Context(), s.caller(r), t, true)
		return web.T(r.Context(), "operators.flash.disable", t.Username), err
	})
}

// enableOperator lets a disabled operator sign in again.
func (s *Server) enableOperator(w http.ResponseWriter, r *http.Request) {
	s.operatorChange(w, r, func(t *portal.Operator) (string, error) {
		err := s.Auth.SetDisabled(r.Context(), s.caller(r), t, false)
		return web.T(r.Context(), "operators.flash.enable", t.Username), err
	})
}

// resetOperatorTOTP revokes another operator's authenticator and shows the
// one-time link to enroll a new one. The reason goes to the audit log.
func (s *Server) resetOperatorTOTP(w http.ResponseWriter, r *http.Request) {
	target, err := s.targetOperator(r)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	link, err := s.Auth.ResetTOTP(r.Context(), s.caller(r), target.ID, r.PostFormValue("reason"))
	if err != nil {
		s.renderOperators(w, r, statusOf(err), web.OperatorsView{Role: "helpdesk", Errors: formErrors(err)})
		return
	}
	s.renderOperators(w, r, http.StatusOK, web.OperatorsView{Role: "helpdesk", Link: link, LinkFor: target.Username, LinkKind: "reset"})
}

// joinForm shows the page of an operator invite or authenticator reset link.
func (s *Server) joinForm(w http.ResponseWriter, r *http.Request) {
	s.renderJoin(w, r, http.StatusOK, nil)
}

func (s *Server) renderJoin(w http.ResponseWriter, r *http.Request, status int, errs []web.FormError) {
	token := chi.URLParam(r, "token")
	j, err := s.Auth.JoinEnrollment(r.Context(), token)
	if err != nil {
		s.fail(w, r, err, web.T(r.Context(), "join.title"))
		return
	}
	s.render(w, r, status, web.JoinPage(web.JoinView{Page: s.page(r, web.T(r.Context(), "join.title")), Action: "/join/" + token,
		Reset: j.Purpose == "reset", Username: j.Username, Role: string(j.Role), Secret: j.Enrollment.Secret, QRPNG: j.Enrollment.QRPNG, Errors: errs}))
}

// joinSubmit completes an invite or reset and signs the operator in.
func (s *Server) joinSubmit(w http.ResponseWriter, r *http.Request) {
	j, err := s.Auth.CompleteJoin(r.Context(), s.caller(r), chi.URLParam(r, "token"), r.PostFormValue("password"), r.PostFormValue("code"))
	if err != nil {
		if portal.ErrorCode(err) == portal.EINVALID {
			s.renderJoin(w, r, statusOf(err), formErrors(err))
			return
		}
		s.fail(w, r, err, web.T(r.Context(), "join.title"))
		return
	}
	s.endPresentedSession(r)
	s.setCookie(w, s.sessionCookie(), j.Session, 0)
	if j.RecoveryCodes != nil { // a new operator: their recovery codes, once
		s.renderRecoveryCodes(w, r.WithContext(withOperator(r.Context(), j.Operator)), j.RecoveryCodes, "/users")
		return
	}
	http.Redirect(w, r, "/users", http.StatusSeeOther)
}

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
			Created: fmtDate(o.CreatedAt), IsSelf: o.ID == me.ID})
	}
	s.render(w, r, status, web.OperatorsPage(v))
}

// inviteOperator creates a one-time invite link for a new operator.
func (s *Server) inviteOperator(w http.ResponseWriter, r *http.Request) {
	me := operatorFrom(r.Context())
	username, role := strings.TrimSpace(r.PostFormValue("username")), portal.Role(r.PostFormValue("role"))
	link, err := s.Auth.InviteOperator(r.Context(), me.Username, username, role)
	if err != nil {
		s.renderOperators(w, r, statusOf(err), web.OperatorsView{Username: username, Role: string(role), Errors: formErrors(err)})
		return
	}
	s.audit(r, me.Username, "operator.invite", username, portal.T("audit.operator.invite", portal.RoleText(role)))
	s.renderOperators(w, r, http.StatusCreated, web.OperatorsView{Link: link, LinkFor: username, LinkKind: "invite", Role: "helpdesk"})
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
func (s *Server) operatorChange(w http.ResponseWriter, r *http.Request, action string, change func(*portal.Operator) (flash string, detail portal.Text, err error)) {
	me := operatorFrom(r.Context())
	target, err := s.targetOperator(r)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	flash, detail, err := change(target)
	if err != nil {
		s.renderOperators(w, r, statusOf(err), web.OperatorsView{Role: "helpdesk", Errors: formErrors(err)})
		return
	}
	s.audit(r, me.Username, action, target.Username, detail)
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
	s.operatorChange(w, r, "operator.role", func(t *portal.Operator) (string, portal.Text, error) {
		role := portal.Role(r.PostFormValue("role"))
		err := s.Auth.ChangeRole(r.Context(), t.ID, role)
		return web.T(r.Context(), "operators.flash.role", t.Username, portal.RoleText(role)), portal.T("audit.operator.role", portal.RoleText(t.Role), portal.RoleText(role)), err
	})
}

// disableOperator stops an operator from signing in and ends their sessions.
func (s *Server) disableOperator(w http.ResponseWriter, r *http.Request) {
	s.operatorChange(w, r, "operator.disable", func(t *portal.Operator) (string, portal.Text, error) {
		err := s.Auth.SetDisabled(r.Context(), t.ID, true)
		return web.T(r.Context(), "operators.flash.disable", t.Username), portal.T("audit.operator.disable"), err
	})
}

// enableOperator lets a disabled operator sign in again.
func (s *Server) enableOperator(w http.ResponseWriter, r *http.Request) {
	s.operatorChange(w, r, "operator.enable", func(t *portal.Operator) (string, portal.Text, error) {
		err := s.Auth.SetDisabled(r.Context(), t.ID, false)
		return web.T(r.Context(), "operators.flash.enable", t.Username), portal.T("audit.operator.enable"), err
	})
}

// resetOperatorTOTP revokes another operator's authenticator and shows the
// one-time link to enroll a new one. The reason goes to the audit log.
func (s *Server) resetOperatorTOTP(w http.ResponseWriter, r *http.Request) {
	me := operatorFrom(r.Context())
	target, err := s.targetOperator(r)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	link, err := s.Auth.ResetTOTP(r.Context(), me, target.ID, reason)
	if err != nil {
		s.renderOperators(w, r, statusOf(err), web.OperatorsView{Role: "helpdesk", Errors: formErrors(err)})
		return
	}
	s.audit(r, me.Username, "operator.totp.reset", target.Username, portal.T("audit.operator.totp.reset", reason))
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
	sess, op, err := s.Auth.CompleteJoin(r.Context(), chi.URLParam(r, "token"), r.PostFormValue("password"), r.PostFormValue("code"))
	if err != nil {
		if portal.ErrorCode(err) == portal.EINVALID {
			s.renderJoin(w, r, statusOf(err), formErrors(err))
			return
		}
		s.fail(w, r, err, web.T(r.Context(), "join.title"))
		return
	}
	s.audit(r, op.Username, "operator.join", op.Username, portal.T("audit.operator.join"))
	s.endPresentedSession(r)
	s.setCookie(w, s.sessionCookie(), sess, 0)
	http.Redirect(w, r, "/users", http.StatusSeeOther)
}

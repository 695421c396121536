package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/internal/safecsv"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/posture"
	"github.com/gatehouse/portal/web"
)

// trendDays is how far back the posture page's MFA-coverage trend goes.
const trendDays = 90

// posturePage shows an account's credential posture (?account=, the hub by
// default) as the last sync recorded it, with an overview of every account
// when several are managed.
func (s *Server) posturePage(w http.ResponseWriter, r *http.Request) {
	s.renderPosture(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderPosture(w http.ResponseWriter, r *http.Request, status int, flash string, errs []web.FormError) {
	ctx := r.Context()
	v := web.PostureView{Page: s.page(r, web.T(ctx, "posture.title")).Widen(), Flash: flash, Errors: errs,
		Account: s.accountOrHub(onboarding.ChosenAccount(ctx))}
	rep, err := s.Onboarding.Posture(ctx)
	if err != nil && !neverRecorded(err) {
		s.fail(w, r, err, "")
		return
	}
	if s.Onboarding.MultiAccount(ctx) {
		v.LinkAccount, v.Accounts = v.Account, s.accountOptions(r)
		all, err := s.Onboarding.PostureAccounts(ctx)
		if err != nil {
			s.fail(w, r, err, "")
			return
		}
		for _, ap := range all {
			row := postureAccountRow(r, ap)
			if row.ID == v.Account && row.Status == string(portal.AccountUnreachable) {
				v.Unreachable = web.Stored(ctx, ap.Account.Reason, "")
			}
			v.Overview = append(v.Overview, row)
		}
	}
	if rep != nil {
		managed, err := s.Onboarding.ManagedNames(ctx)
		if err != nil {
			s.fail(w, r, err, "")
			return
		}
		snaps, err := s.Onboarding.PostureTrend(ctx, trendDays)
		if err != nil {
			s.fail(w, r, err, "")
			return
		}
		op := operatorFrom(ctx)
		v.Recorded, v.At, v.ReportAt = true, web.Time(rep.At), web.Time(rep.ReportAt)
		v.Coverage, v.ConsoleMFA, v.ConsoleUsers, v.Failing = rep.Coverage(), rep.ConsoleMFA, rep.ConsoleUsers, rep.Failing()
		for _, f := range rep.Findings {
			c, _ := posture.ControlByID(f.Control)
			cv := web.ControlView{ID: c.ID, CIS: c.CIS, Result: string(f.Result), Title: c.Title, Why: c.Why, Remedy: c.Remedy,
				Info: c.Info, Fix: string(c.Fix), Policies: f.Policy, CanFix: c.Fix != "" && s.may(op, "GET", fixPattern(c.Fix))}
			for _, u := range f.Users {
				cv.Users = append(cv.Users, web.ControlUser{Name: u, Managed: managed[portal.UserNameKey(u)]})
			}
			v.Controls = append(v.Controls, cv)
		}
		for _, p := range onboarding.DailyTrend(snaps) {
			v.Trend = append(v.Trend, web.TrendPoint{Day: web.Date(p.TakenAt), Coverage: posture.CoverageOf(p.ConsoleMFA, p.ConsoleUsers),
				ConsoleMFA: p.ConsoleMFA, ConsoleUsers: p.ConsoleUsers})
		}
	}
	s.render(w, r, status, web.PosturePage(v))
}

// neverRecorded reports whether err says no sync has recorded the posture
// of the account yet (not that the account is unknown).
func neverRecorded(err error) bool {
	var e *portal.Error
	return errors.As(err, &e) && e.Key == "err.posture.never"
}

// postureAccountRow is one account of the posture overview.
func postureAccountRow(r *http.Request, ap onboarding.AccountPosture) web.PostureAccountRow {
	a := ap.Account
	row := web.PostureAccountRow{ID: a.ID, Label: a.Label(), Status: string(a.Status)}
	if a.Hub {
		row.Status = string(portal.AccountReachable)
	}
	if a.Status == portal.AccountUnreachable {
		row.Reason = web.Stored(r.Context(), a.Reason, "")
	}
	if rep := ap.Report; rep != nil {
		row.Recorded, row.At = true, web.Time(rep.At)
		row.Coverage, row.ConsoleMFA, row.ConsoleUsers, row.Failing = rep.Coverage(), rep.ConsoleMFA, rep.ConsoleUsers, rep.Failing()
	}
	return row
}

// fixPattern names the route (GET) a control's remedy form opens, so the
// page offers it exactly to the operators that route admits.
func fixPattern(f posture.Fix) string {
	switch f {
	case posture.FixAdopt:
		return "/adopt"
	case posture.FixDisable:
		return "/posture/disable"
	}
	return "/posture/notice"
}

// disableForm confirms disabling the unused credentials of the users
// ticked on the posture page (?user=…), asking for a reason.
func (s *Server) disableForm(w http.ResponseWriter, r *http.Request) {
	users := r.URL.Query()["user"]
	v := web.DisableView{Page: s.page(r, web.T(r.Context(), "posture.disable.title")), Account: s.linkAccount(r), Users: users}
	status := http.StatusOK
	if len(users) == 0 {
		v.Errors, status = formErrors(portal.FieldE("user", "posture.disable.none")), http.StatusUnprocessableEntity
	}
	s.render(w, r, status, web.DisablePage(v))
}

// disable disables the unused credentials of each selected user (each
// checked live by the service) and says what it did for each.
func (s *Server) disable(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, portal.E(portal.EINVALID, "err.form.unreadable"), "")
		return
	}
	users, reason := r.PostForm["user"], r.PostFormValue("reason")
	v := web.DisableView{Page: s.page(r, web.T(ctx, "posture.disable.title")), Account: s.linkAccount(r)}
	if len(users) == 0 {
		v.Errors = formErrors(portal.FieldE("user", "posture.disable.none"))
		s.render(w, r, http.StatusUnprocessableEntity, web.DisablePage(v))
		return
	}
	status := http.StatusOK
	for _, name := range users {
		d, err := s.Onboarding.DisableUnused(ctx, actor(r), name, reason)
		if portal.ErrorCode(err) == portal.EINVALID {
			// No reason: nothing was done; ask again for all of them.
			v.Users, v.Errors = users, formErrors(err)
			s.render(w, r, http.StatusUnprocessableEntity, web.DisablePage(v))
			return
		}
		if err != nil {
			v.Errors = append(v.Errors, web.FormError{Message: name + ": " + web.ErrorText(ctx, err)})
			status = http.StatusUnprocessableEntity
			continue
		}
		var what []string
		if d.Password {
			what = append(what, web.T(ctx, "posture.disable.password"))
		}
		if len(d.Keys) > 0 {
			what = append(what, web.T(ctx, "posture.disable.keys", len(d.Keys)))
		}
		v.Done = append(v.Done, web.T(ctx, "posture.disable.done", d.UserName, strings.Join(what, web.T(ctx, "list.sep"))))
	}
	s.render(w, r, status, web.DisablePage(v))
}

// linkAccount is the account a posture page's links and forms carry: the
// one the request chose (or the hub) when several accounts are managed,
// "" when only the hub is.
func (s *Server) linkAccount(r *http.Request) string {
	if !s.Onboarding.MultiAccount(r.Context()) {
		return ""
	}
	return s.accountOrHub(onboarding.ChosenAccount(r.Context()))
}

// postureCSV exports the current posture of an account (?account=, the hub
// by default): one row per control and failing user (a control no user
// fails has one row without a user), each naming the account, through the
// formula-safe writer.
func (s *Server) postureCSV(w http.ResponseWriter, r *http.Request) {
	rep, err := s.Onboarding.Posture(r.Context())
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="gatehouse-posture.csv"`)
	cw := safecsv.NewWriter(w)
	acct := s.accountOrHub(onboarding.ChosenAccount(r.Context()))
	cw.Write("account_id", "check_id", "cis", "result", "title", "user", "policies", "evaluated_at", "report_at")
	for _, f := range rep.Findings {
		c, _ := posture.ControlByID(f.Control)
		users := f.Users
		if len(users) == 0 {
			users = []string{""}
		}
		for _, u := range users {
			cw.Write(acct, f.Control, f.CIS, string(f.Result), web.T(r.Context(), c.Title), u, strings.Join(f.Policy, " "),
				web.Time(rep.At), web.Time(rep.ReportAt))
		}
	}
	if err := cw.Flush(); err != nil {
		s.Logger.WarnContext(r.Context(), "posture CSV not sent whole", "err", err)
	}
}

// postureJSON exports the current posture of an account (?account=, the
// hub by default) as the evaluation is stored, with the account and the
// coverage.
func (s *Server) postureJSON(w http.ResponseWriter, r *http.Request) {
	rep, err := s.Onboarding.Posture(r.Context())
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="gatehouse-posture.json"`)
	out := struct {
		AccountID string `json:"account_id"`
		*posture.Report
		CoveragePercent float64 `json:"mfa_coverage_percent"`
	}{s.accountOrHub(onboarding.ChosenAccount(r.Context())), rep, rep.Coverage()}
	if err := json.NewEncoder(w).Encode(out); err != nil {
		s.Logger.WarnContext(r.Context(), "posture JSON not sent whole", "err", err)
	}
}

// noticeForm confirms sending an access-key notice to the users ticked on
// the posture page (?user=…): those with a known address are ticked, the
// others listed with why not; it asks for a reason.
func (s *Server) noticeForm(w http.ResponseWriter, r *http.Request) {
	users := r.URL.Query()["user"]
	s.renderNotice(w, r, http.StatusOK, users, users, "", nil, nil)
}

// renderNotice shows the notice form over the offered users, ticking
// those in ticked, with the reason given so far.
func (s *Server) renderNotice(w http.ResponseWriter, r *http.Request, status int, offered, ticked []string, reason string, done []string, errs []web.FormError) {
	ctx := r.Context()
	v := web.NoticeView{Page: s.page(r, web.T(ctx, "posture.notice.title")), Account: s.linkAccount(r), Reason: reason, Done: done, Errors: errs, MailOff: !s.Onboarding.NotifyEnabled()}
	targets, err := s.Onboarding.KeyNoticeTargets(ctx, offered)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	tick := map[string]bool{}
	for _, n := range ticked {
		tick[portal.UserNameKey(n)] = true
	}
	for _, t := range targets {
		if t.Email == "" {
			v.Unreachable = append(v.Unreachable, web.NoticeUser{Name: t.UserName, Why: t.Why})
			continue
		}
		v.Users = append(v.Users, web.NoticeUser{Name: t.UserName, Email: t.Email, Ticked: tick[portal.UserNameKey(t.UserName)]})
	}
	if len(v.Users) == 0 && len(v.Done) == 0 && len(v.Errors) == 0 && !v.MailOff {
		v.Errors, status = formErrors(portal.FieldE("user", "posture.notice.none")), http.StatusUnprocessableEntity
	}
	s.render(w, r, status, web.NoticePage(v))
}

// notice queues an access-key notice to each ticked user (each checked
// live by the service) and says what it did for each. Refused input (no
// user, no reason) is shown again as it was.
func (s *Server) notice(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, portal.E(portal.EINVALID, "err.form.unreadable"), "")
		return
	}
	users, offered, reason := r.PostForm["user"], r.PostForm["offered"], strings.TrimSpace(r.PostFormValue("reason"))
	if len(offered) == 0 {
		offered = users
	}
	var bad []web.FormError
	if len(users) == 0 {
		bad = append(bad, formErrors(portal.FieldE("user", "posture.notice.none"))...)
	}
	if reason == "" {
		bad = append(bad, formErrors(portal.FieldE("reason", "err.keynotice.reason"))...)
	}
	if len(bad) > 0 {
		s.renderNotice(w, r, http.StatusUnprocessableEntity, offered, users, reason, nil, bad)
		return
	}
	status := http.StatusOK
	var done []string
	var errs []web.FormError
	var left []string // users to offer again: those that failed
	for _, name := range users {
		n, err := s.Onboarding.NoticeKeys(ctx, actor(r), name, reason)
		if err != nil {
			errs = append(errs, web.FormError{Message: name + ": " + web.ErrorText(ctx, err)})
			left, status = append(left, name), http.StatusUnprocessableEntity
			continue
		}
		done = append(done, web.T(ctx, "posture.notice.done", n.UserName, len(n.Keys), n.To))
	}
	s.renderNotice(w, r, status, left, left, reason, done, errs)
}

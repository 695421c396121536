package handlers

import (
	"net/http"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/web"
)

// dashboardStatuses are the tiles of the dashboard, in order.
var dashboardStatuses = []portal.Status{portal.StatusInvited, portal.StatusClaimed, portal.StatusEnrolled,
	portal.StatusOverdue, portal.StatusMFARemoved, portal.StatusOffboarded}

// dashboardListLimit is how many users the overdue and due-soon lists show.
const dashboardListLimit = 20

// toDashboard sends operators to the dashboard.
func (s *Server) toDashboard(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}

// dashboard shows counts by status, the overdue list, users due in the
// next 48 hours and the last sync.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	v, err := s.dashboardView(r)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	if r.URL.Query().Get("synced") != "" {
		v.Flash = web.T(r.Context(), "flash.sync", v.Sync.Detail)
	}
	s.render(w, r, http.StatusOK, web.DashboardPage(v))
}

func (s *Server) dashboardView(r *http.Request) (web.DashboardView, error) {
	ctx := r.Context()
	now := s.Now()
	v := web.DashboardView{Page: s.page(r, web.T(ctx, "dash.title")), CanSync: s.may(operatorFrom(ctx), "POST", "/sync"),
		Email: s.Onboarding.NotifyEnabled(), Deadline: s.Onboarding.DeadlineAction()}
	counts, err := s.Store.CountByStatus(ctx, now)
	if err != nil {
		return v, err
	}
	for _, st := range dashboardStatuses {
		v.Counts = append(v.Counts, web.StatusCount{Status: st, Count: counts[st]})
	}
	// The lists show the most urgent few; the user list has the rest.
	overdue, err := s.Store.FindUsers(ctx, portal.UserFilter{DeadlineTo: now, Sort: portal.SortDeadline, Limit: dashboardListLimit})
	if err != nil {
		return v, err
	}
	soon, err := s.Store.FindUsers(ctx, portal.UserFilter{DeadlineFrom: now, DeadlineTo: now.Add(48 * time.Hour), Sort: portal.SortDeadline, Limit: dashboardListLimit})
	if err != nil {
		return v, err
	}
	v.MoreOverdue, v.MoreDueSoon = overdue.Next != "", soon.Next != ""
	for _, u := range overdue.Users {
		v.Overdue = append(v.Overdue, web.DueRow{UserName: u.UserName, Status: u.StatusAt(now), Deadline: fmtTime(u.Deadline)})
	}
	for _, u := range soon.Users {
		v.DueSoon = append(v.DueSoon, web.DueRow{UserName: u.UserName, Status: u.StatusAt(now), Deadline: fmtTime(u.Deadline)})
	}
	interrupted, err := s.Store.FindUsers(ctx, portal.UserFilter{ClaimInterrupted: true, Limit: dashboardListLimit,
		States: []portal.State{portal.StateInvited, portal.StateClaimed, portal.StateMFARemoved}})
	if err != nil {
		return v, err
	}
	for _, u := range interrupted.Users {
		v.Interrupted = append(v.Interrupted, u.UserName)
	}
	last, err := s.Store.LastSyncRun(ctx)
	switch portal.ErrorCode(err) {
	case "":
		v.Sync = web.SyncInfo{Ran: true, At: fmtTime(last.FinishedAt), Source: last.Source, Actor: last.Actor, OK: last.OK,
			ReportAt: fmtTime(last.ReportAt), Detail: web.Stored(ctx, last.Text, last.Detail)}
	case portal.ENOTFOUND:
	default:
		return v, err
	}
	return v, nil
}

// syncNow runs a status sync at once and shows its outcome.
func (s *Server) syncNow(w http.ResponseWriter, r *http.Request) {
	op := operatorFrom(r.Context())
	_, err := s.Onboarding.Sync(r.Context(), onboarding.SyncManual, onboarding.Actor{Name: op.Username, RequestID: requestID(r)})
	if err != nil {
		v, verr := s.dashboardView(r)
		if verr != nil {
			s.fail(w, r, verr, "")
			return
		}
		v.Errors = formErrors(err)
		s.render(w, r, statusOf(err), web.DashboardPage(v))
		return
	}
	http.Redirect(w, r, "/dashboard?synced=1", http.StatusSeeOther)
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

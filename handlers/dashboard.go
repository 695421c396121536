package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
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
	// ?account= narrows the tiles and the lists to one AWS account; every
	// link to the user list and to a user then carries it.
	acct := r.URL.Query().Get("account")
	v := web.DashboardView{Page: s.page(r, web.T(ctx, "dash.title")), CanSync: s.may(operatorFrom(ctx), "POST", "/sync"),
		Email: s.Onboarding.NotifyEnabled(), Deadline: s.Onboarding.DeadlineAction(), Account: acct}
	opts := s.accountOptions(r)
	multi := len(opts) > 1
	var counts map[portal.Status]int
	var err error
	if multi {
		v.Accounts = opts
		if v.AccountCounts, err = s.accountCounts(r, opts); err != nil {
			return v, err
		}
	}
	if acct != "" {
		if counts, err = s.accountStatusCounts(r, acct); err != nil {
			return v, err
		}
	} else if counts, err = s.Store.CountByStatus(ctx, now); err != nil {
		return v, err
	}
	for _, st := range dashboardStatuses {
		v.Counts = append(v.Counts, web.StatusCount{Status: st, Count: counts[st]})
	}
	// The onboardings in flight and the coverage are the chosen account's
	// too, every account's when none is chosen.
	actx := onboarding.InAccount(ctx, acct)
	inflight, total, err := s.Onboarding.InFlight(actx, dashboardListLimit)
	if err != nil {
		return v, err
	}
	v.InFlightTotal = total
	for _, f := range inflight {
		state, text := s.resumeText(r, f.Resume)
		v.InFlight = append(v.InFlight, web.InFlightRow{UserName: f.UserName, Account: s.userLink(multi, &portal.User{AccountID: f.AccountID}),
			Step: f.Step, LastError: web.Stored(ctx, f.LastError, ""), Resume: text, ResumeState: state})
	}
	// The lists show the most urgent few; the user list has the rest.
	overdue, err := s.Store.FindUsers(ctx, portal.UserFilter{DeadlineTo: now, Account: acct, Sort: portal.SortDeadline, Limit: dashboardListLimit})
	if err != nil {
		return v, err
	}
	soon, err := s.Store.FindUsers(ctx, portal.UserFilter{DeadlineFrom: now, DeadlineTo: now.Add(48 * time.Hour), Account: acct, Sort: portal.SortDeadline, Limit: dashboardListLimit})
	if err != nil {
		return v, err
	}
	v.MoreOverdue, v.MoreDueSoon = overdue.Next != "", soon.Next != ""
	for _, u := range overdue.Users {
		v.Overdue = append(v.Overdue, web.DueRow{UserName: u.UserName, Account: s.userLink(multi, u), Status: u.StatusAt(now), Deadline: web.Time(u.Deadline)})
	}
	for _, u := range soon.Users {
		v.DueSoon = append(v.DueSoon, web.DueRow{UserName: u.UserName, Account: s.userLink(multi, u), Status: u.StatusAt(now), Deadline: web.Time(u.Deadline)})
	}
	interrupted, err := s.Store.FindUsers(ctx, portal.UserFilter{ClaimInterrupted: true, Account: acct, Limit: dashboardListLimit,
		States: []portal.State{portal.StateInvited, portal.StateClaimed, portal.StateMFARemoved}})
	if err != nil {
		return v, err
	}
	for _, u := range interrupted.Users {
		v.Interrupted = append(v.Interrupted, web.DueRow{UserName: u.UserName, Account: s.userLink(multi, u)})
	}
	last, err := s.Store.LastSyncRun(ctx)
	switch portal.ErrorCode(err) {
	case "":
		v.Sync = web.SyncInfo{Ran: true, At: web.Time(last.FinishedAt), Source: last.Source, Actor: last.Actor, OK: last.OK,
			ReportAt: web.Time(last.ReportAt), Detail: web.Stored(ctx, last.Text, last.Detail)}
	case portal.ENOTFOUND:
	default:
		return v, err
	}
	var cov, delta float64
	var ok bool
	if acct != "" {
		cov, delta, ok, err = s.Onboarding.CoverageDelta(actx)
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			err = nil // an account Gatehouse does not manage: no coverage, as no users
		}
	} else {
		cov, delta, ok, err = s.Onboarding.CoverageDeltaAll(ctx)
	}
	if err != nil {
		return v, err
	}
	if ok {
		v.Coverage = &web.CoverageInfo{Value: web.Percent(cov), Delta: web.Points(delta), All: multi && acct == ""}
	}
	return v, nil
}

// accountStatusCounts are account acct's users by status (none for an
// account Gatehouse does not manage).
func (s *Server) accountStatusCounts(r *http.Request, acct string) (map[portal.Status]int, error) {
	all, err := s.Store.CountByAccount(r.Context(), s.Now())
	if err != nil {
		return nil, err
	}
	out := map[portal.Status]int{}
	for _, c := range all {
		if s.accountOrHub(c.Account) == acct {
			for st, n := range c.ByStatus {
				out[st] += n
			}
		}
	}
	return out, nil
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

// resumeText says what Gatehouse does about an unfinished onboarding whose
// newest automatic resume job is j (nil if none was queued): its state
// ("waiting", "queued", "running", "failed") and a sentence.
func (s *Server) resumeText(r *http.Request, j *store.Job) (string, string) {
	ctx := r.Context()
	switch {
	case j == nil || j.State == store.JobDone:
		return "waiting", web.T(ctx, "resume.waiting", shortDuration(s.Onboarding.ResumeAfter()))
	case j.State == store.JobRunning:
		return "running", web.T(ctx, "resume.running", j.Attempts, onboarding.ResumeAttempts)
	case j.State == store.JobFailed:
		return "failed", web.T(ctx, "resume.failed", j.Attempts)
	case j.Attempts == 0:
		return "queued", web.T(ctx, "resume.queued.first")
	}
	return "queued", web.T(ctx, "resume.queued", j.Attempts, onboarding.ResumeAttempts, web.Time(j.RunAfter))
}

// shortDuration writes d without zero units: 1m, 90s, 1h30m.
func shortDuration(d time.Duration) string {
	out := d.String()
	if strings.HasSuffix(out, "m0s") {
		out = strings.TrimSuffix(out, "0s")
	}
	if strings.HasSuffix(out, "h0m") {
		out = strings.TrimSuffix(out, "0m")
	}
	return out
}

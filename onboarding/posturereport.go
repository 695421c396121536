package onboarding

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/posture"
	"github.com/gatehouse/portal/store"
)

// The weekly posture report: an e-mail to each configured recipient (not
// IAM users: the people who answer for the account) with the MFA coverage,
// its change over the week and the failing controls, pointing to the
// posture page. Each recipient's report of a week is one durable job
// (store.JobPostureReport), queued by a periodic sweep of every replica
// under a lease and at most once per week and recipient, then delivered
// with retries like the notices to users.

// ReportRecipient is one address of the weekly report and its language
// ("en" or "ja").
type ReportRecipient struct {
	To   string
	Lang string
}

// PostureSummary is what the weekly report says: the hub account's
// posture in full and, when member accounts are managed, a line for each
// account.
type PostureSummary struct {
	At           time.Time // when the posture was evaluated (the last sync)
	Coverage     float64   // percent of console users with MFA
	Delta        float64   // change in percentage points over the last 7 days
	ConsoleMFA   int
	ConsoleUsers int
	Failing      []FailingControl // the failing controls that are not informational, in page order
	// Accounts summarises every managed account, the hub first, when more
	// than the hub is managed.
	Accounts []AccountSummary
}

// AccountSummary is one account's line of the weekly report.
type AccountSummary struct {
	ID, Label string
	// Skipped is why the account could not be reached at its last check
	// (the sync skips it); zero when it could.
	Skipped portal.Text
	// Recorded: a sync has recorded the account's posture; the figures
	// below are that posture's.
	Recorded     bool
	At           time.Time
	Coverage     float64
	Delta        float64 // change in percentage points over the last 7 days
	ConsoleMFA   int
	ConsoleUsers int
	Failing      int // failing controls that are not informational
}

// FailingControl is one failing control of a summary.
type FailingControl struct {
	ID    string // Prowler check ID
	CIS   string
	Title string // message key
	Count int    // users failing it (policies when no user holds a failing policy)
}

// reportJob is the payload of a JobPostureReport.
type reportJob struct {
	Week string `json:"week"` // ISO week, "2026-W49"
	To   string `json:"to"`
	Lang string `json:"lang"`
}

// reportLease keeps two replicas from sweeping at once.
const reportLease = "posture-report"

// PostureSummary summarises the posture the last sync recorded; ENOTFOUND
// before any sync recorded one.
func (s *Service) PostureSummary(ctx context.Context) (*PostureSummary, error) {
	rep, err := s.Posture(ctx)
	if err != nil {
		return nil, err
	}
	_, delta, _, err := s.CoverageDelta(ctx)
	if err != nil {
		return nil, err
	}
	out := &PostureSummary{At: rep.At, Coverage: rep.Coverage(), Delta: delta, ConsoleMFA: rep.ConsoleMFA, ConsoleUsers: rep.ConsoleUsers}
	counts := FailingCounts(rep)
	for _, f := range rep.Findings {
		if c, ok := failingControl(f); ok {
			out.Failing = append(out.Failing, FailingControl{ID: c.ID, CIS: c.CIS, Title: c.Title, Count: counts[c.ID]})
		}
	}
	if out.Accounts, err = s.accountSummaries(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// failingControl returns f's control when f fails it and it is not
// informational (what the report counts).
func failingControl(f posture.Finding) (posture.Control, bool) {
	c, ok := posture.ControlByID(f.Control)
	return c, ok && !c.Info && f.Result == posture.Fail
}

// accountSummaries is a line for each managed account, when more than the
// hub is managed (nil otherwise).
func (s *Service) accountSummaries(ctx context.Context) ([]AccountSummary, error) {
	all, err := s.PostureAccounts(ctx)
	if err != nil || len(all) < 2 {
		return nil, err
	}
	out := make([]AccountSummary, 0, len(all))
	for _, ap := range all {
		a := AccountSummary{ID: ap.Account.ID, Label: ap.Account.Label()}
		if !ap.Account.Hub && ap.Account.Status == portal.AccountUnreachable {
			a.Skipped = ap.Account.Reason
		}
		if r := ap.Report; r != nil {
			a.Recorded, a.At, a.Coverage, a.ConsoleMFA, a.ConsoleUsers = true, r.At, r.Coverage(), r.ConsoleMFA, r.ConsoleUsers
			for _, f := range r.Findings {
				if _, ok := failingControl(f); ok {
					a.Failing++
				}
			}
			if _, a.Delta, _, err = s.CoverageDelta(InAccount(ctx, a.ID)); err != nil {
				return nil, err
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// isoWeek names the ISO week of t in UTC: "2026-W49".
func isoWeek(t time.Time) string {
	y, w := t.UTC().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// QueueWeeklyReports queues this week's report to every configured
// recipient that has none yet. It runs on every replica's job runner
// (jobs.Periodic); the lease and store.QueueJobOnce make sure each
// recipient gets one report a week whatever the number of replicas and
// restarts. Without e-mail or recipients, or before any sync recorded the
// posture, it does nothing. Failures are logged: the next sweep tries
// again.
func (s *Service) QueueWeeklyReports(ctx context.Context) {
	lc := s.cfg.Lifecycle
	if lc.Notifier == nil || len(lc.ReportTo) == 0 {
		return
	}
	// Until a sync has recorded the posture there is nothing to report:
	// the week's reports are queued after the first one.
	if _, err := s.cfg.Store.LatestPostureSnapshot(ctx, ""); err != nil {
		if portal.ErrorCode(err) != portal.ENOTFOUND {
			s.log.WarnContext(ctx, "posture report: no snapshot", "err", err)
		}
		return
	}
	now := s.cfg.Now()
	ok, err := s.cfg.Store.AcquireLease(ctx, reportLease, lc.Holder, time.Minute, now)
	if err != nil {
		s.log.WarnContext(ctx, "posture report: lease", "err", err)
		return
	}
	if !ok {
		return // another replica is sweeping
	}
	defer s.cfg.Store.ReleaseLease(context.WithoutCancel(ctx), reportLease, lc.Holder)
	week, queued := isoWeek(now), false
	for _, r := range lc.ReportTo {
		payload, err := json.Marshal(reportJob{Week: week, To: r.To, Lang: r.Lang})
		if err != nil {
			s.log.ErrorContext(ctx, "posture report: payload", "err", err)
			return
		}
		q, err := s.cfg.Store.QueueJobOnce(ctx, store.JobPostureReport, string(payload), "system", now)
		if err != nil {
			s.log.WarnContext(ctx, "posture report not queued", "to", r.To, "err", err)
			return
		}
		queued = queued || q
	}
	if queued && lc.Wake != nil {
		lc.Wake()
	}
}

// DeliverPostureReport makes one attempt at sending the weekly report a
// JobPostureReport names (payload), attempt counting the attempts so far,
// this one included. Like DeliverNotice it returns how long to wait before
// the next attempt (with the error), or 0 when done or given up. The
// report says the posture as the last sync recorded it at the time of
// sending.
func (s *Service) DeliverPostureReport(ctx context.Context, payload string, attempt int) (time.Duration, error) {
	var j reportJob
	if err := json.Unmarshal([]byte(payload), &j); err != nil || j.To == "" {
		return 0, fmt.Errorf("posture report: malformed job %q", payload)
	}
	if s.cfg.Lifecycle.Notifier == nil {
		return 0, nil
	}
	sum, err := s.PostureSummary(ctx)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		s.log.InfoContext(ctx, "posture report not sent: no sync has recorded the posture yet", "to", j.To, "week", j.Week)
		return 0, nil
	} else if err != nil {
		return time.Minute, err
	}
	n := Notice{Kind: NoticePostureReport, To: j.To, Lang: j.Lang, Report: sum, PageURL: strings.TrimSuffix(s.cfg.Links.Base(), "/") + "/posture"}
	err = s.cfg.Lifecycle.Notifier.Notify(ctx, n)
	switch {
	case err == nil:
		s.log.InfoContext(ctx, "posture report sent", "to", j.To, "week", j.Week)
		return 0, nil
	case ctx.Err() != nil:
		return 0, ctx.Err()
	case portal.ErrorReason(err) == NoticePermanent || attempt > len(noticeRetries):
		s.log.WarnContext(ctx, "posture report given up", "to", j.To, "week", j.Week, "attempts", attempt, "err", err)
		return 0, err
	}
	s.log.WarnContext(ctx, "posture report not delivered yet", "to", j.To, "attempt", attempt, "err", err)
	return noticeRetries[attempt-1], err
}

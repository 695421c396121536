package onboarding

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// ExtendChoices are the quick extensions, in days, that ExtendDeadlineBy
// accepts (the extend form's buttons and the API's "days").
var ExtendChoices = []int{3, 7}

// ExtendedBy is the deadline days later than u's current one (or than
// today when it has passed), at the end of that day, UTC.
func ExtendedBy(u *portal.User, now time.Time, days int) time.Time {
	base := now.UTC()
	if u.Deadline.After(now) {
		base = u.Deadline.UTC()
	}
	y, m, d := base.AddDate(0, 0, days).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Add(24*time.Hour - time.Second)
}

// ExtendDeadlineBy moves a pending user's deadline by one of ExtendChoices
// days (see ExtendedBy), as ExtendDeadline.
func (s *Service) ExtendDeadlineBy(ctx context.Context, a Actor, userName string, days int, reason string) (*portal.User, error) {
	if !slices.Contains(ExtendChoices, days) {
		return nil, portal.FieldE("days", "err.extend.days")
	}
	ctx, u, err := s.findUser(ctx, userName)
	if err != nil {
		return nil, err
	}
	return s.ExtendDeadline(ctx, a, userName, ExtendedBy(u, s.cfg.Now(), days), reason)
}

// ExtendDeadline moves a pending user's enrollment deadline. The reason is
// required and goes into the audit log. A deadline on the same day (UTC) as
// the current one is refused as unchanged.
func (s *Service) ExtendDeadline(ctx context.Context, a Actor, userName string, deadline time.Time, reason string) (*portal.User, error) {
	ctx, u, err := s.findUser(ctx, userName)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	day := deadline.UTC().Format(time.DateOnly)
	switch {
	case !u.Deadline.IsZero() && day == u.Deadline.UTC().Format(time.DateOnly):
		return nil, portal.FieldE("deadline", "err.deadline.unchanged", day)
	case reason == "":
		return nil, portal.FieldE("reason", "err.extend.reason")
	case !deadline.After(s.cfg.Now()):
		return nil, portal.FieldE("deadline", "err.extend.past")
	case u.State == portal.StateEnrolled || u.State == portal.StateOffboarded:
		return nil, portal.E(portal.ECONFLICT, "err.extend.state", u.UserName, portal.StateText(u.State))
	}
	if err := s.cfg.Store.SetDeadline(ctx, u.ID, deadline, s.cfg.Now()); err != nil {
		return nil, err
	}
	old := "none"
	if !u.Deadline.IsZero() {
		old = u.Deadline.UTC().Format("2006-01-02 15:04 MST")
	}
	s.auditUser(ctx, a, "deadline.extend", u, portal.T("audit.deadline.extend", old, deadline.UTC().Format("2006-01-02 15:04 MST"), reason))
	u.Deadline = deadline
	return u, nil
}

// RunDeadlines does the once-only work around deadlines: a reminder
// ReminderBefore the deadline, the user.overdue event (audited, announced
// to webhooks) and an overdue notice after it and, when
// configured, the automatic action. Each step is marked in the store before
// it runs, so two replicas never both send or act.
func (s *Service) RunDeadlines(ctx context.Context) {
	now := s.cfg.Now()
	lc := s.cfg.Lifecycle
	system := Actor{Name: "system"}
	soon := portal.UserFilter{DeadlineFrom: now, DeadlineTo: now.Add(lc.ReminderBefore), Sort: portal.SortDeadline}
	if err := s.eachUser(ctx, soon, func(u *portal.User) {
		if s.NotifyEnabled() && u.Email != "" && s.mark(ctx, u, store.MarkReminded, now) {
			s.notifyUser(ctx, u, NoticeReminder, "")
			s.auditUser(ctx, system, "notice.reminder", u, portal.T("audit.notice.reminder", u.Email))
		}
	}); err != nil {
		s.log.WarnContext(ctx, "deadline reminders", "err", err)
	}
	overdue := portal.UserFilter{DeadlineTo: now, Sort: portal.SortDeadline}
	if err := s.eachUser(ctx, overdue, func(u *portal.User) {
		if u.State != portal.StateProvisioning && s.mark(ctx, u, store.MarkOverdue, now) {
			s.auditUser(ctx, system, "user.overdue", u, portal.T("audit.user.overdue", u.Deadline.UTC().Format("2006-01-02 15:04 MST")))
		}
		if s.NotifyEnabled() && u.Email != "" && s.mark(ctx, u, store.MarkOverdueSent, now) {
			s.notifyUser(ctx, u, NoticeOverdue, "")
			s.auditUser(ctx, system, "notice.overdue", u, portal.T("audit.notice.overdue", u.Email))
		}
		if lc.DeadlineAction != DeadlineActionNone && u.State != portal.StateProvisioning && s.mark(ctx, u, store.MarkDeadlineAction, now) {
			s.deadlineAction(ctx, system, u)
		}
	}); err != nil {
		s.log.WarnContext(ctx, "overdue users", "err", err)
	}
}

func (s *Service) mark(ctx context.Context, u *portal.User, mark string, now time.Time) bool {
	won, err := s.cfg.Store.Mark(ctx, u.ID, mark, now)
	if err != nil {
		s.log.WarnContext(ctx, "lifecycle mark", "user", u.UserName, "mark", mark, "err", err)
	}
	return won
}

// deadlineAction applies the configured automatic action to an overdue
// user and audits what it did (or why it could not). Right before, it checks
// that the IAM user is still ours (ensureOurs) and asks IAM live whether
// the user has an MFA device now: the stored state can be a sync old, and a
// user who enrolled in the console meanwhile is recorded as enrolled
// instead of losing access.
func (s *Service) deadlineAction(ctx context.Context, a Actor, u *portal.User) {
	ctx, err := s.scope(ctx, u.AccountID)
	if err != nil {
		s.auditUser(ctx, a, "deadline.action.failed", u, portal.T("audit.deadline.check.failed", portal.ErrorTextOf(err)))
		return
	}
	if _, err := s.ensureOurs(ctx, a, u, "apply the deadline action"); err != nil {
		if portal.ErrorReason(err) != ReasonNotOurs { // a refusal is audited already
			s.auditUser(ctx, a, "deadline.action.failed", u, portal.T("audit.deadline.check.failed", portal.ErrorTextOf(err)))
		}
		return
	}
	devs, err := s.iam(ctx).ListMFADevices(ctx, u.UserName)
	if err != nil {
		s.auditUser(ctx, a, "deadline.action.failed", u, portal.T("audit.deadline.mfacheck.failed", portal.ErrorTextOf(err)))
		return
	}
	if len(devs) > 0 {
		if err := s.markEnrolled(ctx, u, devs[0].Serial, ""); err != nil {
			s.log.WarnContext(ctx, "record enrollment", "user", u.UserName, "err", err)
			return
		}
		s.auditUser(ctx, a, "mfa.enable", u, portal.T("audit.deadline.mfa.found", devs[0].Serial))
		s.notifyUser(ctx, u, NoticeEnrolled, "")
		return
	}
	switch s.cfg.Lifecycle.DeadlineAction {
	case DeadlineActionDisableLogin:
		err := s.iam(ctx).DeleteLoginProfile(ctx, u.UserName)
		switch {
		case err == nil:
			s.auditUser(ctx, a, "deadline.action", u, portal.T("audit.deadline.password.removed"))
		case portal.ErrorCode(err) == portal.ENOTFOUND:
			s.auditUser(ctx, a, "deadline.action", u, portal.T("audit.deadline.password.none"))
		default:
			s.auditUser(ctx, a, "deadline.action.failed", u, portal.T("audit.deadline.password.failed", portal.ErrorTextOf(err)))
		}
	case DeadlineActionDeactivateKey:
		keys, err := s.iam(ctx).ListAccessKeys(ctx, u.UserName)
		n := 0
		for _, k := range keys {
			if err != nil {
				break
			}
			if k.Active {
				if err = s.iam(ctx).DeactivateAccessKey(ctx, u.UserName, k.ID); err == nil {
					n++
				}
			}
		}
		if err != nil {
			s.auditUser(ctx, a, "deadline.action.failed", u, portal.T("audit.deadline.keys.failed", portal.ErrorTextOf(err)))
			return
		}
		s.auditUser(ctx, a, "deadline.action", u, portal.T("audit.deadline.keys.done", n))
	}
}

// eachUser calls fn for every user f selects, a page at a time, so a
// deadline run over many users never holds them all (nor stops at a cap).
func (s *Service) eachUser(ctx context.Context, f portal.UserFilter, fn func(*portal.User)) error {
	f.Limit = 500
	for {
		page, err := s.cfg.Store.FindUsers(ctx, f)
		if err != nil {
			return err
		}
		for _, u := range page.Users {
			fn(u)
		}
		if page.Next == "" {
			return nil
		}
		f.After = page.Next
	}
}

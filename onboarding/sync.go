package onboarding

import (
	"context"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/store"
)

// Sync sources, recorded with each run and shown on the dashboard.
const (
	SyncScheduled = "schedule"
	SyncManual    = "manual"
)

// syncLease is the lease that keeps two syncs (on any replica) apart.
const syncLease = "status-sync"

// SyncResult summarises one status sync.
type SyncResult struct {
	ReportAt    time.Time
	Users       int // managed users compared with the report
	LiveChecked int // users whose MFA devices were looked up live
	Enrolled    int // newly found enrolled (done in the AWS console)
	Removed     int // MFA removed since enrollment
	Gone        int // IAM user deleted outside Gatehouse
	SignedIn    int // first console sign-in seen
	// Skipped are the member accounts that could not be synced (their role
	// could not be assumed, or IAM failed there), with the reason; the
	// other accounts were synced.
	Skipped []SkippedAccount
}

// SkippedAccount is a member account a sync could not reach.
type SkippedAccount struct {
	Account string
	Reason  portal.Text
}

// Text is the run's summary for people, kept with the run.
func (r *SyncResult) Text() portal.Text {
	sum := portal.T("sync.summary", r.Users, r.LiveChecked, r.Enrolled, r.Removed, r.Gone, r.SignedIn)
	if len(r.Skipped) == 0 {
		return sum
	}
	parts := []portal.Text{sum}
	for _, k := range r.Skipped {
		parts = append(parts, portal.T("sync.account.skipped", k.Account, k.Reason))
	}
	return portal.T("audit.list", parts)
}

// String is the summary in English, for logs.
func (r *SyncResult) String() string {
	return fmt.Sprintf("%d users compared; %d checked live; %d enrolled, %d MFA removed, %d deleted outside Gatehouse, %d first console sign-ins; %d accounts skipped",
		r.Users, r.LiveChecked, r.Enrolled, r.Removed, r.Gone, r.SignedIn, len(r.Skipped))
}

// Sync brings the store's view of every managed user up to date with IAM:
// the credential report for the whole account (two calls for any number of
// users), plus a live look at the MFA devices of every user still pending,
// whatever the report's age (it can be hours old and predate the user),
// through one paged listing of the account's assigned virtual devices (see
// syncLive); it then records the account's posture (every IAM user, see
// postureFacts) when the report is new (postureDue). Only one sync runs at a time across replicas;
// a second one fails with ECONFLICT. Every run is recorded for the
// dashboard, failed ones with their reason.
func (s *Service) Sync(ctx context.Context, source string, a Actor) (*SyncResult, error) {
	now := s.cfg.Now()
	lc := s.cfg.Lifecycle
	ok, err := s.cfg.Store.AcquireLease(ctx, syncLease, lc.Holder, lc.SyncLease, now)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, portal.E(portal.ECONFLICT, "err.sync.running")
	}
	defer func() {
		// A new context: the lease must be released even when ctx ended.
		if err := s.cfg.Store.ReleaseLease(context.WithoutCancel(ctx), syncLease, lc.Holder); err != nil {
			s.log.ErrorContext(ctx, "release sync lease", "err", err)
		}
	}()
	res, err := s.sync(ctx, a)
	run := &store.SyncRun{StartedAt: now, FinishedAt: s.cfg.Now(), Source: source, Actor: a.Name, OK: err == nil}
	if err != nil {
		run.Text = portal.ErrorTextOf(err)
		s.log.WarnContext(ctx, "status sync failed", "source", source, "err", err)
	} else {
		run.ReportAt, run.Text = res.ReportAt, res.Text()
	}
	if rerr := s.cfg.Store.CreateSyncRun(context.WithoutCancel(ctx), run); rerr != nil {
		s.log.ErrorContext(ctx, "record sync run", "err", rerr)
	}
	return res, err
}

// sync syncs every account, one credential report each. The hub's failure
// fails the sync; a member account that fails is recorded as skipped (and,
// when its role cannot be assumed, marked unreachable with the reason) and
// the others go on.
func (s *Service) sync(ctx context.Context, a Actor) (*SyncResult, error) {
	res := &SyncResult{}
	// Users recorded without an account (before accounts existed, or by a
	// tool) are the hub's: give them its ID so the hub's pass sees them.
	if err := s.cfg.Store.EnsureHubAccount(ctx, s.cfg.Account, s.cfg.Now()); err != nil {
		return nil, err
	}
	accts, err := s.cfg.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.syncAccount(ctx, a, s.cfg.Account, res); err != nil {
		return nil, err
	}
	for _, acct := range accts {
		if acct.Hub || acct.ID == s.cfg.Account {
			continue
		}
		actx, err := s.scope(ctx, acct.ID)
		if err == nil {
			err = s.syncAccount(actx, a, acct.ID, res)
		}
		switch {
		case err == nil:
			if acct.Status != portal.AccountReachable {
				if err := s.cfg.Store.SetAccountStatus(ctx, acct.ID, portal.AccountReachable, portal.Text{}, s.cfg.Now()); err != nil {
					return nil, err
				}
			}
		case ctx.Err() != nil:
			return nil, err
		default:
			s.log.WarnContext(ctx, "status sync skipped an account", "account", acct.ID, "err", err)
			if Unreachable(err) {
				s.markUnreachable(ctx, acct.ID, err)
			}
			res.Skipped = append(res.Skipped, SkippedAccount{Account: acct.ID, Reason: portal.ErrorTextOf(err)})
		}
	}
	return res, nil
}

// syncAccount syncs the users of one account (ctx is scoped to it) into
// res; its report also gives the account's posture.
func (s *Service) syncAccount(ctx context.Context, a Actor, account string, res *SyncResult) error {
	ctx, err := s.scope(ctx, account)
	if err != nil {
		return err
	}
	rep, err := s.credentialReport(ctx)
	if err != nil {
		return err
	}
	rows := make(map[string]awsiam.ReportRow, len(rep.Rows))
	for _, r := range rep.Rows {
		rows[portal.UserNameKey(r.User)] = r
	}
	page, err := s.cfg.Store.FindUsers(ctx, portal.UserFilter{Account: account,
		States: []portal.State{portal.StateInvited, portal.StateClaimed, portal.StateEnrolled, portal.StateMFARemoved}})
	if err != nil {
		return err
	}
	users := page.Users
	prev, err := s.cfg.Store.FindAllUserFacts(ctx)
	if err != nil {
		return err
	}
	if account == s.cfg.Account {
		res.ReportAt = rep.Generated
	}
	res.Users += len(users)
	var facts []store.UserFacts
	var live []*portal.User // users only a live answer from IAM can settle
	for _, u := range users {
		row, inReport := rows[portal.UserNameKey(u.UserName)]
		if !inReport {
			if !u.CreatedAt.After(rep.Generated) {
				gone, err := s.syncMissing(ctx, a, u, res)
				if err != nil {
					return err
				}
				if gone {
					continue
				}
			}
			// Created after the report was generated (a report can be
			// hours old), or there after all: a pending user is looked
			// up live like every pending user.
			if pending(u) {
				live = append(live, u)
			}
			continue
		}
		f := store.UserFacts{UserID: u.ID, ReportAt: rep.Generated, PasswordEnabled: row.PasswordEnabled,
			PasswordLastUsed: row.PasswordLastUsed, MFAActive: row.MFAActive}
		for _, k := range row.Keys {
			f.AccessKeys = append(f.AccessKeys, store.KeyFact{Active: k.Active, LastRotated: k.LastRotated, LastUsed: k.LastUsed, LastService: k.LastService})
		}
		facts = append(facts, f)
		if !row.PasswordLastUsed.IsZero() && (prev[u.ID] == nil || prev[u.ID].PasswordLastUsed.IsZero()) {
			res.SignedIn++
			s.auditUser(ctx, a, "console.signin.seen", u, portal.T("audit.console.signin", row.PasswordLastUsed.Format(time.RFC3339)))
		}
		// Pending users are looked up live (the report may predate a
		// console enrollment); an enrolled user whose report row says no MFA
		// is confirmed live before being marked "mfa-removed", since the
		// report may predate the enrollment.
		if u.State != portal.StateEnrolled || !(row.MFAActive || u.EnrolledAt.After(rep.Generated)) {
			live = append(live, u)
		}
	}
	if err := s.syncLive(ctx, a, live, rows, res); err != nil {
		return err
	}
	if err := s.cfg.Store.SaveUserFacts(ctx, facts); err != nil {
		return err
	}
	// Every reachable account records its own posture.
	if due, err := s.postureDue(ctx, rep); err != nil || !due {
		return err
	}
	_, err = s.recordPosture(ctx, rep)
	return err
}

// postureDue reports whether the posture is to be recorded from rep: once
// per credential report, when rep is newer than the report the last
// snapshot was built on (or there is none). The posture's reads (the
// password policy and GetAccountAuthorizationDetails, about 11 pages at
// 10,000 users) would otherwise double the calls of every sync, for the
// same report's facts: IAM hands back the same report for 4 hours, so the
// posture follows each new report — including its policy facts, which are
// as old as the report at most (docs/benchmarks.md).
func (s *Service) postureDue(ctx context.Context, rep *awsiam.CredentialReport) (bool, error) {
	last, err := s.cfg.Store.LatestPostureSnapshot(ctx, s.account(ctx))
	switch {
	case portal.ErrorCode(err) == portal.ENOTFOUND:
		return true, nil
	case err != nil:
		return false, err
	}
	// The store keeps milliseconds.
	return rep.Generated.Truncate(time.Millisecond).After(last.ReportAt), nil
}

// pending reports whether u has not enrolled yet since the last invite.
func pending(u *portal.User) bool {
	return u.State == portal.StateInvited || u.State == portal.StateClaimed
}

// syncMissing handles a user absent from a report generated after the user
// was created: GetUser confirms the deletion before the record becomes
// "offboarded" (gone is true then). Each user deleted outside Gatehouse
// costs this one call once: it is not synced again.
func (s *Service) syncMissing(ctx context.Context, a Actor, u *portal.User, res *SyncResult) (gone bool, err error) {
	_, err = s.iam(ctx).GetUser(ctx, u.UserName)
	if portal.ErrorReason(err) != awsiam.CodeNoSuchEntity {
		return false, err // nil: it exists after all (the report is older than it)
	}
	return true, s.markGone(ctx, a, u, res)
}

// markGone records that u's IAM user no longer exists.
func (s *Service) markGone(ctx context.Context, a Actor, u *portal.User, res *SyncResult) error {
	st := portal.StateOffboarded
	if err := s.cfg.Store.UpdateUser(ctx, u.ID, store.UserUpdate{State: &st}, s.cfg.Now()); err != nil {
		return err
	}
	res.Gone++
	s.auditUser(ctx, a, "user.gone", u, portal.T("audit.user.gone"))
	return nil
}

// syncLive looks up the MFA devices of the users the credential report
// cannot settle, live, and applies the answers. One paged listing of every
// assigned virtual device (ListVirtualMFADevices, AssignmentStatus=Assigned,
// 1,000 a page) answers for all of them: 10 calls for 10,000 devices. Only
// hardware keys and passkeys are missing from it; they show in the report's
// mfa_active, so a user without an assigned virtual device whose report row
// says MFA is active is asked about alone (ListMFADevices). One without
// either has no MFA as far as IAM can tell now; a hardware key added since
// the report is seen once a newer report shows it. So the calls are the
// report's, the listing's pages, and one per user holding a non-virtual
// device not yet recorded. Only this function knows how IAM is asked.
func (s *Service) syncLive(ctx context.Context, a Actor, users []*portal.User, rows map[string]awsiam.ReportRow, res *SyncResult) error {
	if len(users) == 0 {
		return nil
	}
	devs, err := s.iam(ctx).ListVirtualMFADevices(ctx, true)
	if err != nil {
		return err
	}
	assigned := make(map[string][]string, len(devs))
	for _, d := range devs {
		if d.UserName != "" {
			k := portal.UserNameKey(d.UserName)
			assigned[k] = append(assigned[k], d.Serial)
		}
	}
	for _, u := range users {
		res.LiveChecked++
		k := portal.UserNameKey(u.UserName)
		serials, ok := assigned[k]
		if !ok && rows[k].MFAActive {
			devs, err := s.iam(ctx).ListMFADevices(ctx, u.UserName)
			if portal.ErrorReason(err) == awsiam.CodeNoSuchEntity {
				if err := s.markGone(ctx, a, u, res); err != nil {
					return err
				}
				continue
			} else if err != nil {
				return err
			}
			for _, d := range devs {
				serials = append(serials, d.Serial)
			}
		}
		if err := s.syncMFA(ctx, a, u, serials, res); err != nil {
			return err
		}
	}
	return nil
}

// syncMFA applies what IAM said live about u's MFA devices (their serials).
func (s *Service) syncMFA(ctx context.Context, a Actor, u *portal.User, serials []string, res *SyncResult) error {
	switch {
	case len(serials) > 0 && u.State != portal.StateEnrolled:
		if err := s.markEnrolled(ctx, u, serials[0], ""); err != nil {
			return err
		}
		res.Enrolled++
		s.auditUser(ctx, a, "mfa.enable", u, portal.T("audit.mfa.found.sync", serials[0]))
		s.notifyUser(ctx, u, NoticeEnrolled, "")
	case len(serials) == 0 && u.State == portal.StateEnrolled:
		st, none := portal.StateMFARemoved, ""
		if err := s.cfg.Store.UpdateUser(ctx, u.ID, store.UserUpdate{State: &st, MFASerial: &none}, s.cfg.Now()); err != nil {
			return err
		}
		res.Removed++
		s.auditUser(ctx, a, "mfa.removed", u, portal.T("audit.mfa.removed", u.MFASerial))
	}
	return nil
}

// RunSyncEvery runs the status sync every interval until ctx ends. A sync
// already running elsewhere (ECONFLICT) is not an error; a replica skips
// the run when another finished one less than half an interval ago. The
// first run is at once, so a fresh start has a status to show.
func (s *Service) RunSyncEvery(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for first := true; ; first = false {
		if !first {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
		s.ScheduledRound(ctx, interval)
	}
}

// ScheduledRound is one round of RunSyncEvery: a status sync, then the
// deadline work (RunDeadlines). The deadline work runs only after a sync
// that succeeded in this round, so reminders and deadline actions act on
// facts at most one round old: after a failed sync (IAM unreachable, the
// credential report not ready) a user who enrolled in the console meanwhile
// would otherwise be reminded or lose access. A replica skips the round
// when another finished a sync less than half an interval ago, or is
// syncing now; that replica does the deadline work.
func (s *Service) ScheduledRound(ctx context.Context, interval time.Duration) {
	if last, err := s.cfg.Store.LastSyncRun(ctx); err == nil && s.cfg.Now().Sub(last.FinishedAt) < interval/2 {
		return
	}
	if _, err := s.Sync(ctx, SyncScheduled, Actor{Name: "system"}); err != nil {
		if portal.ErrorCode(err) != portal.ECONFLICT {
			s.log.WarnContext(ctx, "scheduled status sync failed; deadline work skipped until a sync succeeds", "err", err)
		}
		return
	}
	s.RunDeadlines(ctx)
}

package onboarding

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/posture"
	"github.com/gatehouse/portal/store"
)

// postureFacts gathers what the posture controls need from the credential
// report the sync already read (every IAM user of the account, managed or
// not, and the root row) and two more reads for the whole account: the
// password policy (GetAccountPasswordPolicy) and who holds which policy
// (GetAccountAuthorizationDetails, paged). No call is made per user. A read
// that fails leaves its facts unknown; the sync goes on.
func (s *Service) postureFacts(ctx context.Context, rep *awsiam.CredentialReport) posture.Facts {
	f := posture.Facts{ReportAt: rep.Generated, OwnPolicy: s.policyARN(ctx)}
	for _, r := range rep.Rows {
		f.Users = append(f.Users, posture.User{Name: r.User, Created: r.Created, PasswordEnabled: r.PasswordEnabled,
			PasswordLastUsed: r.PasswordLastUsed, PasswordChanged: r.PasswordChanged, MFAActive: r.MFAActive, Keys: postureKeys(r.Keys)})
	}
	if r := rep.Root; r != nil {
		root := &posture.Root{MFAActive: r.MFAActive}
		for _, k := range r.Keys {
			if k.Active {
				root.ActiveKeys++
			}
		}
		f.Root = root
	}
	if pp, err := s.iam(ctx).PasswordPolicy(ctx); err != nil {
		s.log.WarnContext(ctx, "posture: password policy unreadable; its controls are unknown", "err", err)
	} else {
		f.PasswordPolicy = &posture.PasswordPolicy{Custom: pp.Custom, MinLength: pp.MinLength, ReusePrevention: pp.ReusePrevention}
	}
	d, err := s.iam(ctx).AuthorizationDetails(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "posture: authorization details unreadable; the policy controls are unknown", "err", err)
		return f
	}
	f.PoliciesKnown = true
	byName := make(map[string]*posture.User, len(f.Users))
	for i := range f.Users {
		byName[f.Users[i].Name] = &f.Users[i]
	}
	for _, u := range d.Users {
		// A user created after the report was generated is not in it: its
		// policies wait for the next report.
		if pu := byName[u.Name]; pu != nil {
			pu.Attached, pu.Inline, pu.Groups = u.Attached, u.Inline, u.Groups
		}
	}
	for _, g := range d.Groups {
		f.Groups = append(f.Groups, posture.Group{Name: g.Name, Attached: g.Attached})
	}
	for _, p := range d.Policies {
		f.Policies = append(f.Policies, posture.Policy{ARN: p.ARN, Name: p.Name, AWSManaged: p.AWSManaged, Document: p.Document})
	}
	return f
}

func postureKeys(keys []awsiam.ReportKey) []posture.Key {
	var out []posture.Key
	for _, k := range keys {
		out = append(out, posture.Key{Active: k.Active, LastRotated: k.LastRotated, LastUsed: k.LastUsed})
	}
	return out
}

// recordPosture evaluates the posture of ctx's account from the sync's
// report and stores it as that account's snapshot.
func (s *Service) recordPosture(ctx context.Context, rep *awsiam.CredentialReport) (*posture.Report, error) {
	r := posture.Evaluate(s.postureFacts(ctx, rep), s.cfg.Now())
	detail, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("posture: %w", err)
	}
	snap := &store.PostureSnapshot{AccountID: s.account(ctx), TakenAt: r.At, ReportAt: r.ReportAt, Users: r.Users, ConsoleUsers: r.ConsoleUsers, ConsoleMFA: r.ConsoleMFA,
		Failing: FailingCounts(r), Detail: string(detail)}
	if err := s.cfg.Store.SavePostureSnapshot(ctx, snap); err != nil {
		return nil, err
	}
	return r, nil
}

// FailingCounts is the number of users (or, for the *:* controls with no
// user holding the policy, policies) failing each control; -1 when unknown.
func FailingCounts(r *posture.Report) map[string]int {
	out := make(map[string]int, len(r.Findings))
	for _, f := range r.Findings {
		switch {
		case f.Result == posture.Unknown:
			out[f.Control] = -1
		case f.Result == posture.Fail && len(f.Users) == 0:
			out[f.Control] = max(1, len(f.Policy))
		default:
			out[f.Control] = len(f.Users)
		}
	}
	return out
}

// postureAccount is the account the request chose (InAccount), or the
// hub; an account Gatehouse does not manage is ENOTFOUND.
func (s *Service) postureAccount(ctx context.Context) (string, error) {
	id := chosen(ctx)
	if id == "" || id == s.cfg.Account {
		return s.cfg.Account, nil
	}
	if _, err := s.cfg.Store.FindAccount(ctx, id); err != nil {
		return "", err
	}
	return id, nil
}

// Posture returns the posture of the account the request chose (InAccount;
// the hub by default) as the last sync that reached it recorded it;
// ENOTFOUND before any.
func (s *Service) Posture(ctx context.Context) (*posture.Report, error) {
	acct, err := s.postureAccount(ctx)
	if err != nil {
		return nil, err
	}
	snap, err := s.cfg.Store.LatestPostureSnapshot(ctx, acct)
	if err != nil {
		return nil, err
	}
	return reportOf(snap)
}

// reportOf reads the evaluation a snapshot keeps.
func reportOf(snap *store.PostureSnapshot) (*posture.Report, error) {
	var r posture.Report
	if err := json.Unmarshal([]byte(snap.Detail), &r); err != nil {
		return nil, fmt.Errorf("posture snapshot %d: %w", snap.ID, err)
	}
	return &r, nil
}

// PostureTrend returns the snapshots of the account the request chose (the
// hub by default) of the last days days, oldest first.
func (s *Service) PostureTrend(ctx context.Context, days int) ([]store.PostureSnapshot, error) {
	acct, err := s.postureAccount(ctx)
	if err != nil {
		return nil, err
	}
	return s.cfg.Store.PostureSnapshotsSince(ctx, acct, s.cfg.Now().Add(-time.Duration(days)*24*time.Hour))
}

// AccountPosture is one managed account's latest posture, for the
// overview of every account.
type AccountPosture struct {
	Account *portal.Account
	// Report is the account's latest posture; nil before a sync recorded
	// one (or while the account has been unreachable since it was added).
	Report *posture.Report
}

// PostureAccounts returns the latest posture of every managed account, the
// hub first. An unreachable account is listed with its status and reason
// (portal.Account) and whatever posture was recorded before: the sync
// skips it until it can be reached.
func (s *Service) PostureAccounts(ctx context.Context) ([]AccountPosture, error) {
	accts, err := s.cfg.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AccountPosture, 0, len(accts))
	for _, a := range accts {
		ap := AccountPosture{Account: a}
		snap, err := s.cfg.Store.LatestPostureSnapshot(ctx, a.ID)
		switch {
		case err == nil:
			if ap.Report, err = reportOf(snap); err != nil {
				return nil, err
			}
		case portal.ErrorCode(err) != portal.ENOTFOUND:
			return nil, err
		}
		out = append(out, ap)
	}
	return out, nil
}

// DailyTrend keeps the last snapshot of each UTC day (a sync runs many
// times a day; the chart and its table show one point per day).
func DailyTrend(snaps []store.PostureSnapshot) []store.PostureSnapshot {
	var out []store.PostureSnapshot
	for _, p := range snaps {
		if n := len(out); n > 0 && sameDay(out[n-1].TakenAt, p.TakenAt) {
			out[n-1] = p
			continue
		}
		out = append(out, p)
	}
	return out
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}

// CoverageDelta returns the current MFA coverage of the account the
// request chose (the hub by default) and its change in percentage points
// since the newest snapshot at least a week old, or the oldest one when
// none is that old (ok is false when there is no snapshot).
func (s *Service) CoverageDelta(ctx context.Context) (now, delta float64, ok bool, err error) {
	snaps, err := s.PostureTrend(ctx, coverageDays)
	if err != nil || len(snaps) == 0 {
		return 0, 0, false, err
	}
	last, base := s.coverageEnds(snaps)
	now = posture.CoverageOf(last.ConsoleMFA, last.ConsoleUsers)
	return now, now - posture.CoverageOf(base.ConsoleMFA, base.ConsoleUsers), true, nil
}

// CoverageDeltaAll is CoverageDelta over every managed account: the console
// users with MFA and all console users of each account's newest snapshot,
// and of the snapshot CoverageDelta compares it with, summed. An account
// without a snapshot (unreachable since it was added) counts for nothing.
func (s *Service) CoverageDeltaAll(ctx context.Context) (now, delta float64, ok bool, err error) {
	accts, err := s.cfg.Store.Accounts(ctx)
	if err != nil || len(accts) <= 1 {
		if err != nil {
			return 0, 0, false, err
		}
		return s.CoverageDelta(ctx)
	}
	var nowMFA, nowConsole, baseMFA, baseConsole int
	since := s.cfg.Now().Add(-coverageDays * 24 * time.Hour)
	for _, a := range accts {
		snaps, err := s.cfg.Store.PostureSnapshotsSince(ctx, a.ID, since)
		if err != nil {
			return 0, 0, false, err
		}
		if len(snaps) == 0 {
			continue
		}
		last, base := s.coverageEnds(snaps)
		nowMFA, nowConsole = nowMFA+last.ConsoleMFA, nowConsole+last.ConsoleUsers
		baseMFA, baseConsole = baseMFA+base.ConsoleMFA, baseConsole+base.ConsoleUsers
		ok = true
	}
	if !ok {
		return 0, 0, false, nil
	}
	now = posture.CoverageOf(nowMFA, nowConsole)
	return now, now - posture.CoverageOf(baseMFA, baseConsole), true, nil
}

// coverageDays is how many days of snapshots the coverage's change is
// looked for in.
const coverageDays = 8

// coverageEnds returns the newest of snaps (oldest first) and the one the
// coverage's change is measured from: the newest at least a week old, or
// the oldest when none is that old.
func (s *Service) coverageEnds(snaps []store.PostureSnapshot) (last, base store.PostureSnapshot) {
	weekAgo := s.cfg.Now().Add(-7 * 24 * time.Hour)
	base = snaps[0]
	for _, p := range snaps {
		if p.TakenAt.After(weekAgo) {
			break
		}
		base = p
	}
	return snaps[len(snaps)-1], base
}

// ManagedNames returns the names (portal.UserNameKey) of the users
// Gatehouse manages and has not offboarded in the account the request
// chose (the hub by default).
func (s *Service) ManagedNames(ctx context.Context) (map[string]bool, error) {
	acct, err := s.postureAccount(ctx)
	if err != nil {
		return nil, err
	}
	page, err := s.cfg.Store.FindUsers(ctx, portal.UserFilter{Account: acct, States: []portal.State{portal.StateProvisioning, portal.StateInvited,
		portal.StateClaimed, portal.StateEnrolled, portal.StateMFARemoved}})
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(page.Users))
	for _, u := range page.Users {
		out[portal.UserNameKey(u.UserName)] = true
	}
	return out, nil
}

package onboarding

import (
	"context"
	"strings"

	"github.com/gatehouse/portal"
)

// Accounts returns every managed account, the hub first.
func (s *Service) Accounts(ctx context.Context) ([]*portal.Account, error) {
	return s.cfg.Store.Accounts(ctx)
}

// FindAccount returns the managed account id (ENOTFOUND when Gatehouse does
// not manage it).
func (s *Service) FindAccount(ctx context.Context, id string) (*portal.Account, error) {
	return s.cfg.Store.FindAccount(ctx, id)
}

// MultiAccount reports whether more than the hub account is managed.
func (s *Service) MultiAccount(ctx context.Context) bool {
	all, err := s.cfg.Store.Accounts(ctx)
	return err == nil && len(all) > 1
}

// AddAccount records a member account and checks it at once (AssumeRole,
// then GetCallerIdentity with the session). The account is kept whatever
// the check says, with the outcome; the returned error is the check's
// reason, for the page to show (nil: reachable). Input errors keep nothing.
func (s *Service) AddAccount(ctx context.Context, a Actor, in portal.NewAccount) (*portal.Account, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.ID == s.cfg.Account {
		return nil, portal.FieldE("account_id", "err.account.exists", in.ID)
	}
	if err := s.samePartition(in); err != nil {
		return nil, err
	}
	if s.cfg.Accounts == nil {
		return nil, portal.E(portal.EUNAVAILABLE, "err.account.nosuch", in.ID)
	}
	now := s.cfg.Now()
	acct := &portal.Account{ID: in.ID, Name: in.Name, RoleARN: in.RoleARN, ExternalID: in.ExternalID, CreatedBy: a.Name, CreatedAt: now}
	if acct.RoleARN == "" {
		acct.RoleARN = s.cfg.Partition.DefaultRoleARN(in.ID)
	}
	if err := s.cfg.Store.AddAccount(ctx, acct); err != nil {
		return nil, err
	}
	s.auditKind(ctx, a, portal.TargetAccount, "account.add", acct.ID, portal.T("audit.account.add", acct.RoleARN))
	return acct, s.checkAccount(ctx, a, acct)
}

// UpdateAccount changes account id's name, role ARN and external ID (in
// names the form inputs; its ID is ignored). New role settings are checked
// at once (AssumeRole, then GetCallerIdentity) before they replace the
// old: settings that do not reach the account save nothing, so a typing
// mistake cannot cut off an account that works. The hub has no role: only
// its name changes.
func (s *Service) UpdateAccount(ctx context.Context, a Actor, id string, in portal.NewAccount) (*portal.Account, error) {
	acct, err := s.cfg.Store.FindAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	in.ID = id
	hub := acct.Hub || id == s.cfg.Account
	if hub && (in.RoleARN != "" || in.ExternalID != "") {
		return nil, portal.FieldE("role_arn", "err.account.hub.role")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.samePartition(in); err != nil {
		return nil, err
	}
	next := *acct
	next.Name = in.Name
	if !hub {
		next.RoleARN, next.ExternalID = in.RoleARN, in.ExternalID
		if next.RoleARN == "" {
			next.RoleARN = s.cfg.Partition.DefaultRoleARN(id)
		}
	}
	changed := next.RoleARN != acct.RoleARN || next.ExternalID != acct.ExternalID
	if changed {
		if s.cfg.Accounts == nil {
			return nil, portal.E(portal.EUNAVAILABLE, "err.account.nosuch", id)
		}
		if cerr := s.cfg.Accounts.Check(ctx, &next); cerr != nil {
			s.log.WarnContext(ctx, "account edit refused: unreachable", "account", id, "err", cerr)
			return nil, portal.E(portal.EINVALID, "err.account.edit.unreachable", portal.ErrorTextOf(cerr)).Wrap(cerr)
		}
	}
	if err := s.cfg.Store.UpdateAccount(ctx, &next); err != nil {
		return nil, err
	}
	s.auditKind(ctx, a, portal.TargetAccount, "account.edit", id, portal.T("audit.account.edit", next.Label(), next.RoleARN))
	if changed {
		// Check cached a session of the new role; the status says so.
		next.Status, next.Reason, next.CheckedAt = portal.AccountReachable, portal.Text{}, s.cfg.Now()
		return &next, s.cfg.Store.SetAccountStatus(ctx, id, next.Status, next.Reason, next.CheckedAt)
	}
	return &next, nil
}

// samePartition refuses a role ARN (valid, or empty) of another partition
// than the hub's: it could never be assumed from there.
func (s *Service) samePartition(in portal.NewAccount) error {
	if part, _, _ := strings.Cut(strings.TrimPrefix(in.RoleARN, "arn:"), ":"); in.RoleARN != "" && part != s.cfg.Partition.ID {
		return portal.FieldE("role_arn", "err.account.rolearn.partition", part, s.cfg.Partition.ID)
	}
	return nil
}

// CheckAccount checks account id again and records the outcome; the error
// is the reason it cannot be reached (nil: reachable).
func (s *Service) CheckAccount(ctx context.Context, a Actor, id string) (*portal.Account, error) {
	acct, err := s.cfg.Store.FindAccount(ctx, id)
	if err != nil {
		return nil, err
	}
	return acct, s.checkAccount(ctx, a, acct)
}

// checkAccount checks acct and records the outcome in the store and in acct.
func (s *Service) checkAccount(ctx context.Context, a Actor, acct *portal.Account) error {
	var cerr error
	if acct.Hub || acct.ID == s.cfg.Account {
		_, cerr = s.iam(ctx).Identity(ctx)
	} else {
		cerr = s.cfg.Accounts.Check(ctx, acct)
	}
	acct.Status, acct.Reason, acct.CheckedAt = portal.AccountReachable, portal.Text{}, s.cfg.Now()
	if cerr != nil {
		acct.Status, acct.Reason = portal.AccountUnreachable, portal.ErrorTextOf(cerr)
		s.log.WarnContext(ctx, "account unreachable", "account", acct.ID, "err", cerr)
	}
	if err := s.cfg.Store.SetAccountStatus(ctx, acct.ID, acct.Status, acct.Reason, acct.CheckedAt); err != nil {
		return err
	}
	return cerr
}

// RemoveAccount forgets a member account (not the hub, not while it has
// users recorded) and drops its cached session.
func (s *Service) RemoveAccount(ctx context.Context, a Actor, id string) error {
	if err := s.cfg.Store.RemoveAccount(ctx, id); err != nil {
		return err
	}
	if s.cfg.Accounts != nil {
		s.cfg.Accounts.Forget(id)
	}
	s.auditKind(ctx, a, portal.TargetAccount, "account.remove", id, portal.Text{})
	return nil
}

// Discovered is an account of the organization not managed yet.
type Discovered struct {
	ID, Name string
}

// DiscoverAccounts lists the active accounts of the hub's AWS Organization
// that Gatehouse does not manage yet (organizations:ListAccounts; EFORBIDDEN
// where the hub identity may not call it).
func (s *Service) DiscoverAccounts(ctx context.Context) ([]Discovered, error) {
	org, err := s.iam(ctx).OrganizationAccounts(ctx)
	if err != nil {
		return nil, err
	}
	known, err := s.cfg.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{s.cfg.Account: true}
	for _, k := range known {
		have[k.ID] = true
	}
	var out []Discovered
	for _, o := range org {
		if o.Active && !have[o.ID] && portal.ValidAccountID(o.ID) {
			out = append(out, Discovered{ID: o.ID, Name: o.Name})
		}
	}
	return out, nil
}

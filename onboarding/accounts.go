package onboarding

import (
	"context"
	"strings"
	"sync"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
)

// An IAM user lives in one AWS account. The service's IAM calls for a user
// go through that account's client (awsiam.Accounts: the hub's own, or a
// member account's assumed role): each workflow scopes its context to the
// user's account once it knows the user (scope), and every IAM call takes
// the client from the context (iam). A context not scoped is the hub's.

type chosenKey struct{}
type scopeKey struct{}

type accountScope struct {
	id  string
	iam *awsiam.Client
}

// InAccount returns ctx with the AWS account a request chose (a form's or
// the API's "account"): a user named in a workflow is looked up in that
// account, and an account-wide view (adoption candidates) is that account's.
// Without it a name must be unique among all accounts.
func InAccount(ctx context.Context, account string) context.Context {
	if account == "" {
		return ctx
	}
	return context.WithValue(ctx, chosenKey{}, account)
}

// ChosenAccount returns the account InAccount set, "" for none.
func ChosenAccount(ctx context.Context) string { return chosen(ctx) }

// chosen returns the account InAccount set, "" for none.
func chosen(ctx context.Context) string {
	id, _ := ctx.Value(chosenKey{}).(string)
	return id
}

// findUser returns the managed user named userName in the account the
// request chose (any account when the name is unique), with ctx scoped to
// its account.
func (s *Service) findUser(ctx context.Context, userName string) (context.Context, *portal.User, error) {
	u, err := s.cfg.Store.FindUser(ctx, chosen(ctx), userName)
	if err != nil {
		return ctx, nil, err
	}
	ctx, err = s.scope(ctx, u.AccountID)
	return ctx, u, err
}

// scope returns ctx whose IAM calls go to account id ("" or the hub's ID:
// the hub). An account Gatehouse does not manage is an error.
func (s *Service) scope(ctx context.Context, id string) (context.Context, error) {
	if id == "" {
		id = s.cfg.Account
	}
	if sc, ok := ctx.Value(scopeKey{}).(accountScope); ok && sc.id == id {
		return ctx, nil
	}
	if id == s.cfg.Account || s.cfg.Accounts == nil {
		if id != s.cfg.Account {
			return ctx, portal.E(portal.ENOTFOUND, "err.account.nosuch", id)
		}
		return context.WithValue(ctx, scopeKey{}, accountScope{id: id, iam: s.cfg.IAM}), nil
	}
	acct, err := s.cfg.Store.FindAccount(ctx, id)
	if err != nil {
		return ctx, err
	}
	c, err := s.cfg.Accounts.Client(ctx, acct)
	if err != nil {
		return ctx, err
	}
	return context.WithValue(ctx, scopeKey{}, accountScope{id: id, iam: c}), nil
}

// scopeChosen scopes ctx to the account the request chose, or the hub.
func (s *Service) scopeChosen(ctx context.Context) (context.Context, error) {
	return s.scope(ctx, chosen(ctx))
}

// iam returns the IAM client of ctx's account (the hub's when unscoped).
func (s *Service) iam(ctx context.Context) *awsiam.Client {
	if sc, ok := ctx.Value(scopeKey{}).(accountScope); ok {
		return sc.iam
	}
	return s.cfg.IAM
}

// account returns the ID of ctx's account (the hub's when unscoped).
func (s *Service) account(ctx context.Context) string {
	if sc, ok := ctx.Value(scopeKey{}).(accountScope); ok {
		return sc.id
	}
	return s.cfg.Account
}

// perAccount keeps one value per account behind a lock (the policy check
// and the alias caches).
type perAccount[T any] struct {
	mu sync.Mutex
	m  map[string]*T
}

// get returns account id's value, created on first use; the caller locks mu.
func (p *perAccount[T]) get(id string) *T {
	if p.m == nil {
		p.m = map[string]*T{}
	}
	v := p.m[id]
	if v == nil {
		v = new(T)
		p.m[id] = v
	}
	return v
}

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

// markUnreachable records that a workflow found account id unreachable
// (err is the reason), so the accounts page shows it before the next check.
func (s *Service) markUnreachable(ctx context.Context, id string, err error) {
	if id == s.cfg.Account {
		return
	}
	if serr := s.cfg.Store.SetAccountStatus(ctx, id, portal.AccountUnreachable, portal.ErrorTextOf(err), s.cfg.Now()); serr != nil {
		s.log.ErrorContext(ctx, "record account unreachable", "account", id, "err", serr)
	}
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

// Unreachable reports whether err says a member account's role could not
// be assumed.
func Unreachable(err error) bool {
	return portal.ErrorReason(err) == awsiam.ReasonUnreachable
}

package onboarding

import (
	"context"
	"sync"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
)

// An IAM user lives in one AWS account. The service's IAM calls for a user
// go through that account's client (awsiam.Accounts: the hub's own, or a
// member account's assumed role): each workflow scopes its context to the
// user's account once it knows the user (scope), and every IAM call takes
// the client from the context (iam). A context not scoped is the hub's.
// This file is the service's plumbing for that: the account a call works
// in, its client, its ID, its console sign-in URL, and whether it could be
// reached. Every workflow uses it; docs/architecture.md does not count it
// in a request trace.

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

// Region returns the region Gatehouse's AWS configuration chose (the SDK's
// region chain), for the CLI profile a new user is shown; the partition's
// own region when that is unset or of another partition, since a profile
// must name a region of the account's partition to reach it.
func (s *Service) Region(ctx context.Context) string {
	if r := s.iam(ctx).Region(); r != "" && portal.PartitionOfRegion(r).ID == s.cfg.Partition.ID {
		return r
	}
	return s.cfg.Partition.IAMRegion
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

// Unreachable reports whether err says a member account's role could not
// be assumed.
func Unreachable(err error) bool {
	return portal.ErrorReason(err) == awsiam.ReasonUnreachable
}

// How long the account alias is trusted once read, and how long a failed
// lookup waits before IAM is asked again. An alias rarely changes; a sign-in
// URL by account ID works whatever the alias.
const (
	aliasTTL      = 10 * time.Minute
	aliasRetryTTL = time.Minute
)

// aliasCache remembers the account alias between sign-in URLs.
type aliasCache struct {
	alias string
	until time.Time
}

// SigninURL returns the console sign-in URL of ctx's account (the user's): by its alias
// when it has one (ListAccountAliases), as the AWS console shows it,
// otherwise by its ID, in the partition's sign-in domain. The alias is read
// at most every ten minutes; when IAM cannot say, the account ID is used.
func (s *Service) SigninURL(ctx context.Context) string {
	s.alias.mu.Lock()
	defer s.alias.mu.Unlock()
	c := s.alias.get(s.account(ctx))
	if now := s.cfg.Now(); !now.Before(c.until) {
		alias, err := s.iam(ctx).AccountAlias(ctx)
		if err != nil {
			s.log.WarnContext(ctx, "account alias unknown; the sign-in URL uses the account ID", "err", err)
			c.alias, c.until = "", now.Add(aliasRetryTTL)
		} else {
			c.alias, c.until = alias, now.Add(aliasTTL)
		}
	}
	if c.alias != "" {
		return s.cfg.Partition.SigninURL(c.alias)
	}
	return s.cfg.Partition.SigninURL(s.account(ctx))
}

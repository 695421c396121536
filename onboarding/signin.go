package onboarding

import (
	"context"
	"time"
)

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

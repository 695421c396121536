package onboarding

import (
	"context"
	"time"
)

// policyCache remembers the last successful check of the managed policy,
// so that a bulk job asks IAM about it once per PolicyCacheTTL instead of
// twice (GetPolicy, GetPolicyVersion) for every user.
type policyCache struct {
	until   time.Time
	drifted bool
}

// ensurePolicy makes sure the managed policy exists and reports whether it
// drifted from the seed. With Config.PolicyCacheTTL a success is trusted for
// that long; concurrent callers wait for the one check in flight instead of
// each asking IAM. The saga still records ensure_policy per user, so resume
// logic is unchanged. Staleness is bounded by the TTL: a policy deleted or
// edited outside Gatehouse meanwhile shows at the next check (AttachUserPolicy
// fails with NoSuchEntity for a deleted one).
func (s *Service) ensurePolicy(ctx context.Context) (drifted bool, err error) {
	if s.cfg.PolicyCacheTTL <= 0 {
		drifted, err = s.iam(ctx).EnsurePolicy(ctx, s.policyARN(ctx), s.cfg.PolicyName, s.cfg.PolicyDocument)
		return drifted, err
	}
	// One check per account: each account holds its own copy of the policy.
	s.policy.mu.Lock()
	defer s.policy.mu.Unlock()
	c := s.policy.get(s.account(ctx))
	if now := s.cfg.Now(); now.Before(c.until) {
		return c.drifted, nil
	}
	if drifted, err = s.iam(ctx).EnsurePolicy(ctx, s.policyARN(ctx), s.cfg.PolicyName, s.cfg.PolicyDocument); err != nil {
		return false, err
	}
	c.until, c.drifted = s.cfg.Now().Add(s.cfg.PolicyCacheTTL), drifted
	return drifted, nil
}

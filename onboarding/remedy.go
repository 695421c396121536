package onboarding

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/posture"
)

// Disabled says what DisableUnused did to one user's credentials.
type Disabled struct {
	UserName string
	Password bool     // the console password was removed
	Keys     []string // the access keys deactivated
}

// DisableUnused disables a user's credentials that have gone unused for
// posture.UnusedAfter (CIS 1.12): the console password is removed
// (DeleteLoginProfile) and each such active access key is deactivated —
// never deleted, so a key a program still needs can be turned back on.
// What is unused is checked live (GetUser, GetLoginProfile, ListAccessKeys,
// GetAccessKeyLastUsed), not from the report, which may be hours old. A
// reason is required and the change is audited. The identity Gatehouse
// runs as is refused; a user with nothing unused any more is ECONFLICT.
func (s *Service) DisableUnused(ctx context.Context, a Actor, userName, reason string) (*Disabled, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, portal.FieldE("reason", "err.posture.reason")
	}
	ctx, iu, err := s.otherUser(ctx, a, userName, selfRefusal{"credentials.disable.refused", "audit.disable.refused.self", "err.disable.self"})
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	unused := func(times ...time.Time) bool {
		last := time.Time{}
		for _, t := range times {
			if t.After(last) {
				last = t
			}
		}
		return now.Sub(last) >= posture.UnusedAfter
	}
	out := &Disabled{UserName: iu.Name}
	var parts []portal.Text
	// fail audits what was done before err, so a failure half-way shows.
	fail := func(err error) (*Disabled, error) {
		if len(parts) > 0 {
			s.audit(ctx, a, "credentials.disable", iu.Name, portal.T("audit.disable", parts, reason))
		}
		return nil, err
	}
	created, has, err := s.iam(ctx).LoginProfileCreated(ctx, iu.Name)
	if err != nil {
		return nil, err
	}
	if has && unused(iu.PasswordLastUsed, created) {
		if err := s.iam(ctx).DeleteLoginProfile(ctx, iu.Name); err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
			return nil, err
		}
		out.Password = true
		parts = append(parts, portal.T("audit.disable.password"))
	}
	keys, err := s.iam(ctx).ListAccessKeys(ctx, iu.Name)
	if err != nil {
		return fail(err)
	}
	for _, k := range keys {
		if !k.Active {
			continue
		}
		used, err := s.iam(ctx).AccessKeyLastUsed(ctx, k.ID)
		if err != nil {
			return fail(err)
		}
		if !unused(used, k.Created) {
			continue
		}
		if err := s.iam(ctx).DeactivateAccessKey(ctx, iu.Name, k.ID); err != nil {
			return fail(err)
		}
		out.Keys = append(out.Keys, k.ID)
		parts = append(parts, portal.T("audit.disable.key", k.ID))
	}
	if len(parts) == 0 {
		return nil, portal.E(portal.ECONFLICT, "err.disable.nothing", iu.Name)
	}
	s.audit(ctx, a, "credentials.disable", iu.Name, portal.T("audit.disable", parts, reason))
	return out, nil
}

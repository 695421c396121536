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

// NoticeKey is one active access key an access-key notice is about, and
// what is wrong with it. The ID only: the secret access key is never known
// to Gatehouse, let alone sent.
type NoticeKey struct {
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	// Old: created posture.RotateAfter ago or more (CIS 1.14).
	Old bool `json:"old,omitempty"`
	// Extra: one of more than one active key of the user (CIS 1.13).
	Extra bool `json:"extra,omitempty"`
	// NeverUsed: never used, and the user has a console password (CIS 1.11).
	NeverUsed bool `json:"never_used,omitempty"`
}

// KeysNoticed is what NoticeKeys queued for one user.
type KeysNoticed struct {
	UserName string
	To       string
	Keys     []NoticeKey
}

// NoticeKeys queues an e-mail to a managed user telling them which of their
// active access keys need their attention — older than 90 days, one of two
// active keys, or never used by a console user — and what to do in the
// console. Gatehouse changes nothing: the user owns the keys and knows
// which program uses which. The keys are checked live (ListAccessKeys,
// GetLoginProfile, GetAccessKeyLastUsed), not from the possibly hours-old
// report. A reason is required and kept in the audit entry.
//
// The user is looked up in the account the request chose (InAccount; the
// hub by default), and its keys are checked there.
//
// Refused: without e-mail configured (EUNAVAILABLE), for a user Gatehouse
// does not manage ("adopt first") or whose e-mail it does not know, and
// when no key needs attention any more (ECONFLICT).
func (s *Service) NoticeKeys(ctx context.Context, a Actor, userName, reason string) (*KeysNoticed, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, portal.FieldE("reason", "err.keynotice.reason")
	}
	if s.cfg.Lifecycle.Notifier == nil {
		return nil, portal.E(portal.EUNAVAILABLE, "err.keynotice.nomail")
	}
	ctx, err := s.scopeChosen(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.cfg.Store.FindUser(ctx, s.account(ctx), userName)
	if portal.ErrorCode(err) == portal.ENOTFOUND || (err == nil && u.State == portal.StateOffboarded) {
		return nil, portal.E(portal.ECONFLICT, "err.keynotice.adopt", userName)
	} else if err != nil {
		return nil, err
	}
	if u.Email == "" {
		return nil, portal.E(portal.ECONFLICT, "err.keynotice.noemail", u.UserName)
	}
	keys, err := s.iam(ctx).ListAccessKeys(ctx, u.UserName)
	if err != nil {
		return nil, err
	}
	_, console, err := s.iam(ctx).LoginProfileCreated(ctx, u.UserName)
	if err != nil {
		return nil, err
	}
	active := 0
	for _, k := range keys {
		if k.Active {
			active++
		}
	}
	now := s.cfg.Now()
	out := &KeysNoticed{UserName: u.UserName, To: u.Email}
	var ids []string
	for _, k := range keys {
		if !k.Active {
			continue
		}
		nk := NoticeKey{ID: k.ID, Created: k.Created, Old: now.Sub(k.Created) >= posture.RotateAfter, Extra: active > 1}
		if console {
			used, err := s.iam(ctx).AccessKeyLastUsed(ctx, k.ID)
			if err != nil {
				return nil, err
			}
			nk.NeverUsed = used.IsZero()
		}
		if nk.Old || nk.Extra || nk.NeverUsed {
			out.Keys = append(out.Keys, nk)
			ids = append(ids, k.ID)
		}
	}
	if len(out.Keys) == 0 {
		return nil, portal.E(portal.ECONFLICT, "err.keynotice.nothing", u.UserName)
	}
	detail, err := json.Marshal(out.Keys)
	if err != nil {
		return nil, fmt.Errorf("key notice: %w", err)
	}
	rctx, cancel := lasting(ctx)
	defer cancel()
	if err := s.cfg.Store.QueueNotice(rctx, &store.Notice{UserID: u.ID, Kind: NoticeKeys, Recipient: u.Email, CreatedAt: now,
		Detail: string(detail)}); err != nil {
		return nil, err
	}
	if s.cfg.Lifecycle.Wake != nil {
		s.cfg.Lifecycle.Wake()
	}
	s.auditUser(rctx, a, "credentials.notice", u, portal.T("audit.keynotice", strings.Join(ids, ", "), u.Email, reason))
	return out, nil
}

// NoticeTarget is a user the posture page offers an access-key notice
// for: with the address it would go to, or why it cannot be sent (a
// message key: not managed, no address).
type NoticeTarget struct {
	UserName string
	Email    string
	Why      string // "" when Email is known
}

// KeyNoticeTargets says, for each of names (users of the account the
// request chose; the hub by default), where its access-key notice would go
// or why none can be sent.
func (s *Service) KeyNoticeTargets(ctx context.Context, names []string) ([]NoticeTarget, error) {
	acct, err := s.postureAccount(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]NoticeTarget, 0, len(names))
	for _, n := range names {
		u, err := s.cfg.Store.FindUser(ctx, acct, n)
		switch {
		case portal.ErrorCode(err) == portal.ENOTFOUND || (err == nil && u.State == portal.StateOffboarded):
			out = append(out, NoticeTarget{UserName: n, Why: "posture.user.adopt_first"})
		case err != nil:
			return nil, err
		case u.Email == "":
			out = append(out, NoticeTarget{UserName: u.UserName, Why: "posture.user.no_email"})
		default:
			out = append(out, NoticeTarget{UserName: u.UserName, Email: u.Email})
		}
	}
	return out, nil
}

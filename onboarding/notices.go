package onboarding

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// E-mail notices are durable jobs. A workflow only queues a notice (a row
// and a job of kind store.JobNotice, in one transaction) and moves on: a
// slow or down mail server never holds a page. The job runner then calls
// DeliverNotice, which retries with back-off, and the user page shows
// whether the e-mail was delivered or given up.

// Sealer seals what a queued notice carries until it is sent — the invite
// link, a secret — and opens it again for delivery: auth.Box.
type Sealer interface {
	Seal(plain []byte) []byte
	Open(sealed []byte) ([]byte, error)
}

// NoticePermanent is the portal.Error reason a Notifier gives a refusal
// that retrying cannot change (the mail server answered 5xx: no such
// mailbox, message refused). Any other failure is retried.
const NoticePermanent = "notice-permanent"

// noticeRetries are the waits between delivery attempts: eight attempts
// over about an hour and a half, long enough to ride out a mail server's
// restart or a short outage, short enough that a helpdesk sees "failed"
// the same day.
var noticeRetries = []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute,
	10 * time.Minute, 20 * time.Minute, 45 * time.Minute}

// notifyUser queues a notice of kind to u when e-mail is configured and u
// has an address, and reports whether it did. link (an invite link) is
// sealed for the time it waits. A failure to queue is logged, never
// returned: the change the notice reports has happened.
func (s *Service) notifyUser(ctx context.Context, u *portal.User, kind, link string) bool {
	lc := s.cfg.Lifecycle
	if lc.Notifier == nil || u.Email == "" {
		return false
	}
	n := &store.Notice{UserID: u.ID, Kind: kind, Recipient: u.Email, CreatedAt: s.cfg.Now()}
	if link != "" {
		n.LinkSealed = lc.Box.Seal([]byte(link))
	}
	rctx, cancel := lasting(ctx)
	defer cancel()
	if err := s.cfg.Store.QueueNotice(rctx, n); err != nil {
		s.log.ErrorContext(ctx, "notice not queued", "kind", kind, "user", u.UserName, "err", err)
		return false
	}
	if lc.Wake != nil {
		lc.Wake() // the local job runner delivers it at once
	}
	return true
}

// DeliverNotice makes one delivery attempt of the queued notice id; attempt
// counts the attempts so far, this one included. It returns how long to
// wait before the next attempt when this one failed in a way that may pass
// (with the error), and 0 when there is nothing more to do: delivered,
// given up (recorded, audited), or not queued any more. When ctx ends
// during the attempt it returns ctx's error and records nothing, so the job
// is handed back and tried again.
func (s *Service) DeliverNotice(ctx context.Context, id int64, attempt int) (time.Duration, error) {
	n, err := s.cfg.Store.FindNotice(ctx, id)
	if portal.ErrorCode(err) == portal.ENOTFOUND {
		return 0, nil // the user's record was deleted with its notices
	} else if err != nil {
		return time.Minute, err
	}
	if n.State != store.NoticeQueued || s.cfg.Lifecycle.Notifier == nil {
		return 0, nil
	}
	notice, err := s.notice(ctx, n)
	if err != nil {
		return time.Minute, err
	}
	err = s.cfg.Lifecycle.Notifier.Notify(ctx, notice)
	if err != nil && ctx.Err() != nil {
		return 0, ctx.Err()
	}
	final := err != nil && (portal.ErrorReason(err) == NoticePermanent || attempt > len(noticeRetries))
	rctx, cancel := lasting(ctx)
	defer cancel()
	if rerr := s.cfg.Store.NoticeAttempted(rctx, n.ID, err == nil, final, portal.ErrorTextOf(err), s.cfg.Now()); rerr != nil {
		return time.Minute, rerr
	}
	system := Actor{Name: "system"}
	switch {
	case err == nil:
		s.auditIn(ctx, system, notice.AccountID, "notice.sent", notice.UserName, portal.T("audit.notice.sent", portal.T("notice.kind."+n.Kind), n.Recipient))
		return 0, nil
	case final:
		s.log.WarnContext(ctx, "notice given up", "notice", n.ID, "kind", n.Kind, "user", notice.UserName, "attempts", attempt, "err", err)
		s.auditIn(ctx, system, notice.AccountID, "notice.failed", notice.UserName, portal.T("audit.notice.failed", portal.T("notice.kind."+n.Kind),
			n.Recipient, attempt, portal.ErrorTextOf(err)))
		return 0, nil
	}
	s.log.WarnContext(ctx, "notice not delivered yet", "notice", n.ID, "kind", n.Kind, "attempt", attempt, "err", err)
	return noticeRetries[attempt-1], err
}

// notice builds what the Notifier sends for n: the user's name, language
// and deadline as they are now, and the opened link.
func (s *Service) notice(ctx context.Context, n *store.Notice) (Notice, error) {
	u, err := s.cfg.Store.FindUserByID(ctx, n.UserID)
	if err != nil {
		return Notice{}, err
	}
	lang, err := s.cfg.Store.UserLang(ctx, u.ID)
	if err != nil || lang == "" {
		lang = "en"
	}
	out := Notice{Kind: n.Kind, To: n.Recipient, Lang: lang, UserName: u.UserName, AccountID: u.AccountID, Deadline: u.Deadline}
	if len(n.LinkSealed) > 0 {
		link, err := s.cfg.Lifecycle.Box.Open(n.LinkSealed)
		if err != nil {
			return Notice{}, portal.E(portal.EINTERNAL, "error.internal").Wrap(err)
		}
		out.InviteURL = string(link)
	}
	if n.Kind == NoticeKeys {
		if err := json.Unmarshal([]byte(n.Detail), &out.Keys); err != nil {
			return Notice{}, fmt.Errorf("notice %d: keys: %w", n.ID, err)
		}
		// The sign-in URL of the user's own account.
		actx, err := s.scope(ctx, u.AccountID)
		if err != nil {
			return Notice{}, err
		}
		out.SigninURL = s.SigninURL(actx)
	}
	return out, nil
}

package jobs

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/internal/safecsv"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
)

// Progress is the state of a bulk job for its progress page.
type Progress struct {
	Job                           *store.Job
	Total, Done, Failed, Finished int
	Items                         []store.BulkItem
	// InvitesAvailable says the result CSV still carries invite links.
	InvitesAvailable bool
}

// Percent is the share of rows finished, 0–100.
func (p *Progress) Percent() int {
	if p.Total == 0 {
		return 100
	}
	return p.Finished * 100 / p.Total
}

// Progress returns the state of job id, which must be a bulk job.
func (b *Bulk) Progress(ctx context.Context, id int64) (*Progress, error) {
	j, err := b.cfg.Store.FindJob(ctx, id)
	if err != nil {
		return nil, err
	}
	if j.Kind != KindBulkOnboard {
		return nil, portal.E(portal.ENOTFOUND, "err.bulk.nosuch")
	}
	items, err := b.cfg.Store.FindBulkItems(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &Progress{Job: j, Total: len(items), Items: items}
	for _, it := range items {
		switch it.Status {
		case store.ItemDone:
			p.Done++
		case store.ItemFailed:
			p.Failed++
		}
		if it.InviteSealed != nil {
			p.InvitesAvailable = true
		}
	}
	p.Finished = p.Done + p.Failed
	return p, nil
}

// ResultRow is one row of a finished job's result: its outcome and, for an
// onboarded user whose link was not handed out yet, the invite link.
type ResultRow struct {
	store.BulkItem
	InviteURL string
}

// TakeResult returns the result of a finished job: one row per line with
// its outcome and, for onboarded users, the invite link. The sealed tokens
// are deleted as it returns: the invite links exist in this one answer
// only (the result CSV or the API's answer), and the hand-over is audited.
func (b *Bulk) TakeResult(ctx context.Context, a onboarding.Actor, id int64) ([]ResultRow, error) {
	p, err := b.Progress(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Job.State != store.JobDone && p.Job.State != store.JobFailed {
		return nil, portal.E(portal.ECONFLICT, "err.bulk.running")
	}
	rows := make([]ResultRow, 0, len(p.Items))
	for _, it := range p.Items {
		row := ResultRow{BulkItem: it}
		if it.InviteSealed != nil {
			token, err := b.cfg.Box.Open(it.InviteSealed)
			if err != nil {
				return nil, err
			}
			row.InviteURL = b.cfg.Onboarding.Links().Invite(string(token))
		}
		row.InviteSealed = nil
		rows = append(rows, row)
	}
	if err := b.cfg.Store.ForgetInvites(ctx, id, b.cfg.Now()); err != nil {
		return nil, err
	}
	b.audit.Record(ctx, portal.AuditEvent{Actor: a.Name, Action: "bulk.download", TargetKind: portal.TargetJob,
		Target: strconv.FormatInt(id, 10), Text: portal.T("audit.bulk.download"), RequestID: a.RequestID})
	return rows, nil
}

// WriteResult writes the result CSV of a finished job (TakeResult): the
// invite links are in this one download only.
func (b *Bulk) WriteResult(ctx context.Context, a onboarding.Actor, w io.Writer, id int64) error {
	rows, err := b.TakeResult(ctx, a, id)
	if err != nil {
		return err
	}
	cw := safecsv.NewWriter(w)
	cw.Write("user_name", "display_name", "email", "status", "message", "invite_url", "invite_expires")
	for _, it := range rows {
		until := ""
		if it.InviteURL != "" {
			until = it.InviteUntil.UTC().Format(time.RFC3339)
		} else if it.Status == store.ItemDone {
			until = "link already downloaded or older than 24 h: resend the invite from the user's page"
		}
		cw.Write(it.UserName, it.DisplayName, it.Email, it.Status, i18n.Stored(i18n.EN, it.Text, it.Message), it.InviteURL, until)
	}
	return cw.Flush()
}

// PurgeOldInvites deletes sealed tokens of jobs finished more than
// InviteKeep ago. The runner calls it when idle.
func (b *Bulk) PurgeOldInvites(ctx context.Context) {
	n, err := b.cfg.Store.PurgeInvites(ctx, b.cfg.Now().Add(-InviteKeep))
	if err != nil && ctx.Err() == nil {
		b.cfg.Logger.ErrorContext(ctx, "purge old invite tokens", "err", err)
	} else if n > 0 {
		b.cfg.Logger.InfoContext(ctx, "purged undownloaded invite tokens", "count", n)
	}
}

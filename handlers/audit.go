package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/internal/safecsv"
	"github.com/gatehouse/portal/web"
)

// auditPageSize is how many events one page of the audit log shows.
const auditPageSize = 100

// auditQuery reads the audit log filters from the URL. Dates are whole
// UTC days; "to" includes its day.
func auditQuery(r *http.Request) (portal.AuditFilter, error) {
	v := r.URL.Query()
	q := portal.AuditFilter{Actor: strings.TrimSpace(v.Get("actor")), Action: strings.TrimSpace(v.Get("action")),
		TargetKind: v.Get("kind"), Target: strings.TrimSpace(v.Get("target")), Account: v.Get("account")}
	if err := checkAuditFilter(q); err != nil {
		return q, err
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
		add  time.Duration
	}{{"from", &q.Since, 0}, {"to", &q.Until, 24 * time.Hour}} {
		if s := v.Get(d.name); s != "" {
			t, err := time.Parse(web.DateLayout, s)
			if err != nil {
				return q, portal.FieldE(d.name, "err.date.format")
			}
			*d.dst = t.Add(d.add)
		}
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return q, portal.FieldE("to", "err.date.order")
	}
	q.BeforeID, _ = strconv.ParseInt(v.Get("before"), 10, 64)
	return q, nil
}

// checkAuditFilter refuses a target kind or an account that cannot match.
func checkAuditFilter(q portal.AuditFilter) error {
	if q.TargetKind != "" && !slices.Contains(portal.TargetKinds, q.TargetKind) {
		return portal.FieldE("kind", "err.audit.kind")
	}
	if q.Account != "" && !portal.ValidAccountID(q.Account) {
		return portal.FieldE("account", "err.account.id")
	}
	return nil
}

// eventAccount is the AWS account an audit event is about: its own, the
// hub's for a user event recorded before events named their account, ""
// for an event about no IAM user.
func (s *Server) eventAccount(e *portal.AuditEvent) string {
	if e.AccountID == "" && e.TargetKind == portal.TargetUser {
		return s.Onboarding.Account()
	}
	return e.AccountID
}

// auditLog shows the audit log with filters.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	view := web.AuditView{Page: s.page(r, web.T(r.Context(), "audit.title")), Actor: v.Get("actor"), Action: v.Get("action"),
		Kind: v.Get("kind"), Kinds: portal.TargetKinds, Target: v.Get("target"), From: v.Get("from"), To: v.Get("to")}
	labels := map[string]string{}
	if accts := s.accountOptions(r); len(accts) > 1 {
		view.Accounts, view.Account = accts, v.Get("account")
		for _, a := range accts {
			labels[a.ID] = a.Label
		}
	}
	filters := url.Values{}
	for _, k := range []string{"actor", "action", "kind", "target", "account", "from", "to"} {
		if v.Get(k) != "" {
			filters.Set(k, v.Get(k))
		}
	}
	view.CSVURL = "/audit.csv?" + filters.Encode()
	q, err := auditQuery(r)
	if err != nil {
		view.Errors = formErrors(err)
		s.render(w, r, statusOf(err), web.AuditPage(view))
		return
	}
	q.Limit = auditPageSize + 1
	events, err := s.Store.FindAuditEvents(r.Context(), q)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	if len(events) > auditPageSize {
		events = events[:auditPageSize]
		filters.Set("before", strconv.FormatInt(events[len(events)-1].ID, 10))
		view.NextURL = "/audit?" + filters.Encode()
	}
	for _, e := range events {
		row := web.AuditRow{At: web.Stamp(e.At), Actor: e.Actor, Action: e.Action,
			Kind: e.TargetKind, Target: e.Target, Detail: web.Stored(r.Context(), e.Text, e.Detail), RequestID: e.RequestID}
		if id := s.eventAccount(e); id != "" && len(view.Accounts) > 1 {
			row.Account, row.AccountLabel = id, labels[id]
			if row.AccountLabel == "" {
				row.AccountLabel = id
			}
		}
		view.Rows = append(view.Rows, row)
	}
	s.render(w, r, http.StatusOK, web.AuditPage(view))
}

// auditCSV exports the filtered audit log as CSV (RFC 4180, UTF-8).
func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request) {
	q, err := auditQuery(r)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	events, err := s.Store.FindAuditEvents(r.Context(), q)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="gatehouse-audit.csv"`)
	cw := safecsv.NewWriter(w)
	cw.Write("id", "at", "actor", "action", "target_kind", "target", "detail", "request_id", "account_id")
	for _, e := range events {
		cw.Write(strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), e.Actor, e.Action, e.TargetKind,
			e.Target, i18n.Stored(i18n.EN, e.Text, e.Detail), e.RequestID, s.eventAccount(e))
	}
	if err := cw.Flush(); err != nil {
		s.Logger.WarnContext(r.Context(), "audit CSV not sent whole", "err", err)
	}
}

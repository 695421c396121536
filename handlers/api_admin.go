package handlers

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/web"
)

// The JSON API's bulk import, policy and audit calls; operators and tokens
// are in api_operators.go.

// apiBulkRow is one line of a bulk CSV: its verdict or its outcome.
type apiBulkRow struct {
	Row         int        `json:"row"`
	UserName    string     `json:"user_name"`
	DisplayName string     `json:"display_name,omitempty"`
	Email       string     `json:"email,omitempty"`
	Deadline    *time.Time `json:"deadline,omitempty"`
	Status      string     `json:"status,omitempty"`
	Code        string     `json:"code,omitempty"`
	Message     string     `json:"message,omitempty"`
	InviteURL   string     `json:"invite_url,omitempty"`
	InviteUntil *time.Time `json:"invite_expires_at,omitempty"`
}

// apiBulkCSV reads a bulk upload: the CSV itself as the body (text/csv).
func (s *Server) apiBulkCSV(r *http.Request) (string, error) {
	if s.Bulk == nil {
		return "", portal.E(portal.EUNAVAILABLE, "bulk.error.unavailable")
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "text/csv" {
		return "", portal.E(portal.EINVALID, "err.api.csv")
	}
	data, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return "", &portal.Error{Code: portal.ETOOLARGE, Field: "file", Key: "err.bulk.file.choose"}
	case err != nil:
		return "", portal.FieldE("file", "err.bulk.file.unreadable")
	}
	return string(data), nil
}

func (s *Server) rejectedRows(r *http.Request, bad []jobs.RowProblem) []apiBulkRow {
	out := []apiBulkRow{}
	for _, p := range bad {
		out = append(out, apiBulkRow{Row: p.Row, UserName: p.UserName, Code: portal.ErrorCode(p.Err), Message: web.ErrorText(r.Context(), p.Err)})
	}
	return out
}

// apiBulkCheck checks a CSV and gives every row's verdict; nothing is
// created (POST /api/v1/bulk/check).
func (s *Server) apiBulkCheck(w http.ResponseWriter, r *http.Request) {
	data, err := s.apiBulkCSV(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	good, bad, err := s.Bulk.Check(r.Context(), data)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := struct {
		Accepted []apiBulkRow `json:"accepted"`
		Rejected []apiBulkRow `json:"rejected"`
	}{Accepted: []apiBulkRow{}, Rejected: s.rejectedRows(r, bad)}
	for _, it := range good {
		out.Accepted = append(out.Accepted, apiBulkRow{Row: it.Row, UserName: it.UserName, DisplayName: it.DisplayName, Email: it.Email, Deadline: optTime(it.Deadline)})
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

// apiBulkStart enqueues a bulk onboarding of a CSV's good rows and answers
// with the job's ID and the rows it skipped (POST /api/v1/bulk). A file
// without one good row is refused and nothing is enqueued.
func (s *Server) apiBulkStart(w http.ResponseWriter, r *http.Request) {
	data, err := s.apiBulkCSV(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	j, bad, err := s.Bulk.Start(r.Context(), actor(r), data)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if s.WakeJobs != nil {
		s.WakeJobs()
	}
	w.Header().Set("Location", "/api/v1/bulk/"+strconv.FormatInt(j.ID, 10))
	s.apiJSON(w, r, http.StatusAccepted, struct {
		JobID    int64        `json:"job_id"`
		Rejected []apiBulkRow `json:"rejected"`
	}{j.ID, s.rejectedRows(r, bad)})
}

// apiBulkJobID reads the {id} of a bulk job route.
func (s *Server) apiBulkJobID(r *http.Request) (int64, error) {
	if s.Bulk == nil {
		return 0, portal.E(portal.EUNAVAILABLE, "bulk.error.unavailable")
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return 0, portal.E(portal.ENOTFOUND, "err.bulk.nosuch")
	}
	return id, nil
}

// apiBulkJob gives a bulk job's state and a page of its rows' outcomes, by
// row number (GET /api/v1/bulk/{id}). Invite links are never here: POST
// /api/v1/bulk/{id}/invites hands them over once.
func (s *Server) apiBulkJob(w http.ResponseWriter, r *http.Request) {
	id, err := s.apiBulkJobID(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var p *jobs.Progress
	rows, next, err := listPage(r, byID, func(it store.BulkItem) int64 { return int64(it.Row) }, func(ctx context.Context) ([]store.BulkItem, error) {
		var err error
		p, err = s.Bulk.Progress(ctx, id)
		if err != nil {
			return nil, err
		}
		return p.Items, nil
	}, func(it store.BulkItem) apiBulkRow {
		return apiBulkRow{Row: it.Row, UserName: it.UserName, DisplayName: it.DisplayName, Email: it.Email, Status: it.Status,
			Message: web.Stored(r.Context(), it.Text, it.Message)}
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := struct {
		JobID            int64        `json:"job_id"`
		State            string       `json:"state"`
		CreatedBy        string       `json:"created_by"`
		CreatedAt        time.Time    `json:"created_at"`
		Total            int          `json:"total"`
		Done             int          `json:"done"`
		Failed           int          `json:"failed"`
		InvitesAvailable bool         `json:"invites_available"`
		Rows             []apiBulkRow `json:"rows"`
		Next             string       `json:"next,omitempty"`
	}{JobID: p.Job.ID, State: p.Job.State, CreatedBy: p.Job.CreatedBy, CreatedAt: p.Job.CreatedAt.UTC(), Total: p.Total, Done: p.Done,
		Failed: p.Failed, InvitesAvailable: p.InvitesAvailable, Rows: rows, Next: next}
	s.apiJSON(w, r, http.StatusOK, out)
}

// apiBulkInvites hands over a finished job's invite links, once: they are
// deleted from the server by this call (POST /api/v1/bulk/{id}/invites).
// A replay of the same Idempotency-Key gets the rows without the links.
func (s *Server) apiBulkInvites(w http.ResponseWriter, r *http.Request) {
	id, err := s.apiBulkJobID(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rows, err := s.Bulk.TakeResult(r.Context(), actor(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := struct {
		Rows []apiBulkRow `json:"rows"`
	}{Rows: []apiBulkRow{}}
	for _, it := range rows {
		row := apiBulkRow{Row: it.Row, UserName: it.UserName, DisplayName: it.DisplayName, Email: it.Email, Status: it.Status,
			Message: web.Stored(r.Context(), it.Text, it.Message), InviteURL: it.InviteURL}
		if it.InviteURL != "" {
			row.InviteUntil = optTime(it.InviteUntil)
		}
		out.Rows = append(out.Rows, row)
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

// apiPolicy is the managed policy compared with the seed.
type apiPolicy struct {
	AccountID      string       `json:"account_id"`
	Name           string       `json:"name"`
	ARN            string       `json:"arn,omitempty"`
	State          string       `json:"state"`
	DefaultVersion string       `json:"default_version,omitempty"`
	Versions       int          `json:"versions"`
	ParseError     string       `json:"parse_error,omitempty"`
	Drift          []string     `json:"drift"`
	Findings       []apiFinding `json:"findings"`
}

type apiFinding struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
}

// apiPolicyStatus gives the managed policy's state, its drift from the
// seed (what publishing would change) and its lint findings
// (GET /api/v1/policy).
func (s *Server) apiPolicyStatus(w http.ResponseWriter, r *http.Request) {
	st, err := s.Onboarding.PolicyStatus(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := apiPolicy{AccountID: st.Account, Name: st.Name, State: st.State, DefaultVersion: st.DefaultVersion, Versions: len(st.Versions), ParseError: st.ParseError,
		Drift: []string{}, Findings: []apiFinding{}}
	if st.State != "missing" {
		out.ARN = st.ARN
	}
	for _, d := range st.Diff {
		out.Drift = append(out.Drift, d.String())
	}
	for _, f := range st.Findings {
		out.Findings = append(out.Findings, apiFinding{ID: f.ID, Severity: f.Severity})
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

// apiPolicyDrift gives only the drift: the state and what publishing the
// seed would change (GET /api/v1/policy/drift).
func (s *Server) apiPolicyDrift(w http.ResponseWriter, r *http.Request) {
	st, err := s.Onboarding.PolicyStatus(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := struct {
		AccountID      string   `json:"account_id"`
		State          string   `json:"state"`
		DefaultVersion string   `json:"default_version,omitempty"`
		Drift          []string `json:"drift"`
	}{AccountID: st.Account, State: st.State, DefaultVersion: st.DefaultVersion, Drift: []string{}}
	for _, d := range st.Diff {
		out.Drift = append(out.Drift, d.String())
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

// apiPublishPolicy makes the seed the managed policy's default version
// (POST /api/v1/policy/publish).
func (s *Server) apiPublishPolicy(w http.ResponseWriter, r *http.Request) {
	res, err := s.Onboarding.PublishSeed(r.Context(), actor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, struct {
		AccountID string `json:"account_id"`
		Created   bool   `json:"created"`
		Unchanged bool   `json:"unchanged"`
		Version   string `json:"version,omitempty"`
		Deleted   string `json:"deleted_version,omitempty"`
	}{res.Account, res.Created, res.Unchanged, res.Version, res.Deleted})
}

// apiAuditEvents searches the audit log, newest first; after is the ID of
// the last event of the page before (GET /api/v1/audit/events).
func (s *Server) apiAuditEvents(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := portal.AuditFilter{Actor: strings.TrimSpace(v.Get("actor")), Action: strings.TrimSpace(v.Get("action")),
		TargetKind: v.Get("kind"), Target: strings.TrimSpace(v.Get("target")), Account: v.Get("account")}
	err := func() error {
		if err := checkAuditFilter(q); err != nil {
			return err
		}
		for _, d := range []struct {
			name string
			dst  *time.Time
		}{{"since", &q.Since}, {"until", &q.Until}} {
			if s := v.Get(d.name); s != "" {
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					return portal.FieldE(d.name, "err.api.time", d.name)
				}
				*d.dst = t
			}
		}
		if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
			return portal.FieldE("until", "err.date.order")
		}
		var err error
		if q.BeforeID, err = apiAfterID(r); err != nil {
			return err
		}
		q.Limit, err = apiLimit(r)
		return err
	}()
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	limit := q.Limit
	q.Limit++
	events, err := s.Store.FindAuditEvents(r.Context(), q)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	type apiEvent struct {
		ID         int64     `json:"id"`
		At         time.Time `json:"at"`
		Actor      string    `json:"actor"`
		Action     string    `json:"action"`
		TargetKind string    `json:"target_kind"`
		Target     string    `json:"target"`
		AccountID  string    `json:"account_id,omitempty"`
		Detail     string    `json:"detail"`
		RequestID  string    `json:"request_id,omitempty"`
	}
	out := struct {
		Events []apiEvent `json:"events"`
		Next   string     `json:"next,omitempty"`
	}{Events: []apiEvent{}}
	if len(events) > limit {
		events = events[:limit]
		out.Next = strconv.FormatInt(events[len(events)-1].ID, 10)
	}
	for _, e := range events {
		out.Events = append(out.Events, apiEvent{ID: e.ID, At: e.At.UTC(), Actor: e.Actor, Action: e.Action, TargetKind: e.TargetKind,
			Target: e.Target, AccountID: s.eventAccount(e), Detail: web.Stored(r.Context(), e.Text, e.Detail), RequestID: e.RequestID})
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

// apiPolicyMatrix simulates what a managed user may do before and after
// MFA, as the policy page's matrix (GET /api/v1/policy/matrix?user=).
func (s *Server) apiPolicyMatrix(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.URL.Query().Get("user"))
	if name == "" {
		s.apiError(w, r, portal.FieldE("user", "err.api.required", "user"))
		return
	}
	rows, err := s.Onboarding.Matrix(r.Context(), name)
	if err != nil {
		if portal.ErrorCode(err) == portal.ENOTFOUND {
			err = &portal.Error{Code: portal.ENOTFOUND, Field: "user", Key: "err.policy.matrix.user", Args: []any{name}}
		}
		s.apiError(w, r, err)
		return
	}
	type cell struct {
		Context    string   `json:"context"`
		Decision   string   `json:"decision"`
		Simulated  string   `json:"simulated"`
		Statements []string `json:"statements"`
	}
	type row struct {
		Action   string `json:"action"`
		Resource string `json:"resource"`
		Override string `json:"override,omitempty"`
		Cells    []cell `json:"cells"`
	}
	// The user's account: the one asked for, or the one account that
	// holds the name (Matrix found the user just now).
	acct := onboarding.ChosenAccount(r.Context())
	if u, err := s.findUser(r, name); err == nil {
		acct = u.AccountID
	}
	out := struct {
		AccountID string `json:"account_id"`
		UserName  string `json:"user_name"`
		Rows      []row  `json:"rows"`
	}{AccountID: s.accountOrHub(acct), UserName: name, Rows: []row{}}
	for _, mr := range rows {
		rw := row{Action: mr.Action, Resource: mr.Resource, Override: mr.Override, Cells: []cell{}}
		for _, c := range mr.Cells {
			st := c.Statements
			if st == nil {
				st = []string{}
			}
			rw.Cells = append(rw.Cells, cell{Context: c.Context, Decision: c.Decision, Simulated: c.Simulated, Statements: st})
		}
		out.Rows = append(out.Rows, rw)
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

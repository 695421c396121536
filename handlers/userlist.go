package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/internal/safecsv"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/web"
)

const usersPageSize = 50

// userQuery reads the list's GET form: q, status, account, sort, group
// ("email": one person's users together) and the cursor. An account that
// is not 12 digits selects nothing.
func (s *Server) userQuery(r *http.Request) portal.UserFilter {
	qs := r.URL.Query()
	q := portal.UserFilter{Query: qs.Get("q"), Status: portal.Status(qs.Get("status")), Account: qs.Get("account"),
		Sort: portal.UserSort(qs.Get("sort")), After: qs.Get("after"), Now: s.Now(), GroupByEmail: qs.Get("group") == "email"}
	if q.Sort == "" || !q.Sort.Valid() {
		q.Sort = portal.SortName
	}
	return q
}

// listUsers shows one page of managed users with their status.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	q := s.userQuery(r)
	q.Limit = usersPageSize
	page, err := s.Store.FindUsers(r.Context(), q)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	filter := url.Values{}
	for k, v := range map[string]string{"q": q.Query, "status": string(q.Status), "account": q.Account, "sort": string(q.Sort)} {
		if v != "" {
			filter.Set(k, v)
		}
	}
	if q.GroupByEmail {
		filter.Set("group", "email")
	}
	v := web.UsersView{Page: s.page(r, web.T(r.Context(), "users.title")), Query: q.Query, Status: string(q.Status), Sort: string(q.Sort),
		CanOnboard: s.may(operatorFrom(r.Context()), "GET", "/users/new"), ExportURL: "/users.csv?" + filter.Encode(),
		Accounts: s.accountOptions(r), Account: q.Account, Grouped: q.GroupByEmail}
	labels := map[string]string{}
	for _, a := range v.Accounts {
		labels[a.ID] = a.Label
	}
	if len(v.Accounts) > 1 {
		if v.Counts, err = s.accountCounts(r, v.Accounts); err != nil {
			s.fail(w, r, err, "")
			return
		}
	}
	if page.Next != "" {
		next := url.Values{}
		for k, vs := range filter {
			next[k] = vs
		}
		next.Set("after", page.Next)
		v.NextURL = "/users?" + next.Encode()
	}
	if q.After != "" {
		v.FirstURL = "/users?" + filter.Encode()
	}
	multi := len(v.Accounts) > 1
	for _, u := range page.Users {
		row := web.UserRow{Account: s.userLink(multi, u), UserName: u.UserName, DisplayName: u.DisplayName, Email: u.Email, Status: u.StatusAt(q.Now), Deadline: web.Date(u.Deadline)}
		if !u.EnrolledAt.IsZero() {
			row.EnrolledAt = web.Date(u.EnrolledAt)
		}
		if multi {
			row.AccountLabel = labels[s.accountOrHub(u.AccountID)]
		}
		v.Rows = append(v.Rows, row)
	}
	if q.GroupByEmail {
		v.Groups = groupByEmail(v.Rows, q.After)
	}
	s.render(w, r, http.StatusOK, web.UsersPage(v))
}

// groupByEmail gathers rows (in e-mail order) into one group per address.
// The first group goes on from the previous page when the cursor after
// ended in its address.
func groupByEmail(rows []web.UserRow, after string) []web.UserGroup {
	var out []web.UserGroup
	for _, r := range rows {
		if n := len(out); n > 0 && strings.EqualFold(out[n-1].Email, r.Email) {
			out[n-1].Rows = append(out[n-1].Rows, r)
			continue
		}
		out = append(out, web.UserGroup{Email: r.Email, Rows: []web.UserRow{r}})
	}
	if prev := store.GroupCursorEmail(after); prev != "" && len(out) > 0 && strings.EqualFold(prev, out[0].Email) {
		out[0].Continued = true
	}
	return out
}

// exportUsers writes every user of the current filter as CSV.
func (s *Server) exportUsers(w http.ResponseWriter, r *http.Request) {
	q := s.userQuery(r)
	q.After = ""
	page, err := s.Store.FindUsers(r.Context(), q)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="gatehouse-users.csv"`)
	cw := safecsv.NewWriter(w)
	cw.Write("user_name", "display_name", "email", "status", "deadline", "enrolled_at", "mfa_serial", "created_by", "account_id")
	for _, u := range page.Users {
		cw.Write(u.UserName, u.DisplayName, u.Email, string(u.StatusAt(q.Now)),
			web.Time(u.Deadline), web.Time(u.EnrolledAt), u.MFASerial, u.CreatedBy, s.accountOrHub(u.AccountID))
	}
	if err := cw.Flush(); err != nil {
		s.Logger.WarnContext(r.Context(), "users CSV not sent whole", "err", err)
	}
}

// accountCounts are the users per account, in the order of opts (the hub
// first), for the list and the dashboard.
func (s *Server) accountCounts(r *http.Request, opts []web.AccountOption) ([]web.AccountCount, error) {
	counts, err := s.Store.CountByAccount(r.Context(), s.Now())
	if err != nil {
		return nil, err
	}
	out := make([]web.AccountCount, 0, len(opts))
	at := map[string]int{}
	for _, o := range opts {
		at[o.ID] = len(out)
		out = append(out, web.AccountCount{Account: o.ID, Label: o.Label})
	}
	for _, c := range counts {
		id := s.accountOrHub(c.Account)
		i, ok := at[id]
		if !ok {
			at[id], i = len(out), len(out)
			out = append(out, web.AccountCount{Account: id, Label: id})
		}
		out[i].Total += c.Total
		out[i].Enrolled += c.ByStatus[portal.StatusEnrolled]
		out[i].Overdue += c.ByStatus[portal.StatusOverdue]
	}
	return out, nil
}

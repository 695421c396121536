package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/web"
)

// showPolicy shows the managed policy of one account (?account=, the hub
// by default) against the seed, its lint findings and, with ?user=NAME,
// that user's before/after-MFA matrix. An account whose role cannot be
// assumed is shown as unreachable with the reason.
func (s *Server) showPolicy(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := s.policyPage(r)
	v.Flash = publishFlash(r)
	st, err := s.Onboarding.PolicyStatus(ctx)
	switch {
	case onboarding.Unreachable(err):
		v.Unreachable = web.ErrorText(ctx, err)
		s.render(w, r, http.StatusOK, web.PolicyPage(v))
		return
	case err != nil:
		s.fail(w, r, err, "")
		return
	}
	fillPolicy(&v, st)
	status := http.StatusOK
	if v.MatrixUser = strings.TrimSpace(r.URL.Query().Get("user")); v.MatrixUser != "" {
		rows, err := s.Onboarding.Matrix(ctx, v.MatrixUser)
		if err != nil {
			if portal.ErrorCode(err) == portal.ENOTFOUND {
				err = &portal.Error{Code: portal.ENOTFOUND, Field: "user", Key: "err.policy.matrix.user", Args: []any{v.MatrixUser}}
			}
			status, v.MatrixErrors = statusOf(err), formErrors(err)
		}
		v.Matrix = matrixView(rows)
	}
	s.render(w, r, status, web.PolicyPage(v))
}

// policyPage is the policy page's frame: the account shown and the
// choice of the others.
func (s *Server) policyPage(r *http.Request) web.PolicyView {
	ctx := r.Context()
	v := web.PolicyView{Page: s.page(r, web.T(ctx, "policy.title")), Account: s.accountOrHub(onboarding.ChosenAccount(ctx)),
		CanPublish: s.may(operatorFrom(ctx), "POST", "/policy/publish")}
	if s.Onboarding.MultiAccount(ctx) {
		v.Accounts = s.accountOptions(r)
	}
	return v
}

// publishPolicy makes the seed the managed policy's default version (or
// creates the policy) in the account the form names, and goes back to
// that account's policy page.
func (s *Server) publishPolicy(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	res, err := s.Onboarding.PublishSeed(ctx, onboarding.Actor{Name: operatorFrom(ctx).Username, RequestID: requestID(r)})
	if err != nil {
		v := s.policyPage(r)
		st, serr := s.Onboarding.PolicyStatus(ctx)
		switch {
		case onboarding.Unreachable(serr):
			v.Unreachable = web.ErrorText(ctx, serr)
		case serr != nil:
			s.fail(w, r, err, "")
			return
		default:
			fillPolicy(&v, st)
		}
		v.Errors = formErrors(err)
		s.render(w, r, statusOf(err), web.PolicyPage(v))
		return
	}
	q := url.Values{}
	if acct := onboarding.ChosenAccount(ctx); acct != "" {
		q.Set("account", acct)
	}
	switch {
	case res.Unchanged:
		q.Set("published", "unchanged")
	case res.Created:
		q.Set("published", "created")
	default:
		q.Set("published", res.Version)
		if res.Deleted != "" {
			q.Set("deleted", res.Deleted)
		}
	}
	http.Redirect(w, r, "/policy?"+q.Encode(), http.StatusSeeOther)
}

// publishFlash is the confirmation after a redirect from publishPolicy.
// Only version IDs are echoed, so the query cannot inject text.
func publishFlash(r *http.Request) string {
	q, ctx := r.URL.Query(), r.Context()
	pub, del := q.Get("published"), q.Get("deleted")
	switch {
	case pub == "":
		return ""
	case pub == "unchanged":
		return web.T(ctx, "policy.unchanged")
	case pub == "created":
		return web.T(ctx, "policy.created")
	case !versionID(pub):
		return ""
	case versionID(del):
		return web.T(ctx, "policy.published.deleted", pub, del)
	}
	return web.T(ctx, "policy.published", pub)
}

func versionID(s string) bool {
	if len(s) < 2 || len(s) > 12 || s[0] != 'v' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// fillPolicy puts the policy's status into the page.
func fillPolicy(v *web.PolicyView, st *onboarding.PolicyStatus) {
	v.Name, v.State, v.DefaultVersion, v.VersionCount = st.Name, st.State, st.DefaultVersion, len(st.Versions)
	v.ParseError, v.Findings, v.OptionFindings = st.ParseError, findingRows(st.Findings), findingRows(st.OptionFindings)
	if st.State != onboarding.PolicyMissing {
		v.ARN = st.ARN
	}
	for _, d := range st.Diff {
		v.Diff = append(v.Diff, d.String())
	}
}

func findingRows(fs []policy.Finding) []web.FindingRow {
	var out []web.FindingRow
	for _, f := range fs {
		out = append(out, web.FindingRow{ID: f.ID, Severity: f.Severity, Params: f.Params})
	}
	return out
}

func matrixView(rows []onboarding.MatrixRow) []web.MatrixRowView {
	var out []web.MatrixRowView
	for _, r := range rows {
		row := web.MatrixRowView{Action: r.Action, Resource: r.Resource, Override: r.Override}
		for _, c := range r.Cells {
			row.Cells = append(row.Cells, web.MatrixCellView{Context: c.Context, Decision: c.Decision, Simulated: c.Simulated, Statements: c.Statements})
		}
		out = append(out, row)
	}
	return out
}

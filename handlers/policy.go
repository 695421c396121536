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

// showPolicy shows the managed policy against the seed, its lint findings
// and, with ?user=NAME, that user's before/after-MFA matrix.
func (s *Server) showPolicy(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := s.Onboarding.PolicyStatus(ctx)
	if err != nil {
		s.fail(w, r, err, "")
		return
	}
	v := policyView(st)
	v.Page = s.page(r, web.T(ctx, "policy.title"))
	v.CanPublish = s.may(operatorFrom(ctx), "POST", "/policy/publish")
	v.Flash = publishFlash(r)
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

// publishPolicy makes the seed the managed policy's default version (or
// creates the policy) and goes back to the policy page.
func (s *Server) publishPolicy(w http.ResponseWriter, r *http.Request) {
	op := operatorFrom(r.Context())
	res, err := s.Onboarding.PublishSeed(r.Context(), onboarding.Actor{Name: op.Username, RequestID: requestID(r)})
	if err != nil {
		st, serr := s.Onboarding.PolicyStatus(r.Context())
		if serr != nil {
			s.fail(w, r, err, "")
			return
		}
		v := policyView(st)
		v.Page, v.CanPublish, v.Errors = s.page(r, web.T(r.Context(), "policy.title")), true, formErrors(err)
		s.render(w, r, statusOf(err), web.PolicyPage(v))
		return
	}
	q := url.Values{}
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

func policyView(st *onboarding.PolicyStatus) web.PolicyView {
	v := web.PolicyView{Name: st.Name, State: st.State, DefaultVersion: st.DefaultVersion, VersionCount: len(st.Versions),
		ParseError: st.ParseError, Findings: findingRows(st.Findings), OptionFindings: findingRows(st.OptionFindings)}
	if st.State != onboarding.PolicyMissing {
		v.ARN = st.ARN
	}
	for _, d := range st.Diff {
		v.Diff = append(v.Diff, d.String())
	}
	return v
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

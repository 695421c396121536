package handlers

import (
	"mime"
	"net/http"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
)

// userAccount reads the AWS account a request about a user names (the
// query's or a form's "account"; the same IAM user name can exist in two
// accounts) and hands it to the workflows (onboarding.InAccount). Without
// it a name must be unique among the accounts.
func (s *Server) userAccount(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		acct := r.URL.Query().Get("account")
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); acct == "" && r.Method == http.MethodPost && ct == "application/x-www-form-urlencoded" {
			acct = r.PostFormValue("account")
		}
		if acct != "" && !portal.ValidAccountID(acct) {
			err := portal.FieldE("account", "err.account.id")
			if isAPI(r) {
				s.apiError(w, r, err)
				return
			}
			s.fail(w, r, err, "")
			return
		}
		h(w, r.WithContext(onboarding.InAccount(r.Context(), acct)))
	}
}

// accountScoped reports whether the route at pattern shows or changes one
// AWS account at a time (?account= or a form's "account", the hub by
// default), so userAccount hands the account to the workflows: the policy,
// posture and dangling-device pages, their remedies and their API.
func accountScoped(pattern string) bool {
	for _, p := range []string{"/policy", "/posture", "/devices"} {
		if strings.HasPrefix(pattern, p) || strings.HasPrefix(pattern, "/api/v1"+p) {
			return true
		}
	}
	return strings.Contains(pattern, "/users/{name}")
}

// findUser returns the managed user name in the account the request chose
// (any account when the name is unique).
func (s *Server) findUser(r *http.Request, name string) (*portal.User, error) {
	return s.Store.FindUser(r.Context(), onboarding.ChosenAccount(r.Context()), name)
}

// accountOrHub returns id, or the hub account's ID for "".
func (s *Server) accountOrHub(id string) string {
	if id == "" {
		return s.Onboarding.Account()
	}
	return id
}

// memberAccount returns u's account when it is a member account, "" for
// the hub's users (their links need no account).
func (s *Server) memberAccount(u *portal.User) string {
	if id := s.accountOrHub(u.AccountID); id != s.Onboarding.Account() {
		return id
	}
	return ""
}

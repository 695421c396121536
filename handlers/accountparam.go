package handlers

import (
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/web"
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
// the hub's users.
func (s *Server) memberAccount(u *portal.User) string {
	if id := s.accountOrHub(u.AccountID); id != s.Onboarding.Account() {
		return id
	}
	return ""
}

// userLink returns the account a link to u carries: u's account
// whenever member accounts are managed (multi), since the hub's "alice"
// and a member's "alice" are two users and a link without the account
// would be refused as ambiguous; with the hub alone, none.
func (s *Server) userLink(multi bool, u *portal.User) string {
	if multi {
		return s.accountOrHub(u.AccountID)
	}
	return s.memberAccount(u)
}

// userURL is the path of user name (of account, "" for none) with the
// query q added: where an action on the user sends the operator back.
func userURL(account, name string, q url.Values) string {
	if account != "" {
		q.Set("account", account)
	}
	p := string(web.UserPath(name))
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// accountLabel names account id for a page ("" for ""; the ID alone when
// it is not managed).
func (s *Server) accountLabel(r *http.Request, id string) string {
	if id == "" {
		return ""
	}
	if a, err := s.Store.FindAccount(r.Context(), id); err == nil {
		return a.Label()
	}
	return id
}

// accountOptions are the managed accounts as choices, the hub first.
func (s *Server) accountOptions(r *http.Request) []web.AccountOption {
	accts, err := s.Onboarding.Accounts(r.Context())
	if err != nil {
		s.Logger.ErrorContext(r.Context(), "list accounts", "err", err)
		return nil
	}
	out := make([]web.AccountOption, 0, len(accts))
	for _, a := range accts {
		out = append(out, web.AccountOption{ID: a.ID, Label: a.Label(), Unreachable: a.Status == portal.AccountUnreachable})
	}
	return out
}

package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
)

// apiUser is a managed IAM user as the JSON API shows it.
type apiUser struct {
	AccountID   string     `json:"account_id"`
	UserName    string     `json:"user_name"`
	DisplayName string     `json:"display_name"`
	Email       string     `json:"email"`
	Status      string     `json:"status"`
	Deadline    *time.Time `json:"deadline,omitempty"`
	MFASerial   string     `json:"mfa_serial,omitempty"`
	EnrolledAt  *time.Time `json:"enrolled_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

// apiTime reads an optional RFC 3339 time of a request (zero when empty).
func apiTime(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, portal.FieldE(field, "err.api.time", field)
	}
	return t, nil
}

func (s *Server) toAPIUser(u *portal.User) apiUser {
	return apiUser{AccountID: s.accountOrHub(u.AccountID), UserName: u.UserName, DisplayName: u.DisplayName, Email: u.Email, Status: string(u.StatusAt(s.Now())),
		Deadline: optTime(u.Deadline), MFASerial: u.MFASerial, EnrolledAt: optTime(u.EnrolledAt), CreatedAt: u.CreatedAt.UTC()}
}

// apiInvite is the answer to creating a user or resending an invite: the
// invite URL appears here once and is stored nowhere.
type apiInvite struct {
	User            apiUser   `json:"user"`
	InviteURL       string    `json:"invite_url"`
	InviteExpiresAt time.Time `json:"invite_expires_at"`
}

// apiCreateUser onboards an IAM user (POST /api/v1/users).
func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Account     string `json:"account"`
		UserName    string `json:"user_name"`
		DisplayName string `json:"display_name"`
		Email       string `json:"email"`
		Deadline    string `json:"deadline"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	deadline, err := apiTime("deadline", in.Deadline)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	h, err := s.Onboarding.Onboard(r.Context(), actor(r), portal.NewUser{Account: strings.TrimSpace(in.Account), UserName: strings.TrimSpace(in.UserName),
		DisplayName: strings.TrimSpace(in.DisplayName), Email: strings.TrimSpace(in.Email), Deadline: deadline})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusCreated, apiInvite{User: s.toAPIUser(h.User), InviteURL: h.InviteURL, InviteExpiresAt: h.InviteUntil.UTC()})
}

// apiGetUser returns one user (GET /api/v1/users/{name}).
func (s *Server) apiGetUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.findUser(r, chi.URLParam(r, "name"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, map[string]apiUser{"user": s.toAPIUser(u)})
}

// apiListUsers lists users by name, filtered by status, a page at a time
// (GET /api/v1/users?status=&account=&group=&limit=&after=). "next" is the
// cursor of the following page; it is absent on the last one. group=email
// lists the users with an address by it, one person's users in several
// accounts together, as the user list does (a page never cuts a group that
// does not fill it).
func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			s.apiError(w, r, portal.FieldE("limit", "err.api.limit"))
			return
		}
		limit = n
	}
	status := portal.Status(q.Get("status"))
	if status != "" && !status.Valid() {
		s.apiError(w, r, portal.FieldE("status", "err.api.status", status))
		return
	}
	account := q.Get("account")
	if account != "" && !portal.ValidAccountID(account) {
		s.apiError(w, r, portal.FieldE("account", "err.account.id"))
		return
	}
	grouped := q.Get("group") == "email"
	if g := q.Get("group"); g != "" && !grouped {
		s.apiError(w, r, portal.FieldE("group", "err.api.group", g))
		return
	}
	// Keyset pages from the store: the cursor is the last user's name key
	// and account (after the address when grouped, as the engine folds
	// it), so page 100 costs what page 1 costs.
	after := q.Get("after")
	if !grouped {
		after = portal.UserNameKey(after)
	}
	page, err := s.Store.FindUsers(r.Context(), portal.UserFilter{Status: status, Account: account, GroupByEmail: grouped,
		After: after, Limit: limit, Now: s.Now()})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := struct {
		Users []apiUser `json:"users"`
		Next  string    `json:"next,omitempty"`
	}{Users: []apiUser{}, Next: page.Next}
	for _, u := range page.Users {
		out.Users = append(out.Users, s.toAPIUser(u))
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

// apiResendInvite issues a fresh invite (POST /api/v1/users/{name}/invite).
func (s *Server) apiResendInvite(w http.ResponseWriter, r *http.Request) {
	inv, err := s.Onboarding.ResendInvite(r.Context(), actor(r), chi.URLParam(r, "name"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusCreated, apiInvite{User: s.toAPIUser(inv.User), InviteURL: inv.URL, InviteExpiresAt: inv.Until.UTC()})
}

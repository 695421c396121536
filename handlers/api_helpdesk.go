package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
)

// The JSON API's helpdesk and admin actions on one user. Each takes the
// same reasons the browser forms require (the services check them) and
// answers with the user as it is afterwards, or with the new invite.

// apiUserAnswer is the answer of an action that leaves a user changed.
type apiUserAnswer struct {
	User apiUser `json:"user"`
}

// apiUserAfter answers with the user named in the path as it is now.
func (s *Server) apiUserAfter(w http.ResponseWriter, r *http.Request, status int) {
	u, err := s.findUser(r, chi.URLParam(r, "name"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, status, apiUserAnswer{User: s.toAPIUser(u)})
}

func (s *Server) apiInvite(w http.ResponseWriter, r *http.Request, inv *onboarding.NewInvite) {
	s.apiJSON(w, r, http.StatusCreated, apiInvite{User: s.toAPIUser(inv.User), InviteURL: inv.URL, InviteExpiresAt: inv.Until.UTC()})
}

// apiRevokeInvite makes the user's unclaimed invite links stop working
// (POST /api/v1/users/{name}/revoke-invite).
func (s *Server) apiRevokeInvite(w http.ResponseWriter, r *http.Request) {
	if err := s.Onboarding.RevokeInvite(r.Context(), actor(r), chi.URLParam(r, "name")); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiUserAfter(w, r, http.StatusOK)
}

// apiExtend moves a pending user's deadline: by days (one of the quick
// choices) or to deadline (RFC 3339), with a reason
// (POST /api/v1/users/{name}/extend).
func (s *Server) apiExtend(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Days     int    `json:"days"`
		Deadline string `json:"deadline"`
		Reason   string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	name := chi.URLParam(r, "name")
	deadline, err := apiTime("deadline", in.Deadline)
	switch {
	case err != nil:
	case in.Days != 0 && !deadline.IsZero():
		err = portal.FieldE("days", "err.api.extend.both")
	case in.Days != 0:
		_, err = s.Onboarding.ExtendDeadlineBy(r.Context(), actor(r), name, in.Days, in.Reason)
	case !deadline.IsZero():
		_, err = s.Onboarding.ExtendDeadline(r.Context(), actor(r), name, deadline.UTC(), in.Reason)
	default:
		err = portal.FieldE("deadline", "err.api.extend.none")
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiUserAfter(w, r, http.StatusOK)
}

// apiResetMFA is the lost-device procedure: reason and verified_by are
// required; the answer carries the new invite
// (POST /api/v1/users/{name}/reset-mfa).
func (s *Server) apiResetMFA(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason     string `json:"reason"`
		VerifiedBy string `json:"verified_by"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	inv, err := s.Onboarding.ResetMFA(r.Context(), actor(r), chi.URLParam(r, "name"), in.Reason, in.VerifiedBy)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiInvite(w, r, inv)
}

// apiOffboard deletes the user's IAM user; reason is required
// (POST /api/v1/users/{name}/offboard).
func (s *Server) apiOffboard(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.Onboarding.Offboard(r.Context(), actor(r), chi.URLParam(r, "name"), in.Reason); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiUserAfter(w, r, http.StatusOK)
}

// apiCancelRemoval cancels the removal an identity provider's SCIM DELETE
// scheduled (a mistaken unassignment); reason is required
// (POST /api/v1/users/{name}/cancel-removal).
func (s *Server) apiCancelRemoval(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if s.SCIM == nil {
		s.apiError(w, r, portal.E(portal.EUNAVAILABLE, "err.scim.off"))
		return
	}
	if err := s.SCIM.CancelRemoval(r.Context(), actor(r), chi.URLParam(r, "name"), in.Reason); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiUserAfter(w, r, http.StatusOK)
}

// apiRetry resumes an unfinished onboarding; the answer is the invite
// (POST /api/v1/users/{name}/retry).
func (s *Server) apiRetry(w http.ResponseWriter, r *http.Request) {
	h, err := s.Onboarding.Resume(r.Context(), actor(r), chi.URLParam(r, "name"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusCreated, apiInvite{User: s.toAPIUser(h.User), InviteURL: h.InviteURL, InviteExpiresAt: h.InviteUntil.UTC()})
}

// apiDevice is an abandoned MFA device: created for a managed user and
// never enabled.
type apiDevice struct {
	AccountID string `json:"account_id"`
	Serial    string `json:"serial"`
	UserName  string `json:"user_name"`
}

// apiListDevices lists the abandoned devices of one account (?account=,
// the hub by default) by serial (GET /api/v1/devices).
func (s *Server) apiListDevices(w http.ResponseWriter, r *http.Request) {
	apiList(s, w, r, "devices", byName, func(d onboarding.DanglingDevice) string { return d.Serial }, s.Onboarding.DanglingDevices,
		func(d onboarding.DanglingDevice) apiDevice {
			return apiDevice{AccountID: d.Account, Serial: d.Serial, UserName: d.UserName}
		})
}

// apiDeleteDevices deletes one abandoned device (serial) or every one
// (all: true) of one account (?account=, the hub by default)
// (POST /api/v1/devices/delete).
func (s *Server) apiDeleteDevices(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Serial string `json:"serial"`
		All    bool   `json:"all"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	in.Serial = strings.TrimSpace(in.Serial)
	n := 1
	var err error
	switch {
	case in.All && in.Serial != "":
		err = portal.FieldE("serial", "err.api.devices.both")
	case in.All:
		n, err = s.Onboarding.DeleteAllDanglingDevices(r.Context(), actor(r))
	case in.Serial == "":
		err = portal.FieldE("serial", "err.api.devices.none")
	default:
		err = s.Onboarding.DeleteDanglingDevice(r.Context(), actor(r), in.Serial)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, map[string]int{"deleted": n})
}

// apiCandidate is an IAM user Gatehouse does not manage yet.
type apiCandidate struct {
	UserName    string    `json:"user_name"`
	Created     time.Time `json:"created_at"`
	HasMFA      bool      `json:"has_mfa"`
	HasPassword bool      `json:"has_password"`
	ActiveKeys  int       `json:"active_keys"`
	Self        bool      `json:"self"`
}

// apiAdoptionCandidates lists the IAM users Gatehouse could adopt, by name
// (GET /api/v1/adopt).
func (s *Server) apiAdoptionCandidates(w http.ResponseWriter, r *http.Request) {
	apiList(s, w, r, "candidates", byName, func(c onboarding.Candidate) string { return c.UserName }, s.Onboarding.AdoptionCandidates,
		func(c onboarding.Candidate) apiCandidate {
			return apiCandidate{UserName: c.UserName, Created: c.Created.UTC(), HasMFA: c.HasMFA, HasPassword: c.HasPassword, ActiveKeys: c.ActiveKeys, Self: c.Self}
		})
}

// apiAdopt takes one IAM user under management, with a reason (required,
// as on the adopt page, and kept in the audit entry); a user with active
// access keys needs confirm_keys (POST /api/v1/adopt). A user without MFA
// gets an invite, shown in this answer only.
func (s *Server) apiAdopt(w http.ResponseWriter, r *http.Request) {
	var in struct {
		UserName    string `json:"user_name"`
		ConfirmKeys bool   `json:"confirm_keys"`
		Reason      string `json:"reason"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if in.UserName = strings.TrimSpace(in.UserName); in.UserName == "" {
		s.apiError(w, r, portal.FieldE("user_name", "err.api.required", "user_name"))
		return
	}
	a, err := s.Onboarding.Adopt(r.Context(), actor(r), in.UserName, onboarding.AdoptOptions{KeysConfirmed: in.ConfirmKeys, Reason: in.Reason})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := struct {
		User            apiUser    `json:"user"`
		InviteURL       string     `json:"invite_url,omitempty"`
		InviteExpiresAt *time.Time `json:"invite_expires_at,omitempty"`
	}{User: s.toAPIUser(a.User), InviteURL: a.URL}
	if a.URL != "" {
		out.InviteExpiresAt = optTime(a.Until)
	}
	s.apiJSON(w, r, http.StatusCreated, out)
}

// remedyInput is the body of a posture remedy: whose credentials, and why.
type remedyInput struct {
	UserName string `json:"user_name"`
	Reason   string `json:"reason"`
}

// decodeRemedy reads a posture remedy's body; user_name is required.
func decodeRemedy(r *http.Request) (remedyInput, error) {
	var in remedyInput
	if err := decodeJSON(r, &in); err != nil {
		return in, err
	}
	if in.UserName = strings.TrimSpace(in.UserName); in.UserName == "" {
		return in, portal.FieldE("user_name", "err.api.required", "user_name")
	}
	return in, nil
}

// apiDisableUnused disables a user's unused credentials (the posture
// page's remedy); reason is required (POST /api/v1/posture/disable).
func (s *Server) apiDisableUnused(w http.ResponseWriter, r *http.Request) {
	in, err := decodeRemedy(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := s.Onboarding.DisableUnused(r.Context(), actor(r), in.UserName, in.Reason)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	keys := d.Keys
	if keys == nil {
		keys = []string{}
	}
	s.apiJSON(w, r, http.StatusOK, struct {
		AccountID       string   `json:"account_id"`
		UserName        string   `json:"user_name"`
		PasswordRemoved bool     `json:"password_removed"`
		KeysDeactivated []string `json:"keys_deactivated"`
	}{s.accountOrHub(onboarding.ChosenAccount(r.Context())), d.UserName, d.Password, keys})
}

// apiKeyNotice e-mails a managed user which of their access keys need
// attention (old, extra, never used); reason is required
// (POST /api/v1/posture/notice).
func (s *Server) apiKeyNotice(w http.ResponseWriter, r *http.Request) {
	in, err := decodeRemedy(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	n, err := s.Onboarding.NoticeKeys(r.Context(), actor(r), in.UserName, in.Reason)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	type key struct {
		ID        string    `json:"id"`
		CreatedAt time.Time `json:"created_at"`
		Old       bool      `json:"old"`
		Extra     bool      `json:"extra"`
		NeverUsed bool      `json:"never_used"`
	}
	out := struct {
		AccountID string `json:"account_id"`
		UserName  string `json:"user_name"`
		To        string `json:"to"`
		Keys      []key  `json:"keys"`
	}{AccountID: s.accountOrHub(onboarding.ChosenAccount(r.Context())), UserName: n.UserName, To: n.To, Keys: []key{}}
	for _, k := range n.Keys {
		out.Keys = append(out.Keys, key{ID: k.ID, CreatedAt: k.Created.UTC(), Old: k.Old, Extra: k.Extra, NeverUsed: k.NeverUsed})
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

// apiSync runs a status sync now (POST /api/v1/sync).
func (s *Server) apiSync(w http.ResponseWriter, r *http.Request) {
	res, err := s.Onboarding.Sync(r.Context(), onboarding.SyncManual, actor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, struct {
		ReportAt    *time.Time `json:"report_at,omitempty"`
		Users       int        `json:"users"`
		LiveChecked int        `json:"live_checked"`
		Enrolled    int        `json:"enrolled"`
		MFARemoved  int        `json:"mfa_removed"`
		Gone        int        `json:"gone"`
		SignedIn    int        `json:"signed_in"`
	}{optTime(res.ReportAt), res.Users, res.LiveChecked, res.Enrolled, res.Removed, res.Gone, res.SignedIn})
}

// apiPosture gives an account's credential posture at the last sync
// (?account=, the hub by default): the MFA coverage and each control's
// result with the users failing it (GET /api/v1/posture). POST /api/v1/posture/disable is the remedy for
// unused credentials.
func (s *Server) apiPosture(w http.ResponseWriter, r *http.Request) {
	rep, err := s.Onboarding.Posture(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	type finding struct {
		Control  string   `json:"control"`
		CIS      string   `json:"cis"`
		Result   string   `json:"result"`
		Users    []string `json:"users"`
		Policies []string `json:"policies"`
	}
	out := struct {
		AccountID       string     `json:"account_id"`
		At              time.Time  `json:"at"`
		ReportAt        *time.Time `json:"report_at,omitempty"`
		Users           int        `json:"users"`
		ConsoleUsers    int        `json:"console_users"`
		ConsoleMFA      int        `json:"console_mfa"`
		CoveragePercent float64    `json:"mfa_coverage_percent"`
		Findings        []finding  `json:"findings"`
	}{AccountID: s.accountOrHub(onboarding.ChosenAccount(r.Context())), At: rep.At.UTC(), ReportAt: optTime(rep.ReportAt), Users: rep.Users, ConsoleUsers: rep.ConsoleUsers, ConsoleMFA: rep.ConsoleMFA,
		CoveragePercent: rep.Coverage(), Findings: []finding{}}
	for _, f := range rep.Findings {
		fd := finding{Control: f.Control, CIS: f.CIS, Result: string(f.Result), Users: f.Users, Policies: f.Policy}
		if fd.Users == nil {
			fd.Users = []string{}
		}
		if fd.Policies == nil {
			fd.Policies = []string{}
		}
		out.Findings = append(out.Findings, fd)
	}
	s.apiJSON(w, r, http.StatusOK, out)
}

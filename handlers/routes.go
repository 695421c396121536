package handlers

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/web"
)

// Access is who may reach a route. Every route declares one; there is no
// default.
type Access string

// Access levels.
const (
	Public   Access = "public"   // anyone (sign-in, setup, health, invite links)
	Invitee  Access = "invitee"  // an IAM user with a claimed invite's setup session
	Auditor  Access = "auditor"  // any signed-in operator (read-only)
	Helpdesk Access = "helpdesk" // helpdesk or admin
	Admin    Access = "admin"    // admin only
)

// Route is one entry of the route table.
type Route struct {
	Method  string
	Pattern string
	Access  Access
	handler http.HandlerFunc
}

// Routes returns the whole route table. Tests walk it to build the
// authorization matrix, so a route cannot exist without a declared access.
func (s *Server) Routes() []Route {
	return []Route{
		{"GET", "/healthz", Public, s.healthz},
		{"GET", "/readyz", Public, s.readyz},
		{"GET", "/static/*", Public, web.StaticHandler().ServeHTTP},

		{"GET", "/setup/{token}", Public, s.setupForm},
		{"POST", "/setup/{token}", Public, s.setupSubmit},
		{"GET", "/signin", Public, s.signinForm},
		{"POST", "/signin", Public, s.signinSubmit},
		{"POST", "/signout", Auditor, s.signout},

		{"GET", "/", Auditor, s.toDashboard},
		{"GET", "/dashboard", Auditor, s.dashboard},
		{"POST", "/sync", Helpdesk, s.syncNow},
		{"GET", "/users", Auditor, s.listUsers},
		{"GET", "/users.csv", Auditor, s.exportUsers},
		{"GET", "/users/new", Admin, s.newUserForm},
		{"POST", "/users", Admin, s.createUser},
		{"GET", "/users/{name}", Auditor, s.showUser},
		{"POST", "/users/{name}/retry", Admin, s.retryUser},
		{"POST", "/users/{name}/resend-invite", Helpdesk, s.resendInvite},
		{"POST", "/users/{name}/revoke-invite", Helpdesk, s.revokeInvite},
		{"POST", "/users/{name}/extend", Helpdesk, s.extendDeadline},
		{"POST", "/users/{name}/reset-mfa", Helpdesk, s.resetMFA},
		{"POST", "/users/{name}/delete-device", Helpdesk, s.deleteUserDevice},
		{"GET", "/users/{name}/offboard", Admin, s.offboardForm},
		{"POST", "/users/{name}/offboard", Admin, s.offboard},
		{"GET", "/devices", Helpdesk, s.devices},
		{"POST", "/devices/delete", Helpdesk, s.deleteDevices},
		{"GET", "/adopt", Admin, s.adoptForm},
		{"POST", "/adopt", Admin, s.adopt},

		{"GET", "/invite/{token}", Public, s.inviteLanding},
		{"POST", "/invite/{token}", Public, s.inviteClaim},
		{"GET", "/enroll/mfa", Invitee, s.mfaForm},
		{"POST", "/enroll/mfa", Invitee, s.mfaSubmit},
		{"GET", "/enroll/done", Invitee, s.enrollDone},
		{"GET", "/enroll/console", Invitee, s.consoleWalkthrough},
		{"POST", "/enroll/status", Invitee, s.checkStatus},
	}
}

func (s *Server) buildRouter() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.Recoverer, s.logRequests, s.securityHeaders, s.language, s.loadOperator)
	for _, rt := range s.Routes() {
		r.Method(rt.Method, rt.Pattern, s.guard(rt.Access, rt.handler))
	}
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, portal.Errorf(portal.ENOTFOUND, "%s", web.T(r.Context(), "error.notfound")), web.T(r.Context(), "error.notfound"))
	})
	// Cross-origin state changes are refused (Sec-Fetch-Site / Origin
	// checks); SameSite=Lax cookies are the second line.
	return http.NewCrossOriginProtection().Handler(r)
}

// guard enforces a route's access level.
func (s *Server) guard(a Access, h http.HandlerFunc) http.Handler {
	if a == Public || a == Invitee { // invitee routes check their own session
		return h
	}
	need := map[Access]portal.Role{Auditor: portal.RoleAuditor, Helpdesk: portal.RoleHelpdesk, Admin: portal.RoleAdmin}[a]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := operatorFrom(r.Context())
		switch {
		case op == nil && r.Method == http.MethodGet:
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		case op == nil:
			s.fail(w, r, portal.Errorf(portal.EUNAUTHORIZED, "Please sign in first."), "")
		case !op.Role.AtLeast(need):
			s.fail(w, r, portal.Errorf(portal.EFORBIDDEN, "Your role (%s) does not allow this.", op.Role), web.T(r.Context(), "error.forbidden"))
		default:
			h(w, r)
		}
	})
}

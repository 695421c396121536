package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

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
	// AuditLog is the audit log: auditors and admins, not helpdesk (who
	// reads users' timelines, not what other operators did).
	AuditLog Access = "audit"
	// SCIM is the SCIM endpoint: an identity provider holding a token of
	// kind scim minted by an admin (it creates and removes IAM users). No
	// other credential reaches these routes: loadOperator looks up only
	// scim tokens under /scim/.
	SCIM Access = "scim"
)

// roles lists the operator roles each operator access level admits. An
// access level missing here admits nobody.
var roles = map[Access][]portal.Role{
	Auditor:  {portal.RoleAuditor, portal.RoleHelpdesk, portal.RoleAdmin},
	Helpdesk: {portal.RoleHelpdesk, portal.RoleAdmin},
	Admin:    {portal.RoleAdmin},
	AuditLog: {portal.RoleAuditor, portal.RoleAdmin},
	SCIM:     {portal.RoleAdmin},
}

// can reports whether op may use routes of access level a. It is the one
// authorization rule: the router's guard asks it for every request, and
// views ask it (through may) before showing a link or a button.
func can(op *portal.Operator, a Access) bool {
	switch a {
	case Public:
		return true
	case Invitee:
		return false // an invitee is not an operator; invitee routes check their own session
	}
	return op != nil && slices.Contains(roles[a], op.Role)
}

// may reports whether op may use the route method+pattern of the route
// table, so a page shows a link or button exactly when its route admits the
// operator. A pattern missing from the table admits nobody.
func (s *Server) may(op *portal.Operator, method, pattern string) bool {
	a, ok := s.access[method+" "+pattern]
	return ok && can(op, a)
}

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
	routes := []Route{
		{"GET", "/healthz", Public, s.healthz},
		{"GET", "/readyz", Public, s.readyz},
		{"GET", "/metrics", Public, s.metricsHandler}, // optional bearer token: Deps.MetricsToken
		{"GET", "/static/*", Public, web.StaticHandler().ServeHTTP},

		{"GET", "/setup/{token}", Public, s.setupForm},
		{"POST", "/setup/{token}", Public, s.setupSubmit},
		{"GET", "/signin", Public, s.signinForm},
		{"POST", "/signin", Public, s.signinSubmit},
		{"POST", "/signout", Auditor, s.signout},
		{"POST", "/signout/everywhere", Auditor, s.signoutEverywhere},
		{"GET", "/join/{token}", Public, s.joinForm},
		{"POST", "/join/{token}", Public, s.joinSubmit},

		{"GET", "/accounts", Admin, s.listAccounts},
		{"POST", "/accounts", Admin, s.addAccount},
		{"POST", "/accounts/discover", Admin, s.discoverAccounts},
		{"GET", "/accounts/{id}/edit", Admin, s.editAccountForm},
		{"POST", "/accounts/{id}/edit", Admin, s.editAccount},
		{"POST", "/accounts/{id}/check", Admin, s.checkAccount},
		{"POST", "/accounts/{id}/remove", Admin, s.removeAccount},
		{"GET", "/operators", Admin, s.listOperators},
		{"POST", "/operators", Admin, s.inviteOperator},
		{"POST", "/operators/invites/{name}/revoke", Admin, s.revokeOperatorInvite},
		{"POST", "/operators/{id}/role", Admin, s.changeRole},
		{"POST", "/operators/{id}/disable", Admin, s.disableOperator},
		{"POST", "/operators/{id}/enable", Admin, s.enableOperator},
		{"POST", "/operators/{id}/reset-totp", Admin, s.resetOperatorTOTP},
		{"GET", "/operators/tokens", Admin, s.listAllTokens},
		{"POST", "/operators/tokens/{id}/revoke", Admin, s.revokeAnyToken},
		{"GET", "/webhooks", Admin, s.listWebhooks},
		{"POST", "/webhooks", Admin, s.createWebhook},
		{"GET", "/webhooks/{id}", Admin, s.showWebhook},
		{"POST", "/webhooks/{id}/disable", Admin, s.disableWebhook},
		{"POST", "/webhooks/{id}/enable", Admin, s.enableWebhook},
		{"POST", "/webhooks/{id}/delete", Admin, s.deleteWebhook},
		{"POST", "/webhooks/{id}/deliveries/{delivery}/resend", Admin, s.resendWebhook},
		{"GET", "/audit", AuditLog, s.auditLog},
		{"GET", "/audit.csv", AuditLog, s.auditCSV},
		{"GET", "/account", Auditor, s.account},
		{"POST", "/account/recovery-codes", Auditor, s.regenerateRecoveryCodes},
		{"GET", "/tokens", Auditor, s.listTokens},
		{"POST", "/tokens", Auditor, s.createToken},
		{"POST", "/tokens/{id}/revoke", Auditor, s.revokeToken},

		{"GET", "/", Auditor, s.toDashboard},
		{"GET", "/dashboard", Auditor, s.dashboard},
		{"GET", "/posture", Auditor, s.posturePage},
		{"GET", "/posture.csv", Auditor, s.postureCSV},
		{"GET", "/posture.json", Auditor, s.postureJSON},
		{"GET", "/posture/disable", Admin, s.disableForm},
		{"POST", "/posture/disable", Admin, s.disable},
		{"GET", "/posture/notice", Admin, s.noticeForm},
		{"POST", "/posture/notice", Admin, s.notice},
		{"GET", "/welcome", Admin, s.welcome},
		{"POST", "/sync", Helpdesk, s.syncNow},
		{"GET", "/users", Auditor, s.listUsers},
		{"GET", "/users.csv", Auditor, s.exportUsers},
		{"GET", "/users/new", Admin, s.newUserForm},
		{"GET", "/users/bulk", Admin, s.bulkForm},
		{"POST", "/users/bulk", Admin, s.bulkCheck},
		{"POST", "/users/bulk/start", Admin, s.bulkStart},
		{"GET", "/users/bulk/{id}", Admin, s.bulkProgress},
		{"GET", "/users/bulk/{id}/result.csv", Admin, s.bulkResult},
		{"POST", "/users", Admin, s.createUser},
		{"GET", "/users/check-name", Admin, s.checkUserName},
		{"GET", "/users/{name}", Auditor, s.showUser},
		{"POST", "/users/{name}/retry", Admin, s.retryUser},
		{"POST", "/users/{name}/resend-invite", Helpdesk, s.resendInvite},
		{"POST", "/users/{name}/revoke-invite", Helpdesk, s.revokeInvite},
		{"POST", "/users/{name}/extend", Helpdesk, s.extendDeadline},
		{"POST", "/users/{name}/reset-mfa", Helpdesk, s.resetMFA},
		{"POST", "/users/{name}/delete-device", Helpdesk, s.deleteUserDevice},
		{"GET", "/users/{name}/offboard", Admin, s.offboardForm},
		{"POST", "/users/{name}/offboard", Admin, s.offboard},
		{"POST", "/users/{name}/cancel-removal", Admin, s.cancelRemoval},
		{"GET", "/devices", Helpdesk, s.devices},
		{"POST", "/devices/delete", Helpdesk, s.deleteDevices},
		{"GET", "/adopt", Admin, s.adoptForm},
		{"POST", "/adopt", Admin, s.adopt},

		{"GET", "/policy", Auditor, s.showPolicy},
		{"POST", "/policy/publish", Admin, s.publishPolicy},

		{"GET", "/invite/{token}", Public, s.inviteLanding},
		{"POST", "/invite/{token}", Public, s.inviteClaim},
		{"GET", "/enroll/password", Invitee, s.passwordStep},
		{"POST", "/enroll/password", Invitee, s.passwordIssue},
		{"POST", "/enroll/password/saved", Invitee, s.passwordSaved},
		{"GET", "/enroll/mfa", Invitee, s.mfaForm},
		{"POST", "/enroll/mfa/start", Invitee, s.mfaStart},
		{"POST", "/enroll/mfa", Invitee, s.mfaSubmit},
		{"GET", "/enroll/done", Invitee, s.enrollDone},
		{"GET", "/enroll/console", Invitee, s.consoleWalkthrough},
		{"POST", "/enroll/status", Invitee, s.checkStatus},

		// The JSON API: every operator action of the pages above, with the
		// same access. handlers/openapi.yaml describes each route (a test
		// holds the two to each other).
		{"GET", "/api/v1/openapi.json", Public, s.apiOpenAPI},
		{"GET", "/api/v1/users", Auditor, s.apiListUsers},
		{"POST", "/api/v1/users", Admin, s.apiCreateUser},
		{"GET", "/api/v1/users/{name}", Auditor, s.apiGetUser},
		{"POST", "/api/v1/users/{name}/invite", Helpdesk, s.apiResendInvite},
		{"POST", "/api/v1/users/{name}/revoke-invite", Helpdesk, s.apiRevokeInvite},
		{"POST", "/api/v1/users/{name}/extend", Helpdesk, s.apiExtend},
		{"POST", "/api/v1/users/{name}/reset-mfa", Helpdesk, s.apiResetMFA},
		{"POST", "/api/v1/users/{name}/offboard", Admin, s.apiOffboard},
		{"POST", "/api/v1/users/{name}/retry", Admin, s.apiRetry},
		{"POST", "/api/v1/users/{name}/cancel-removal", Admin, s.apiCancelRemoval},
		{"GET", "/api/v1/devices", Helpdesk, s.apiListDevices},
		{"POST", "/api/v1/devices/delete", Helpdesk, s.apiDeleteDevices},
		{"GET", "/api/v1/adopt", Admin, s.apiAdoptionCandidates},
		{"POST", "/api/v1/adopt", Admin, s.apiAdopt},
		{"GET", "/api/v1/posture", Auditor, s.apiPosture},
		{"POST", "/api/v1/posture/disable", Admin, s.apiDisableUnused},
		{"POST", "/api/v1/posture/notice", Admin, s.apiKeyNotice},
		{"POST", "/api/v1/bulk/check", Admin, s.apiBulkCheck},
		{"POST", "/api/v1/bulk", Admin, s.apiBulkStart},
		{"GET", "/api/v1/bulk/{id}", Admin, s.apiBulkJob},
		{"POST", "/api/v1/bulk/{id}/invites", Admin, s.apiBulkInvites},
		{"POST", "/api/v1/sync", Helpdesk, s.apiSync},
		{"GET", "/api/v1/policy", Auditor, s.apiPolicyStatus},
		{"GET", "/api/v1/policy/drift", Auditor, s.apiPolicyDrift},
		{"GET", "/api/v1/policy/matrix", Auditor, s.apiPolicyMatrix},
		{"POST", "/api/v1/policy/publish", Admin, s.apiPublishPolicy},
		{"GET", "/api/v1/audit/events", AuditLog, s.apiAuditEvents},
		{"GET", "/api/v1/operators", Admin, s.apiListOperators},
		{"POST", "/api/v1/operators", Admin, s.apiInviteOperator},
		{"GET", "/api/v1/operators/invites", Admin, s.apiListOperatorInvites},
		{"POST", "/api/v1/operators/invites/{name}/revoke", Admin, s.apiRevokeOperatorInvite},
		{"POST", "/api/v1/operators/{id}/role", Admin, s.apiChangeRole},
		{"POST", "/api/v1/operators/{id}/disable", Admin, s.apiDisableOperator},
		{"POST", "/api/v1/operators/{id}/enable", Admin, s.apiEnableOperator},
		{"POST", "/api/v1/operators/{id}/reset-totp", Admin, s.apiResetOperatorTOTP},
		{"GET", "/api/v1/operators/tokens", Admin, s.apiListAllTokens},
		{"GET", "/api/v1/accounts", Admin, s.apiListAccounts},
		{"POST", "/api/v1/accounts", Admin, s.apiAddAccount},
		{"POST", "/api/v1/accounts/discover", Admin, s.apiDiscoverAccounts},
		{"GET", "/api/v1/accounts/{id}", Admin, s.apiGetAccount},
		{"POST", "/api/v1/accounts/{id}/edit", Admin, s.apiEditAccount},
		{"POST", "/api/v1/accounts/{id}/check", Admin, s.apiCheckAccount},
		{"POST", "/api/v1/accounts/{id}/remove", Admin, s.apiRemoveAccount},
		{"GET", "/api/v1/webhooks", Admin, s.apiListWebhooks},
		{"POST", "/api/v1/webhooks", Admin, s.apiCreateWebhook},
		{"GET", "/api/v1/webhooks/{id}", Admin, s.apiGetWebhook},
		{"POST", "/api/v1/webhooks/{id}/disable", Admin, s.apiDisableWebhook},
		{"POST", "/api/v1/webhooks/{id}/enable", Admin, s.apiEnableWebhook},
		{"POST", "/api/v1/webhooks/{id}/delete", Admin, s.apiDeleteWebhook},
		{"GET", "/api/v1/webhooks/{id}/deliveries", Admin, s.apiWebhookDeliveries},
		{"POST", "/api/v1/webhooks/{id}/deliveries/{delivery}/resend", Admin, s.apiResendWebhook},
		{"POST", "/api/v1/operators/tokens/{id}/revoke", Admin, s.apiRevokeAnyToken},
		{"GET", "/api/v1/tokens", Auditor, s.apiListTokens},
		{"POST", "/api/v1/tokens/{id}/revoke", Auditor, s.apiRevokeToken},

		{"GET", "/scim/v2/ServiceProviderConfig", SCIM, s.scimServiceProviderConfig},
		{"GET", "/scim/v2/ResourceTypes", SCIM, s.scimResourceTypes},
		{"GET", "/scim/v2/ResourceTypes/{id}", SCIM, s.scimResourceType},
		{"GET", "/scim/v2/Schemas", SCIM, s.scimSchemas},
		{"GET", "/scim/v2/Schemas/{id}", SCIM, s.scimSchema},
		{"GET", "/scim/v2/Users", SCIM, s.scimListUsers},
		{"POST", "/scim/v2/Users", SCIM, s.scimCreateUser},
		{"GET", "/scim/v2/Users/{id}", SCIM, s.scimGetUser},
		{"PUT", "/scim/v2/Users/{id}", SCIM, s.scimReplaceUser},
		{"PATCH", "/scim/v2/Users/{id}", SCIM, s.scimPatchUser},
		{"DELETE", "/scim/v2/Users/{id}", SCIM, s.scimDeleteUser},
	}
	if s.BenchRoutes {
		routes = append(routes, Route{"GET", "/bench/trivial", Auditor, benchTrivial}, Route{"GET", "/api/v1/bench/trivial", Auditor, benchTrivial})
	}
	return routes
}

// benchTrivial is the trivial handler of Deps.BenchRoutes.
func benchTrivial(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

func (s *Server) buildRouter() http.Handler {
	r := chi.NewRouter()
	clientIP := middleware.ClientIPFromRemoteAddr
	if len(s.TrustedProxies) > 0 {
		clientIP = middleware.ClientIPFromXFF(s.TrustedProxies...)
	}
	r.Use(middleware.RequestID, middleware.Recoverer, clientIP, s.instrument, s.logRequests, s.budget, s.securityHeaders, s.language, s.loadOperator)
	limits := s.ipLimits()
	s.access = map[string]Access{}
	for _, rt := range s.Routes() {
		s.access[rt.Method+" "+rt.Pattern] = rt.Access
		handler := rt.handler
		if accountScoped(rt.Pattern) {
			handler = s.userAccount(handler)
		}
		if rt.Method == http.MethodPost && strings.HasPrefix(rt.Pattern, "/api/") {
			handler = s.idempotent(handler)
		}
		h := s.guard(rt.Access, handler)
		h = s.limitBody(bodyRuleOf(rt.Method, rt.Pattern), h)
		if limit, ok := limits[rt.Method+" "+rt.Pattern]; ok {
			h = limit(h)
		}
		r.Method(rt.Method, rt.Pattern, h)
	}
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		if isSCIM(r) {
			s.scimError(w, r, portal.E(portal.ENOTFOUND, "err.api.noendpoint"))
			return
		}
		if isAPI(r) {
			s.apiError(w, r, portal.E(portal.ENOTFOUND, "err.api.noendpoint"))
			return
		}
		s.fail(w, r, portal.E(portal.ENOTFOUND, "err.page.notfound"), web.T(r.Context(), "error.notfound"))
	})
	// Cross-origin state changes are refused (Sec-Fetch-Site / Origin
	// checks); SameSite=Lax cookies are the second line. The API says so
	// with a problem detail, as it says every refusal.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPI(r) {
			s.apiError(w, r, portal.E(portal.EFORBIDDEN, "err.crossorigin"))
			return
		}
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
	}))
	return cop.Handler(r)
}

// guard enforces a route's access level with can. Public and invitee routes
// pass (invitee routes check their own session); every other level admits
// only the roles listed in roles, so an unknown level admits nobody.
func (s *Server) guard(a Access, h http.HandlerFunc) http.Handler {
	if a == Public || a == Invitee {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := operatorFrom(r.Context())
		err := sessionErrFrom(r.Context())
		switch {
		case op == nil && err != nil: // the lookup failed, not the session
		case op == nil && r.Method == http.MethodGet && !isAPI(r) && !isSCIM(r):
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		case op == nil:
			err = portal.E(portal.EUNAUTHORIZED, "err.signin.first")
		case !can(op, a):
			err = portal.E(portal.EFORBIDDEN, "err.role.forbidden", portal.RoleText(op.Role))
		default:
			h(w, r)
			return
		}
		if isSCIM(r) {
			s.scimError(w, r, err)
			return
		}
		if isAPI(r) {
			s.apiError(w, r, err)
			return
		}
		heading := ""
		if portal.ErrorCode(err) == portal.EFORBIDDEN {
			heading = web.T(r.Context(), "error.forbidden")
		}
		s.fail(w, r, err, heading)
	})
}

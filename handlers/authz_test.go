package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/handlers"
	"github.com/go-chi/chi/v5"
)

// admits is the specification of each access level: which operator roles
// may use a route. It is written here independently of the guard, so a
// guard bug shows up as a failing cell. A level missing here fails the test.
var admits = map[handlers.Access][]portal.Role{
	handlers.Auditor:  {portal.RoleAuditor, portal.RoleHelpdesk, portal.RoleAdmin},
	handlers.Helpdesk: {portal.RoleHelpdesk, portal.RoleAdmin},
	handlers.Admin:    {portal.RoleAdmin},
	handlers.AuditLog: {portal.RoleAuditor, portal.RoleAdmin},
	handlers.SCIM:     {portal.RoleAdmin},
}

var personas = []string{"anonymous", "invitee", "auditor", "helpdesk", "admin"}

// denial returns the status a persona must get on a route, or 0 when the
// persona is allowed through (any status but a denial then).
func denial(t *testing.T, rt handlers.Route, persona string) int {
	t.Helper()
	api := strings.HasPrefix(rt.Pattern, "/api/") || strings.HasPrefix(rt.Pattern, "/scim/")
	switch rt.Access {
	case handlers.Public:
		return 0
	case handlers.Invitee:
		if persona == "invitee" {
			return 0
		}
		return http.StatusUnauthorized
	}
	roles, ok := admits[rt.Access]
	if !ok {
		t.Fatalf("route %s %s declares access %q, which the authorization matrix does not know: add it to admits", rt.Method, rt.Pattern, rt.Access)
	}
	switch {
	case persona == "anonymous" || persona == "invitee":
		if rt.Method == http.MethodGet && !api {
			return http.StatusSeeOther // to /signin
		}
		return http.StatusUnauthorized
	case slices.Contains(roles, portal.Role(persona)):
		return 0
	}
	return http.StatusForbidden
}

// fillPattern turns a route pattern into a concrete path.
func fillPattern(p string, ids map[string]string) string {
	for k, v := range ids {
		p = strings.ReplaceAll(p, "{"+k+"}", v)
	}
	return strings.ReplaceAll(p, "*", "app.css")
}

func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	// The invitee is not the user of the operator routes: a new invite for
	// that user (resend, MFA reset) ends the setup sessions of older ones.
	invitee, _ := e.claimAndOpenMFA(admin.onboard("invitee"))
	admin.onboard("test")
	ops := map[string]*portal.Operator{
		"auditor":  e.mintOperator("aud", portal.RoleAuditor),
		"helpdesk": e.mintOperator("help", portal.RoleHelpdesk),
		"admin":    e.mintOperator("adm", portal.RoleAdmin),
	}
	spare := e.mintOperator("spare", portal.RoleHelpdesk)
	ids := map[string]string{"token": "no-such-token", "name": "test", "id": strconv.FormatInt(spare.ID, 10)}

	routes := (&handlers.Server{}).Routes()
	if len(routes) == 0 {
		t.Fatal("empty route table")
	}
	for _, rt := range routes {
		path := fillPattern(rt.Pattern, ids)
		for _, persona := range personas {
			t.Run(rt.Method+" "+rt.Pattern+" as "+persona, func(t *testing.T) {
				want := denial(t, rt, persona)
				var prep func(*http.Request)
				switch persona {
				case "anonymous":
				case "invitee":
					prep = func(r *http.Request) {
						for _, c := range invitee.http.Jar.Cookies(r.URL) {
							r.AddCookie(c)
						}
					}
				default:
					if strings.HasPrefix(rt.Pattern, "/scim/") {
						prep = withBearer(e.scimTokenFor(ops[persona], "idp"))
					} else if strings.HasPrefix(rt.Pattern, "/api/") {
						prep = withBearer(e.apiTokenFor(ops[persona]))
					} else {
						prep = withSession(e.sessionFor(ops[persona]))
					}
				}
				body := ""
				if (strings.HasPrefix(rt.Pattern, "/api/") || strings.HasPrefix(rt.Pattern, "/scim/")) && rt.Method != http.MethodGet && rt.Method != http.MethodDelete {
					body = "{}"
				}
				resp := e.raw(rt.Method, path, body, func(r *http.Request) {
					if body == "{}" {
						r.Header.Set("Content-Type", "application/json")
					}
					if prep != nil {
						prep(r)
					}
				})
				got := resp.StatusCode
				// The guard sends anonymous GETs to /signin?next=…; a plain
				// /signin redirect is sign-out's own success.
				signinRedirect := got == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/signin?next=")
				// A public route's own 401 (wrong sign-in) is its answer,
				// not an access decision.
				denied := got == http.StatusForbidden || signinRedirect || (got == http.StatusUnauthorized && rt.Access != handlers.Public)
				switch {
				case want == 0 && denied:
					t.Fatalf("status %d (Location %q): %s should be allowed", got, resp.Header.Get("Location"), persona)
				case want == http.StatusSeeOther && !signinRedirect:
					t.Fatalf("status %d (Location %q), want a redirect to /signin", got, resp.Header.Get("Location"))
				case want != 0 && want != http.StatusSeeOther && got != want:
					t.Fatalf("status %d, want %d", got, want)
				}
			})
		}
	}
}

// Every state-changing route refuses a cross-origin request, whatever the
// session: net/http.CrossOriginProtection checks Sec-Fetch-Site and Origin.
func TestCrossOriginPostsAreRejected(t *testing.T) {
	e := newEnv(t)
	e.setupAdmin()
	adm := e.mintOperator("adm", portal.RoleAdmin)
	spare := e.mintOperator("spare", portal.RoleHelpdesk)
	ids := map[string]string{"token": "no-such-token", "name": "test", "id": strconv.FormatInt(spare.ID, 10)}
	mutating := 0
	for _, rt := range (&handlers.Server{}).Routes() {
		if rt.Method == http.MethodGet || rt.Method == http.MethodHead || rt.Method == http.MethodOptions {
			continue
		}
		mutating++
		for name, header := range map[string][2]string{
			"Origin of another site":    {"Origin", "https://evil.example"},
			"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site", "cross-site"},
		} {
			t.Run(rt.Method+" "+rt.Pattern+" with "+name, func(t *testing.T) {
				resp := e.raw(rt.Method, fillPattern(rt.Pattern, ids), "", func(r *http.Request) {
					withSession(e.sessionFor(adm))(r)
					r.Header.Set(header[0], header[1])
				})
				if got, want := resp.StatusCode, http.StatusForbidden; got != want {
					t.Fatalf("status %d, want %d", got, want)
				}
			})
		}
	}
	if mutating < 10 {
		t.Fatalf("only %d mutating routes found: is the route table complete?", mutating)
	}
	// Control: the same request from the portal's own origin is not refused
	// by the cross-origin check.
	resp := e.raw("POST", "/signout", "", func(r *http.Request) {
		withSession(e.sessionFor(adm))(r)
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	})
	if resp.StatusCode == http.StatusForbidden {
		t.Fatal("a same-origin sign-out was refused")
	}
}

// Every link and button a role is shown leads to a route that role may
// use: pages ask the route table (can) before showing one, so an auditor is
// never offered a button that answers 403. Each page is fetched as each
// role; every same-origin link, form and htmx request on it must match a
// route of the table that admits the role.
func TestShownActionsAreAllowed(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	admin.onboard("test")
	routes := (&handlers.Server{}).Routes()
	mux := chi.NewRouter()
	for _, rt := range routes {
		mux.Method(rt.Method, rt.Pattern, http.NotFoundHandler())
	}
	access := map[string]handlers.Access{}
	for _, rt := range routes {
		access[rt.Method+" "+rt.Pattern] = rt.Access
	}
	pages := []string{"/dashboard", "/users", "/users/test", "/users/new", "/users/bulk", "/policy", "/devices",
		"/adopt", "/audit", "/operators", "/tokens", "/operators/tokens", "/account"}
	for _, role := range []portal.Role{portal.RoleAuditor, portal.RoleHelpdesk, portal.RoleAdmin} {
		op := e.mintOperator("op-"+string(role), role)
		c := e.newClient()
		u, _ := url.Parse(e.srv.URL)
		c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "gh_session", Value: e.sessionFor(op)}})
		shown := 0
		for _, path := range pages {
			p := c.get(path)
			if p.status == http.StatusForbidden {
				continue // the page itself is not the role's; its guard is tested above
			}
			if p.status != http.StatusOK {
				t.Fatalf("%s as %s: status %d", path, role, p.status)
			}
			p.doc.Find("a[href], form[action], [hx-get], [hx-post]").Each(func(_ int, sel *goquery.Selection) {
				method, target := "GET", sel.AttrOr("href", "")
				switch {
				case goquery.NodeName(sel) == "form":
					target = sel.AttrOr("action", "")
					if strings.EqualFold(sel.AttrOr("method", "get"), "post") {
						method = "POST"
					}
				case sel.AttrOr("hx-post", "") != "":
					method, target = "POST", sel.AttrOr("hx-post", "")
				case sel.AttrOr("hx-get", "") != "":
					target = sel.AttrOr("hx-get", "")
				}
				ref, err := url.Parse(target)
				if err != nil || ref.Host != "" || !strings.HasPrefix(ref.Path, "/") {
					return // another site (AWS docs), a fragment or a data: URL
				}
				rctx := chi.NewRouteContext()
				if !mux.Match(rctx, method, ref.Path) {
					t.Errorf("%s as %s shows %s %s, which no route serves", path, role, method, ref.Path)
					return
				}
				a := access[method+" "+rctx.RoutePattern()]
				if a == handlers.Public || a == handlers.Invitee {
					return
				}
				shown++
				if !slices.Contains(admits[a], role) {
					t.Errorf("%s as %s shows %s %s (route %s, access %s), which the role may not use", path, role, method, ref.Path, rctx.RoutePattern(), a)
				}
			})
		}
		if shown < 5 {
			t.Fatalf("as %s only %d operator links were found: are the pages rendering?", role, shown)
		}
	}
}

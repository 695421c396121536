package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/portal/handlers"
)

// apiTwinNames are the page POST routes whose API twin has another path
// than /api/v1 + the page's path.
var apiTwinNames = map[string]string{
	"/users/bulk":                 "/api/v1/bulk/check", // check a CSV of users
	"/users/bulk/start":           "/api/v1/bulk",       // start the checked job
	"/users/{name}/resend-invite": "/api/v1/users/{name}/invite",
	"/users/{name}/delete-device": "/api/v1/devices/delete", // the user and serial in the body
}

// noAPITwin are the page POST routes of operators that stay in the
// browser, each with why.
var noAPITwin = map[string]string{
	"/signout":                "ends the browser session; an API call has none (revoke the token instead)",
	"/signout/everywhere":     "ends the operator's browser sessions; API tokens are revoked one by one over the API",
	"/tokens":                 "minting an API token asks for the password and a fresh code, which a token cannot stand in for",
	"/account/recovery-codes": "new recovery codes ask for the password and a fresh code, which a token cannot stand in for",
}

// Every action an operator can take in the browser is in the JSON API with
// the same access (issue 18): each POST route of the route table for
// operators (not public, not an invitee's) has an API twin, but for the
// few listed in noAPITwin with a reason.
func TestEveryOperatorActionHasAnAPITwin(t *testing.T) {
	access := map[string]handlers.Access{}
	for _, rt := range (&handlers.Server{}).Routes() {
		access[rt.Method+" "+rt.Pattern] = rt.Access
	}
	for _, rt := range (&handlers.Server{}).Routes() {
		if rt.Method != http.MethodPost || strings.HasPrefix(rt.Pattern, "/api/") || strings.HasPrefix(rt.Pattern, "/scim/") ||
			rt.Access == handlers.Public || rt.Access == handlers.Invitee || rt.Access == handlers.SCIM {
			continue
		}
		if reason, ok := noAPITwin[rt.Pattern]; ok {
			if reason == "" {
				t.Errorf("POST %s has no API twin and no reason", rt.Pattern)
			}
			continue
		}
		twin, ok := apiTwinNames[rt.Pattern]
		if !ok {
			twin = "/api/v1" + rt.Pattern
		}
		got, ok := access["POST "+twin]
		switch {
		case !ok:
			t.Errorf("POST %s (%s) has no API twin POST %s", rt.Pattern, rt.Access, twin)
		case got != rt.Access:
			t.Errorf("POST %s is %s but its API twin POST %s is %s", rt.Pattern, rt.Access, twin, got)
		}
	}
	// The lists name routes that exist, so a renamed page does not leave a
	// stale exception behind.
	for page, twin := range apiTwinNames {
		if _, ok := access["POST "+page]; !ok {
			t.Errorf("apiTwinNames names POST %s, which is not a route", page)
		}
		if _, ok := access["POST "+twin]; !ok {
			t.Errorf("apiTwinNames names the twin POST %s, which is not a route", twin)
		}
	}
	for page := range noAPITwin {
		if _, ok := access["POST "+page]; !ok {
			t.Errorf("noAPITwin names POST %s, which is not a route", page)
		}
	}
}

package handlers_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/handlers"
)

// apiPosts returns every POST route of the JSON API, with its path filled
// in, and whether the OpenAPI document gives it a JSON body.
func apiPosts(t *testing.T, ids map[string]string) map[string]bool {
	t.Helper()
	doc, _ := mustOpenAPI(t)
	out := map[string]bool{}
	for _, rt := range (&handlers.Server{}).Routes() {
		if rt.Method != http.MethodPost || !strings.HasPrefix(rt.Pattern, "/api/") {
			continue
		}
		json := false
		if item := doc.Paths.Find(rt.Pattern); item != nil && item.Post != nil && item.Post.RequestBody != nil {
			json = item.Post.RequestBody.Value.Content.Get("application/json") != nil
		}
		out[fillPattern(rt.Pattern, ids)] = json
	}
	if len(out) < 20 {
		t.Fatalf("only %d API POST routes: is the route table complete?", len(out))
	}
	return out
}

// Every POST of the API honours Idempotency-Key: the same request with the
// same key is answered again, marked replayed, whatever the first answer
// was (below 500).
func TestAPIEveryPostIsIdempotent(t *testing.T) {
	e := newBulkEnv(t)
	admin := e.mintOperator("adm", portal.RoleAdmin)
	token := e.apiTokenFor(admin)
	spare := e.mintOperator("spare", portal.RoleHelpdesk)
	ids := map[string]string{"name": "nobody", "id": strconv.FormatInt(spare.ID, 10)}
	i := 0
	for path := range apiPosts(t, ids) {
		i++
		key := "every-" + strconv.Itoa(i)
		t.Run(path, func(t *testing.T) {
			// A body that is refused: the answer is kept all the same, and
			// nothing is done.
			first := e.call(apiCall{method: "POST", path: path, token: token, body: `{"no_such_field":1}`, key: key})
			again := e.call(apiCall{method: "POST", path: path, token: token, body: `{"no_such_field":1}`, key: key})
			if first.status >= 500 || again.status != first.status || again.header.Get("Idempotent-Replayed") != "true" {
				t.Fatalf("first %d, retry %d replayed %q: %v", first.status, again.status, again.header.Get("Idempotent-Replayed"), again.body)
			}
		})
	}
}

// Every JSON body of the API is read strictly: not JSON, not an object, an
// unknown field or the wrong content type is a 422 problem saying so, and
// nothing is done.
func TestAPIEveryJSONBodyRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	admin := e.mintOperator("adm", portal.RoleAdmin)
	token := e.apiTokenFor(admin)
	spare := e.mintOperator("spare", portal.RoleHelpdesk)
	if r := e.api("POST", "/api/v1/users", token, `{"user_name":"kept"}`); r.status != http.StatusCreated {
		t.Fatalf("create: %d %v", r.status, r.body)
	}
	ids := map[string]string{"name": "kept", "id": strconv.FormatInt(spare.ID, 10)}
	n := 0
	for path, isJSON := range apiPosts(t, ids) {
		if !isJSON {
			continue
		}
		n++
		t.Run(path, func(t *testing.T) {
			for _, c := range []struct{ what, body, ct, field string }{
				{"not JSON", `{"reason":`, "", ""},
				{"an array", `[]`, "", ""},
				{"two objects", `{} {}`, "", ""},
				{"unknown field", `{"no_such_field":1}`, "", "no_such_field"},
				{"form encoded", `reason=x`, "application/x-www-form-urlencoded", ""},
			} {
				r := e.call(apiCall{method: "POST", path: path, token: token, body: c.body, contentType: c.ct})
				wantProblem(t, c.what, r, http.StatusUnprocessableEntity, "invalid", c.field)
			}
		})
	}
	if n < 10 {
		t.Fatalf("only %d JSON bodies found", n)
	}
	// Nothing was done to the user or the operator.
	if r := e.api("GET", "/api/v1/users/kept", token, ""); r.user()["status"] != "invited" {
		t.Fatalf("the user changed: %v", r.body)
	}
	if op, err := e.store.FindOperatorByID(t.Context(), spare.ID); err != nil || op.Role != portal.RoleHelpdesk || !op.DisabledAt.IsZero() {
		t.Fatalf("the operator changed: %v %+v", err, op)
	}
}

package handlers_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/portal"
)

type apiResp struct {
	status int
	header http.Header
	body   map[string]any
}

func (e *env) api(method, path, token, body string) apiResp {
	e.t.Helper()
	return e.apiWith(method, path, token, body, nil)
}

// apiWith is e.api with extra request headers.
func (e *env) apiWith(method, path, token, body string, header http.Header) apiResp {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		e.t.Fatalf("%s %s: not JSON (%d): %.200s", method, path, resp.StatusCode, b)
	}
	return apiResp{status: resp.StatusCode, header: resp.Header, body: m}
}

// Every API error is an RFC 9457 problem detail: application/problem+json
// with type (naming the code), title (the status's name), status (the HTTP
// status, as a number), detail and instance, plus the code and field to
// branch on.
func TestAPIErrorsAreProblemDetails(t *testing.T) {
	e := newEnv(t)
	admin := e.apiTokenFor(e.mintOperator("adm", portal.RoleAdmin))
	auditor := e.apiTokenFor(e.mintOperator("aud", portal.RoleAuditor))
	for _, c := range []struct {
		name, method, path, token, body string
		status                          int
		code, field                     string
	}{
		{"no token", "GET", "/api/v1/users", "", "", 401, "unauthorized", ""},
		{"role", "POST", "/api/v1/users", auditor, `{}`, 403, "forbidden", ""},
		{"no endpoint", "GET", "/api/v1/nothing", admin, "", 404, "not_found", ""},
		{"no user", "GET", "/api/v1/users/nobody", admin, "", 404, "not_found", ""},
		{"bad field", "POST", "/api/v1/users", admin, `{"user_name":"has space"}`, 422, "invalid", "user_name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.api(c.method, c.path, c.token, c.body)
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Fatalf("content type %q", ct)
			}
			inst, _ := r.body["instance"].(string)
			detail, _ := r.body["detail"].(string)
			if r.status != c.status || r.body["status"] != float64(c.status) || r.body["type"] != "urn:gatehouse:problem:"+c.code ||
				r.body["title"] != http.StatusText(c.status) || detail == "" || !strings.HasPrefix(inst, "urn:gatehouse:request:") ||
				r.errCode() != c.code || r.errField() != c.field {
				t.Fatalf("%d %v", r.status, r.body)
			}
		})
	}
}

func (r apiResp) errCode() string {
	s, _ := r.body["code"].(string)
	return s
}

func (r apiResp) errField() string {
	s, _ := r.body["field"].(string)
	return s
}

func TestAPITokensAndUsers(t *testing.T) {
	e := newEnv(t)
	admin, secret := e.setupAdmin()
	p := admin.mintToken("ci", adminPassword, secret, nil)
	adminToken := p.testid("token-value")
	if p.status != http.StatusCreated || !strings.HasPrefix(adminToken, "gh_") {
		t.Fatalf("create token: %d %q", p.status, adminToken)
	}
	auditorToken := e.apiTokenFor(e.mintOperator("aud", portal.RoleAuditor))

	t.Run("admin creates a user and gets the invite URL once", func(t *testing.T) {
		r := e.api("POST", "/api/v1/users", adminToken, `{"user_name":"apiuser","display_name":"API User"}`)
		if r.status != http.StatusCreated || !strings.Contains(r.body["invite_url"].(string), "/invite/") {
			t.Fatalf("status %d: %v", r.status, r.body)
		}
		g := e.api("GET", "/api/v1/users/apiuser", auditorToken, "")
		if g.status != http.StatusOK || g.body["user"].(map[string]any)["status"] != "invited" {
			t.Fatalf("get: %d %v", g.status, g.body)
		}
		if _, leaked := g.body["invite_url"]; leaked {
			t.Fatal("GET shows the invite URL again")
		}
	})
	t.Run("an auditor token cannot create", func(t *testing.T) {
		r := e.api("POST", "/api/v1/users", auditorToken, `{"user_name":"nope"}`)
		if r.status != http.StatusForbidden || r.errCode() != "forbidden" {
			t.Fatalf("status %d code %q", r.status, r.errCode())
		}
	})
	t.Run("list with status filter and pagination", func(t *testing.T) {
		e.api("POST", "/api/v1/users", adminToken, `{"user_name":"apiuser2"}`)
		r := e.api("GET", "/api/v1/users?status=invited&limit=1", auditorToken, "")
		users := r.body["users"].([]any)
		next, _ := r.body["next"].(string)
		if r.status != http.StatusOK || len(users) != 1 || !strings.HasPrefix(next, "apiuser ") {
			t.Fatalf("page 1: %d %v", r.status, r.body)
		}
		r = e.api("GET", "/api/v1/users?status=invited&limit=1&after="+url.QueryEscape(next), auditorToken, "")
		if users := r.body["users"].([]any); len(users) != 1 || users[0].(map[string]any)["user_name"] != "apiuser2" || r.body["next"] != nil {
			t.Fatalf("page 2: %v", r.body)
		}
		if r := e.api("GET", "/api/v1/users?status=sleeping", auditorToken, ""); r.status != 422 || r.errField() != "status" {
			t.Fatalf("bad status filter: %d %v", r.status, r.body)
		}
	})
	t.Run("resend invite", func(t *testing.T) {
		r := e.api("POST", "/api/v1/users/apiuser/invite", adminToken, "")
		if r.status != http.StatusCreated || !strings.Contains(r.body["invite_url"].(string), "/invite/") {
			t.Fatalf("status %d: %v", r.status, r.body)
		}
		if r := e.api("POST", "/api/v1/users/nobody/invite", adminToken, ""); r.status != http.StatusNotFound || r.errCode() != "not_found" {
			t.Fatalf("unknown user: %d %v", r.status, r.body)
		}
	})
	t.Run("bad JSON bodies say what is wrong", func(t *testing.T) {
		for _, tc := range []struct{ name, body, field, msg string }{
			{"not JSON", `{"user_name":`, "", "not valid JSON"},
			{"empty", ` `, "", "empty"},
			{"unknown field", `{"user":"x"}`, "user", "Unknown field"},
			{"wrong type", `{"user_name":5}`, "user_name", "must be a string"},
			{"invalid name", `{"user_name":"has space"}`, "user_name", "letters, digits"},
			{"deadline not a time", `{"user_name":"dl","deadline":"tomorrow"}`, "deadline", "RFC 3339"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := e.api("POST", "/api/v1/users", adminToken, tc.body)
				msg, _ := r.body["detail"].(string)
				if r.status != 422 || r.errCode() != "invalid" || r.errField() != tc.field || !strings.Contains(msg, tc.msg) {
					t.Fatalf("status %d: %v", r.status, r.body)
				}
			})
		}
	})
	t.Run("a revoked token stops working", func(t *testing.T) {
		id, _ := admin.get("/tokens").doc.Find(`[data-testid="token-row"][data-name="ci"] form`).Attr("action")
		p := admin.post(id, nil)
		if p.status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", p.status)
		}
		if got := admin.follow(p).testid("flash"); !strings.Contains(got, "revoked") {
			t.Errorf("the revocation is not confirmed: %q", got)
		}
		if r := e.api("GET", "/api/v1/users", adminToken, ""); r.status != http.StatusUnauthorized || r.errCode() != "unauthorized" {
			t.Fatalf("revoked token: %d %v", r.status, r.body)
		}
	})
	t.Run("a session cookie does not drive the API", func(t *testing.T) {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/users", nil)
		u, _ := url.Parse(e.srv.URL)
		for _, c := range admin.http.Jar.Cookies(u) {
			req.AddCookie(c)
		}
		resp, _ := http.DefaultClient.Do(req)
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("cookie-authenticated API call: %d", resp.StatusCode)
		}
	})
}

// TestAPIJSONIsCompactUnlessAskedPretty: answers and problems are compact
// JSON (no indentation to allocate and send), and ?pretty indents both.
func TestAPIJSONIsCompactUnlessAskedPretty(t *testing.T) {
	e := newEnv(t)
	admin := e.apiTokenFor(e.mintOperator("adm", portal.RoleAdmin))
	get := func(path string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if !json.Valid(b) {
			t.Fatalf("GET %s: not JSON: %.200s", path, b)
		}
		return string(b)
	}
	for _, path := range []string{"/api/v1/users?limit=5", "/api/v1/users/nobody", "/api/v1/users?limit=5&pretty=0"} {
		if body := get(path); strings.Contains(strings.TrimSuffix(body, "\n"), "\n") {
			t.Errorf("GET %s is indented: %.200s", path, body)
		}
	}
	for _, path := range []string{"/api/v1/users?limit=5&pretty", "/api/v1/users/nobody?pretty=1", "/api/v1/users?pretty=true"} {
		if body := get(path); !strings.Contains(body, "\n  \"") {
			t.Errorf("GET %s is not indented: %.200s", path, body)
		}
	}
}

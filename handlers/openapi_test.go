package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/gatehouse/portal/handlers"
)

// openAPI loads the API's OpenAPI document (OpenAPI 3.1, which kin-openapi
// validates with its JSON Schema 2020-12 validator) and a router over it.
var openAPI = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(handlers.OpenAPIYAML())
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("the OpenAPI document is not valid: %w", err)
	}
	// The test server listens on a random address: match any host.
	doc.Servers = nil
	return doc, nil
})

var openAPIRouter = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openAPI()
	if err != nil {
		return nil, err
	}
	return legacy.NewRouter(doc)
})

func mustOpenAPI(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	router, err := openAPIRouter()
	if err != nil {
		t.Fatal(err)
	}
	return doc, router
}

// validateAPI wraps the test server's handler: every request under
// /api/v1/ and its answer are checked against the OpenAPI document, so
// each API call any handler test makes also tests the document. An answer
// that does not match its operation's response fails the test; so does a
// request the document does not allow that the portal accepted (2xx) — a
// bad request refused with a problem is what the bad-input tests send. A
// path the document does not know must be answered 404 not_found.
func validateAPI(t *testing.T, next http.Handler) http.Handler {
	_, router := mustOpenAPI(t)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/") || strings.HasPrefix(r.URL.Path, "/api/v1/bench/") {
			next.ServeHTTP(w, r)
			return
		}
		// What the handler reads of the body is kept (up to 4 MiB), so a
		// refused oversized body is not read here beyond the portal's cap.
		var reqBody bytes.Buffer
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.TeeReader(r.Body, &limitedWriter{w: &reqBody, n: 4 << 20}), r.Body}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		if err := checkAPIExchange(router, r, reqBody.Bytes(), rec); err != nil {
			t.Errorf("OpenAPI: %s %s → %d: %v\nanswer: %.400s", r.Method, r.URL.RequestURI(), rec.Code, err, rec.Body.String())
		}
	})
}

type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(b []byte) (int, error) {
	if l.n > 0 {
		k := min(len(b), l.n)
		l.w.Write(b[:k])
		l.n -= k
	}
	return len(b), nil
}

// checkAPIExchange validates one request and its answer.
func checkAPIExchange(router routers.Router, r *http.Request, body []byte, rec *httptest.ResponseRecorder) error {
	req := r.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.URL.Scheme, req.URL.Host = "http", r.Host
	route, params, err := router.FindRoute(req)
	if err != nil {
		var problem struct{ Code string }
		if rec.Code == http.StatusNotFound && json.Unmarshal(rec.Body.Bytes(), &problem) == nil && problem.Code == "not_found" {
			return nil
		}
		return fmt.Errorf("no operation in the document: %w", err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && rec.Code < 400 {
		return fmt.Errorf("the portal accepted a request the document does not allow: %w", err)
	}
	in.Request.Body = io.NopCloser(bytes.NewReader(body))
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("the answer does not match the document: %w", err)
	}
	return nil
}

// The document and the route table describe the same API: every /api/v1
// route has its operation, every operation its route, and each operation's
// x-gatehouse-access is the route's access level (the route table stays
// the one authorization rule; the document only reports it).
func TestOpenAPIMatchesRouteTable(t *testing.T) {
	doc, _ := mustOpenAPI(t)
	inDoc := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			access, _ := op.Extensions["x-gatehouse-access"].(string)
			inDoc[method+" "+path] = access
		}
	}
	inRoutes := map[string]string{}
	for _, rt := range (&handlers.Server{}).Routes() {
		if strings.HasPrefix(rt.Pattern, "/api/") {
			inRoutes[rt.Method+" "+rt.Pattern] = string(rt.Access)
		}
	}
	for k, access := range inRoutes {
		got, ok := inDoc[k]
		switch {
		case !ok:
			t.Errorf("route %s is missing from the OpenAPI document", k)
		case got != access:
			t.Errorf("%s: the document says x-gatehouse-access %q, the route table %q", k, got, access)
		}
	}
	for k := range inDoc {
		if _, ok := inRoutes[k]; !ok {
			t.Errorf("the OpenAPI document describes %s, which has no route", k)
		}
	}
}

// docs/api.md's endpoint table lists exactly the document's operations,
// with each one's roles.
func TestAPIDocListsTheDocument(t *testing.T) {
	doc, _ := mustOpenAPI(t)
	md, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]string{"public": "anyone", "auditor": "auditor, helpdesk, admin", "helpdesk": "helpdesk, admin",
		"admin": "admin", "audit": "auditor, admin"}
	var want []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			access, _ := op.Extensions["x-gatehouse-access"].(string)
			want = append(want, fmt.Sprintf("| `%s %s` | %s |", method, path, roles[access]))
		}
	}
	row := regexp.MustCompile("(?m)^\\| `(GET|POST|PUT|PATCH|DELETE) /api/v1/[^`]*` \\|[^|\\n]*\\|")
	got := row.FindAllString(string(md), -1)
	slices.Sort(want)
	slices.Sort(got)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("docs/api.md lacks the row %s", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			t.Errorf("docs/api.md lists %s, which is not in the OpenAPI document (or has other roles)", g)
		}
	}
}

// The portal serves the document at /api/v1/openapi.json, without a token.
func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t)
	r := e.api("GET", "/api/v1/openapi.json", "", "")
	if r.status != http.StatusOK || r.body["openapi"] != "3.1.0" {
		t.Fatalf("%d %.200v", r.status, r.body)
	}
	paths, _ := r.body["paths"].(map[string]any)
	if _, ok := paths["/api/v1/users/{name}/offboard"]; !ok {
		t.Fatalf("the served document lacks the offboard operation: %v", r.body["paths"])
	}
}

// Every operation that answers with the API's JSON declares the pretty
// parameter (apiJSON and apiError indent for it), by the one reusable
// component; the document itself is served indented and takes none.
func TestOpenAPIEveryOperationTakesPretty(t *testing.T) {
	doc, _ := mustOpenAPI(t)
	pretty := doc.Components.Parameters["Pretty"]
	if pretty == nil || pretty.Value.In != "query" || pretty.Value.Name != "pretty" {
		t.Fatalf("no query parameter component Pretty: %+v", pretty)
	}
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			has := slices.ContainsFunc(op.Parameters, func(p *openapi3.ParameterRef) bool { return p.Ref == "#/components/parameters/Pretty" })
			switch {
			case op.OperationID == "getOpenAPI" && has:
				t.Errorf("%s %s takes pretty, but the document is always indented", method, path)
			case op.OperationID != "getOpenAPI" && !has:
				t.Errorf("%s %s does not declare the pretty parameter ($ref: '#/components/parameters/Pretty')", method, path)
			case has:
				n++
			}
		}
	}
	if n < 40 {
		t.Fatalf("only %d operations take pretty", n)
	}
}

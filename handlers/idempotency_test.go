package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store/storetest"
)

// apiKeyed is e.api with an Idempotency-Key.
func (e *env) apiKeyed(method, path, token, key, body string) apiResp {
	e.t.Helper()
	return e.apiWith(method, path, token, body, http.Header{"Idempotency-Key": {key}})
}

// A POST retried with the same Idempotency-Key gets the first answer again
// and acts once: a lost answer to a create never onboards twice. The kept
// answer has no invite URL.
func TestAPIIdempotencyKey(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			e := newEnvOn(t, engine, storetest.DSN(t, engine))
			ctx := context.Background()
			admin := e.mintOperator("adm", portal.RoleAdmin)
			token, other := e.apiTokenFor(admin), e.apiTokenFor(e.mintOperator("adm2", portal.RoleAdmin))
			create := `{"user_name":"idem","email":"idem@example.com"}`
			first := e.apiKeyed("POST", "/api/v1/users", token, "k-1", create)
			if first.status != 201 || first.body["invite_url"] == nil || first.header.Get("Idempotent-Replayed") != "" {
				t.Fatalf("first: %d %v", first.status, first.body)
			}
			again := e.apiKeyed("POST", "/api/v1/users", token, "k-1", create)
			if again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" || again.body["invite_url"] != nil {
				t.Fatalf("retry: %d %v %v", again.status, again.header, again.body)
			}
			if u, _ := again.body["user"].(map[string]any); u["user_name"] != "idem" {
				t.Fatalf("retry answer: %v", again.body)
			}
			if got := e.audited("idem", "user.onboard"); len(got) != 1 {
				t.Fatalf("onboarded %d times", len(got))
			}
			// Without the key the same request acts again (and is refused).
			if r := e.api("POST", "/api/v1/users", token, create); r.status != http.StatusConflict && r.status != http.StatusUnprocessableEntity {
				t.Fatalf("unkeyed repeat: %d %v", r.status, r.body)
			}
			// The same key for another request is refused; another
			// operator's keys are their own.
			if r := e.apiKeyed("POST", "/api/v1/users", token, "k-1", `{"user_name":"idem-two"}`); r.status != 422 || r.errCode() != "invalid" {
				t.Fatalf("reused key: %d %v", r.status, r.body)
			}
			if r := e.apiKeyed("POST", "/api/v1/users", other, "k-1", `{"user_name":"idem-two"}`); r.status != 201 {
				t.Fatalf("another operator's key: %d %v", r.status, r.body)
			}
			// An error answer is kept too.
			if r := e.apiKeyed("POST", "/api/v1/users", token, "k-2", `{"user_name":"has space"}`); r.status != 422 {
				t.Fatalf("bad name: %d", r.status)
			}
			if r := e.apiKeyed("POST", "/api/v1/users", token, "k-2", `{"user_name":"has space"}`); r.status != 422 || r.header.Get("Idempotent-Replayed") != "true" ||
				!strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
				t.Fatalf("bad name replayed: %d %v", r.status, r.header)
			}
			if r := e.apiKeyed("POST", "/api/v1/users", token, "bad\tkey", create); r.status != 422 {
				t.Fatalf("control character in the key: %d", r.status)
			}
			// What is kept holds no invite link.
			now := e.clock()
			claimed, rec, err := e.store.ClaimIdempotencyKey(ctx, admin.ID, "k-1", "", now, now.Add(-time.Hour))
			if err != nil || claimed || strings.Contains(rec.Body, "/invite/") || !strings.Contains(rec.Body, "idem") {
				t.Fatalf("kept: %v %v %+v", claimed, err, rec)
			}
		})
	}
}

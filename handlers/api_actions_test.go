package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/notify/smtptest"
	"github.com/gatehouse/portal/store"
)

// apiCall is one JSON API request of a test.
type apiCall struct {
	method, path, token string
	body, contentType   string
	key                 string // Idempotency-Key
}

func (e *env) call(c apiCall) apiResp {
	e.t.Helper()
	req, _ := http.NewRequest(c.method, e.srv.URL+c.path, strings.NewReader(c.body))
	switch {
	case c.contentType != "":
		req.Header.Set("Content-Type", c.contentType)
	case c.body != "":
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.key != "" {
		req.Header.Set("Idempotency-Key", c.key)
	}
	if len(c.body) > 1<<20 {
		// As curl does for a large body: the server refuses one over its
		// limit by Content-Length alone, so the body is never sent. Sent
		// anyway, the refusal's closed connection could reset the client
		// mid-write instead of showing the 413.
		req.Header.Set("Expect", "100-continue")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		e.t.Fatalf("%s %s: not JSON (%d): %.200s", c.method, c.path, resp.StatusCode, b)
	}
	return apiResp{status: resp.StatusCode, header: resp.Header, body: m}
}

// wantProblem fails unless r is a problem with status, code and field.
func wantProblem(t *testing.T, what string, r apiResp, status int, code, field string) {
	t.Helper()
	if r.status != status || r.errCode() != code || r.errField() != field || r.body["detail"] == "" {
		t.Errorf("%s: want %d %s field %q, got %d %v", what, status, code, field, r.status, r.body)
	}
}

func (r apiResp) user() map[string]any {
	u, _ := r.body["user"].(map[string]any)
	return u
}

func (r apiResp) list(key string) []any {
	l, _ := r.body[key].([]any)
	return l
}

// apiTokens mints an API token for an operator of each role.
func (e *env) apiTokens() (admin, helpdesk, auditor string) {
	return e.apiTokenFor(e.mintOperator("adm", portal.RoleAdmin)), e.apiTokenFor(e.mintOperator("help", portal.RoleHelpdesk)),
		e.apiTokenFor(e.mintOperator("aud", portal.RoleAuditor))
}

func TestAPIHelpdeskActions(t *testing.T) {
	e := newEnv(t)
	admin, help, aud := e.apiTokens()
	if r := e.api("POST", "/api/v1/users", admin, `{"user_name":"ann","email":"ann@example.com"}`); r.status != http.StatusCreated {
		t.Fatalf("create: %d %v", r.status, r.body)
	}
	deadline := func() string {
		return e.api("GET", "/api/v1/users/ann", aud, "").user()["deadline"].(string)
	}
	before := deadline()

	t.Run("extend refuses bad input and changes nothing", func(t *testing.T) {
		for _, c := range []struct{ name, body, field string }{
			{"nothing", `{"reason":"leave"}`, "deadline"},
			{"no reason", `{"days":3}`, "reason"},
			{"days not offered", `{"days":5,"reason":"leave"}`, "days"},
			{"both", `{"days":3,"deadline":"2030-01-01T00:00:00Z","reason":"leave"}`, "days"},
			{"days as text", `{"days":"3","reason":"leave"}`, "days"},
			{"deadline not a time", `{"deadline":"next week","reason":"leave"}`, "deadline"},
			{"past", `{"deadline":"2001-01-01T00:00:00Z","reason":"leave"}`, "deadline"},
			{"unknown field", `{"day":3,"reason":"leave"}`, "day"},
		} {
			wantProblem(t, c.name, e.api("POST", "/api/v1/users/ann/extend", help, c.body), 422, "invalid", c.field)
		}
		if got := deadline(); got != before {
			t.Fatalf("a refused extension moved the deadline: %s → %s", before, got)
		}
		wantProblem(t, "auditor", e.api("POST", "/api/v1/users/ann/extend", aud, `{"days":3,"reason":"leave"}`), 403, "forbidden", "")
		wantProblem(t, "no user", e.api("POST", "/api/v1/users/nobody/extend", help, `{"days":3,"reason":"leave"}`), 404, "not_found", "")
	})
	t.Run("extend by days and to a deadline", func(t *testing.T) {
		r := e.api("POST", "/api/v1/users/ann/extend", help, `{"days":7,"reason":"on leave"}`)
		if r.status != http.StatusOK || r.user()["deadline"] == before {
			t.Fatalf("%d %v", r.status, r.body)
		}
		r = e.api("POST", "/api/v1/users/ann/extend", help, `{"deadline":"2099-03-04T12:00:00Z","reason":"on leave"}`)
		if r.status != http.StatusOK || !strings.HasPrefix(r.user()["deadline"].(string), "2099-03-04T12:00:00") {
			t.Fatalf("%d %v", r.status, r.body)
		}
		wantProblem(t, "same day", e.api("POST", "/api/v1/users/ann/extend", help, `{"deadline":"2099-03-04T18:00:00Z","reason":"x"}`), 422, "invalid", "deadline")
	})
	t.Run("reset MFA needs a reason and who verified", func(t *testing.T) {
		wantProblem(t, "no reason", e.api("POST", "/api/v1/users/ann/reset-mfa", help, `{"verified_by":"video call"}`), 422, "invalid", "reason")
		wantProblem(t, "no verifier", e.api("POST", "/api/v1/users/ann/reset-mfa", help, `{"reason":"lost phone"}`), 422, "invalid", "verified_by")
		wantProblem(t, "no body", e.api("POST", "/api/v1/users/ann/reset-mfa", help, ``), 422, "invalid", "")
		r := e.api("POST", "/api/v1/users/ann/reset-mfa", help, `{"reason":"lost phone","verified_by":"video call"}`)
		if r.status != http.StatusCreated || !strings.Contains(r.body["invite_url"].(string), "/invite/") || r.user()["status"] != "invited" {
			t.Fatalf("%d %v", r.status, r.body)
		}
	})
	t.Run("revoke the invite", func(t *testing.T) {
		if r := e.api("POST", "/api/v1/users/ann/revoke-invite", help, ""); r.status != http.StatusOK || r.user()["user_name"] != "ann" {
			t.Fatalf("%d %v", r.status, r.body)
		}
		wantProblem(t, "nothing left", e.api("POST", "/api/v1/users/ann/revoke-invite", help, ""), 409, "conflict", "")
	})
	t.Run("audit events with filters and pages", func(t *testing.T) {
		r := e.api("GET", "/api/v1/audit/events?target=ann&kind=user&action=mfa.reset", aud, "")
		if ev := r.list("events"); r.status != 200 || len(ev) != 1 || !strings.Contains(ev[0].(map[string]any)["detail"].(string), "lost phone") {
			t.Fatalf("%d %v", r.status, r.body)
		}
		r = e.api("GET", "/api/v1/audit/events?target=ann&limit=1", aud, "")
		first := r.list("events")
		next, _ := r.body["next"].(string)
		if len(first) != 1 || next == "" {
			t.Fatalf("page 1: %v", r.body)
		}
		r = e.api("GET", "/api/v1/audit/events?target=ann&limit=1&after="+next, aud, "")
		if ev := r.list("events"); len(ev) != 1 || ev[0].(map[string]any)["id"].(float64) >= first[0].(map[string]any)["id"].(float64) {
			t.Fatalf("page 2 is not older: %v then %v", first, r.body)
		}
		now := time.Now().UTC()
		r = e.api("GET", "/api/v1/audit/events?target=ann&since="+now.Add(time.Hour).Format(time.RFC3339), aud, "")
		if len(r.list("events")) != 0 {
			t.Fatalf("since in the future: %v", r.body)
		}
		wantProblem(t, "bad since", e.api("GET", "/api/v1/audit/events?since=yesterday", aud, ""), 422, "invalid", "since")
		wantProblem(t, "bad kind", e.api("GET", "/api/v1/audit/events?kind=planet", aud, ""), 422, "invalid", "kind")
		wantProblem(t, "bad limit", e.api("GET", "/api/v1/audit/events?limit=0", aud, ""), 422, "invalid", "limit")
		wantProblem(t, "bad after", e.api("GET", "/api/v1/audit/events?after=abc", aud, ""), 422, "invalid", "after")
		wantProblem(t, "order", e.api("GET", "/api/v1/audit/events?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", aud, ""), 422, "invalid", "until")
		wantProblem(t, "helpdesk", e.api("GET", "/api/v1/audit/events", help, ""), 403, "forbidden", "")
	})
	t.Run("offboard needs a reason", func(t *testing.T) {
		wantProblem(t, "helpdesk", e.api("POST", "/api/v1/users/ann/offboard", help, `{"reason":"left"}`), 403, "forbidden", "")
		wantProblem(t, "no reason", e.api("POST", "/api/v1/users/ann/offboard", admin, `{"reason":"  "}`), 422, "invalid", "reason")
		if _, err := e.rawIAM().GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("ann")}); err != nil {
			t.Fatalf("a refused offboard removed the IAM user: %v", err)
		}
		r := e.api("POST", "/api/v1/users/ann/offboard", admin, `{"reason":"left the company"}`)
		if r.status != http.StatusOK || r.user()["status"] != "offboarded" {
			t.Fatalf("%d %v", r.status, r.body)
		}
		if _, err := e.rawIAM().GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("ann")}); err == nil {
			t.Fatal("the IAM user is still there")
		}
	})
	t.Run("retry of a finished onboarding", func(t *testing.T) {
		r := e.api("POST", "/api/v1/users/ann/retry", admin, "")
		if r.status < 400 || r.errCode() == "" {
			t.Fatalf("%d %v", r.status, r.body)
		}
	})
	t.Run("sync", func(t *testing.T) {
		wantProblem(t, "auditor", e.api("POST", "/api/v1/sync", aud, ""), 403, "forbidden", "")
		if r := e.api("POST", "/api/v1/sync", help, ""); r.status != http.StatusOK || r.body["users"] == nil {
			t.Fatalf("%d %v", r.status, r.body)
		}
	})
	t.Run("devices", func(t *testing.T) {
		if r := e.api("GET", "/api/v1/devices", help, ""); r.status != 200 || r.list("devices") == nil {
			t.Fatalf("%d %v", r.status, r.body)
		}
		wantProblem(t, "nothing", e.api("POST", "/api/v1/devices/delete", help, `{}`), 422, "invalid", "serial")
		wantProblem(t, "both", e.api("POST", "/api/v1/devices/delete", help, `{"serial":"arn:x","all":true}`), 422, "invalid", "serial")
		wantProblem(t, "all as text", e.api("POST", "/api/v1/devices/delete", help, `{"all":"yes"}`), 422, "invalid", "all")
		if r := e.api("POST", "/api/v1/devices/delete", help, `{"all":true}`); r.status != 200 || r.body["deleted"] != float64(0) {
			t.Fatalf("%d %v", r.status, r.body)
		}
	})
	t.Run("policy status, drift and publish", func(t *testing.T) {
		r := e.api("GET", "/api/v1/policy", aud, "")
		if r.status != 200 || r.body["state"] == nil {
			t.Fatalf("%d %v", r.status, r.body)
		}
		if r := e.api("GET", "/api/v1/policy/drift", aud, ""); r.status != 200 || r.body["state"] == nil {
			t.Fatalf("%d %v", r.status, r.body)
		}
		wantProblem(t, "matrix without a user", e.api("GET", "/api/v1/policy/matrix", aud, ""), 422, "invalid", "user")
		wantProblem(t, "matrix of a stranger", e.api("GET", "/api/v1/policy/matrix?user=nobody", aud, ""), 404, "not_found", "user")
		if r := e.api("POST", "/api/v1/users", admin, `{"user_name":"bea"}`); r.status != http.StatusCreated {
			t.Fatalf("create: %d %v", r.status, r.body)
		}
		m := e.api("GET", "/api/v1/policy/matrix?user=bea", aud, "")
		if rows := m.list("rows"); m.status != 200 || len(rows) == 0 || len(rows[0].(map[string]any)["cells"].([]any)) != 3 {
			t.Fatalf("matrix: %d %v", m.status, m.body)
		}
		wantProblem(t, "helpdesk publishes", e.api("POST", "/api/v1/policy/publish", help, ""), 403, "forbidden", "")
		if r := e.api("POST", "/api/v1/policy/publish", admin, ""); r.status != 200 || r.body["unchanged"] != true {
			t.Fatalf("%d %v", r.status, r.body)
		}
	})
	t.Run("paging parameters", func(t *testing.T) {
		for _, p := range []string{"/api/v1/users?limit=501", "/api/v1/devices?limit=x", "/api/v1/operators?limit=-1", "/api/v1/tokens?limit=0"} {
			wantProblem(t, p, e.api("GET", p, admin, ""), 422, "invalid", "limit")
		}
		wantProblem(t, "operators after", e.api("GET", "/api/v1/operators?after=bob", admin, ""), 422, "invalid", "after")
	})
}

// Adoption and the posture remedy over the API, against IAM users made
// outside Gatehouse.
func TestAPIAdoptAndDisable(t *testing.T) {
	e := newEnv(t)
	admin, help, _ := e.apiTokens()
	ctx := context.Background()
	for _, n := range []string{"legacy", "old"} {
		if _, err := e.rawIAM().CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(n)}); err != nil {
			t.Fatal(err)
		}
	}
	r := e.api("GET", "/api/v1/adopt?limit=1", admin, "")
	if c := r.list("candidates"); r.status != 200 || len(c) != 1 || r.body["next"] == nil {
		t.Fatalf("%d %v", r.status, r.body)
	}
	wantProblem(t, "helpdesk", e.api("GET", "/api/v1/adopt", help, ""), 403, "forbidden", "")
	wantProblem(t, "no name", e.api("POST", "/api/v1/adopt", admin, `{}`), 422, "invalid", "user_name")
	wantProblem(t, "no such user", e.api("POST", "/api/v1/adopt", admin, `{"user_name":"ghost","reason":"x"}`), 404, "not_found", "")
	wantProblem(t, "no reason", e.api("POST", "/api/v1/adopt", admin, `{"user_name":"legacy"}`), 422, "invalid", "reason")
	if r := e.api("GET", "/api/v1/users/legacy", admin, ""); r.status != http.StatusNotFound {
		t.Fatalf("an adoption without a reason took the user: %d %v", r.status, r.body)
	}
	r = e.api("POST", "/api/v1/adopt", admin, `{"user_name":"legacy","reason":"ticket 4711"}`)
	if r.status != http.StatusCreated || r.user()["status"] != "invited" || !strings.Contains(r.body["invite_url"].(string), "/invite/") {
		t.Fatalf("%d %v", r.status, r.body)
	}
	if got := e.audited("legacy", "user.adopt"); len(got) != 1 || !strings.HasSuffix(got[0], "reason: ticket 4711") {
		t.Fatalf("the API's reason is not in the audit entry: %q", got)
	}
	for _, c := range e.api("GET", "/api/v1/adopt", admin, "").list("candidates") {
		if c.(map[string]any)["user_name"] == "legacy" {
			t.Fatal("an adopted user is still a candidate")
		}
	}
	before := e.api("GET", "/api/v1/posture", help, "")
	if r := e.api("POST", "/api/v1/sync", help, ""); r.status != http.StatusOK {
		t.Fatalf("sync: %d %v", r.status, r.body)
	}
	r = e.api("GET", "/api/v1/posture", help, "")
	if r.status != http.StatusOK || len(r.list("findings")) == 0 || r.body["users"] == nil {
		t.Fatalf("posture after a sync: %d %v (before: %d %v)", r.status, r.body, before.status, before.body)
	}
	wantProblem(t, "notice without a name", e.api("POST", "/api/v1/posture/notice", admin, `{"reason":"old keys"}`), 422, "invalid", "user_name")
	wantProblem(t, "notice without a reason", e.api("POST", "/api/v1/posture/notice", admin, `{"user_name":"legacy"}`), 422, "invalid", "reason")
	wantProblem(t, "notice without e-mail", e.api("POST", "/api/v1/posture/notice", admin, `{"user_name":"legacy","reason":"old keys"}`), 503, "unavailable", "")
	wantProblem(t, "disable without a name", e.api("POST", "/api/v1/posture/disable", admin, `{"reason":"unused"}`), 422, "invalid", "user_name")
	wantProblem(t, "disable without a reason", e.api("POST", "/api/v1/posture/disable", admin, `{"user_name":"old"}`), 422, "invalid", "reason")
}

func TestAPIBulk(t *testing.T) {
	e := newBulkEnv(t)
	admin, help, _ := e.apiTokens()
	csv := "user_name,display_name,email,deadline\nbulk1,Bulk One,b1@example.com,\nbad name,X,x@example.com,\nbulk2,Bulk Two,b2@example.com,\n"
	post := func(path, body, ct, key string) apiResp {
		return e.call(apiCall{method: "POST", path: path, token: admin, body: body, contentType: ct, key: key})
	}

	wantProblem(t, "JSON instead of CSV", post("/api/v1/bulk/check", `{"csv":"x"}`, "application/json", ""), 422, "invalid", "")
	wantProblem(t, "helpdesk", e.call(apiCall{method: "POST", path: "/api/v1/bulk", token: help, body: csv, contentType: "text/csv"}), 403, "forbidden", "")
	r := post("/api/v1/bulk/check", csv, "text/csv", "")
	if r.status != 200 || len(r.list("accepted")) != 2 || len(r.list("rejected")) != 1 {
		t.Fatalf("check: %d %v", r.status, r.body)
	}
	if rej := r.list("rejected")[0].(map[string]any); rej["row"] != float64(3) || rej["code"] != "invalid" || rej["message"] == "" {
		t.Fatalf("the rejected row does not say why: %v", rej)
	}
	wantProblem(t, "no good row", post("/api/v1/bulk", "user_name\nbad name\n", "text/csv", ""), 422, "invalid", "file")
	wantProblem(t, "too large", post("/api/v1/bulk", strings.Repeat("x,y,z@example.com,\n", 150000), "text/csv", ""), 413, "too_large", "")
	wantProblem(t, "too large to check", post("/api/v1/bulk/check", strings.Repeat("x,y,z@example.com,\n", 150000), "text/csv", "big-1"), 413, "too_large", "")
	if r := e.api("GET", "/api/v1/bulk/1", admin, ""); r.status != http.StatusNotFound {
		t.Fatalf("a refused upload made a job: %d %v", r.status, r.body)
	}

	r = post("/api/v1/bulk", csv, "text/csv", "bulk-1")
	id, _ := r.body["job_id"].(float64)
	if r.status != http.StatusAccepted || id == 0 || len(r.list("rejected")) != 1 || r.header.Get("Location") == "" {
		t.Fatalf("start: %d %v", r.status, r.body)
	}
	if again := post("/api/v1/bulk", csv, "text/csv", "bulk-1"); again.body["job_id"] != r.body["job_id"] || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a retried start made another job: %v then %v", r.body, again.body)
	}
	job := "/api/v1/bulk/" + strconv.Itoa(int(id))
	eventually.True(t, 20*time.Second, 50*time.Millisecond, "the job did not finish", func() bool {
		return e.api("GET", job, admin, "").body["state"] == "done"
	})
	r = e.api("GET", job+"?limit=1", admin, "")
	if rows := r.list("rows"); r.body["done"] != float64(2) || len(rows) != 1 || r.body["next"] != "2" || r.body["invites_available"] != true {
		t.Fatalf("status: %v", r.body)
	}
	if rows := e.api("GET", job+"?after=2", admin, "").list("rows"); len(rows) != 1 || rows[0].(map[string]any)["user_name"] != "bulk2" {
		t.Fatalf("page 2: %v", rows)
	}
	r = post(job+"/invites", "", "", "take-1")
	rows := r.list("rows")
	if r.status != 200 || len(rows) != 2 || !strings.Contains(rows[0].(map[string]any)["invite_url"].(string), "/invite/") {
		t.Fatalf("invites: %d %v", r.status, r.body)
	}
	replay := post(job+"/invites", "", "", "take-1")
	if replay.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("not replayed: %v", replay.header)
	}
	for _, row := range replay.list("rows") {
		if _, ok := row.(map[string]any)["invite_url"]; ok {
			t.Fatalf("a replayed answer carries an invite link: %v", replay.body)
		}
	}
	for _, row := range post(job+"/invites", "", "", "").list("rows") {
		if _, ok := row.(map[string]any)["invite_url"]; ok {
			t.Fatal("the invite links were handed out twice")
		}
	}
	wantProblem(t, "no such job", e.api("GET", "/api/v1/bulk/999", admin, ""), 404, "not_found", "")
	wantProblem(t, "not a number", e.api("GET", "/api/v1/bulk/abc", admin, ""), 404, "not_found", "")
}

func TestAPIOperatorsAndTokens(t *testing.T) {
	e := newEnv(t)
	admin, help, aud := e.apiTokens()
	r := e.api("GET", "/api/v1/operators?limit=2", admin, "")
	ops := r.list("operators")
	if r.status != 200 || len(ops) != 2 || r.body["next"] == nil {
		t.Fatalf("%d %v", r.status, r.body)
	}
	if rest := e.api("GET", "/api/v1/operators?after="+r.body["next"].(string), admin, "").list("operators"); len(rest) != 1 || rest[0].(map[string]any)["username"] != "aud" {
		t.Fatalf("page 2: %v", rest)
	}
	wantProblem(t, "helpdesk", e.api("GET", "/api/v1/operators", help, ""), 403, "forbidden", "")

	wantProblem(t, "bad role", e.api("POST", "/api/v1/operators", admin, `{"username":"carol","role":"king"}`), 422, "invalid", "role")
	wantProblem(t, "role as number", e.api("POST", "/api/v1/operators", admin, `{"username":"carol","role":1}`), 422, "invalid", "role")
	r = e.call(apiCall{method: "POST", path: "/api/v1/operators", token: admin, body: `{"username":"carol","role":"helpdesk"}`, key: "op-1"})
	if r.status != http.StatusCreated || !strings.Contains(r.body["join_url"].(string), "/join/") {
		t.Fatalf("invite: %d %v", r.status, r.body)
	}
	replay := e.call(apiCall{method: "POST", path: "/api/v1/operators", token: admin, body: `{"username":"carol","role":"helpdesk"}`, key: "op-1"})
	if _, leaked := replay.body["join_url"]; leaked || replay.status != http.StatusCreated {
		t.Fatalf("replay: %d %v", replay.status, replay.body)
	}
	if inv := e.api("GET", "/api/v1/operators/invites", admin, "").list("invites"); len(inv) != 1 || inv[0].(map[string]any)["username"] != "carol" {
		t.Fatalf("pending: %v", inv)
	}
	if r := e.api("POST", "/api/v1/operators/invites/carol/revoke", admin, ""); r.status != 200 {
		t.Fatalf("revoke: %d %v", r.status, r.body)
	}
	if inv := e.api("GET", "/api/v1/operators/invites", admin, "").list("invites"); len(inv) != 0 {
		t.Fatalf("still pending: %v", inv)
	}
	wantProblem(t, "revoke again", e.api("POST", "/api/v1/operators/invites/carol/revoke", admin, ""), 404, "not_found", "")

	helpID := strconv.Itoa(int(ops[1].(map[string]any)["id"].(float64)))
	wantProblem(t, "bad role change", e.api("POST", "/api/v1/operators/"+helpID+"/role", admin, `{"role":"king"}`), 422, "invalid", "role")
	if r := e.api("POST", "/api/v1/operators/"+helpID+"/role", admin, `{"role":"auditor"}`); r.status != 200 || r.body["operator"].(map[string]any)["role"] != "auditor" {
		t.Fatalf("role: %d %v", r.status, r.body)
	}
	// The token follows its operator's current role at once.
	wantProblem(t, "demoted", e.api("POST", "/api/v1/sync", help, ""), 403, "forbidden", "")
	if r := e.api("POST", "/api/v1/operators/"+helpID+"/disable", admin, ""); r.status != 200 || r.body["operator"].(map[string]any)["disabled"] != true {
		t.Fatalf("disable: %d %v", r.status, r.body)
	}
	wantProblem(t, "disabled", e.api("GET", "/api/v1/users", help, ""), 401, "unauthorized", "")
	if r := e.api("POST", "/api/v1/operators/"+helpID+"/enable", admin, ""); r.status != 200 || r.body["operator"].(map[string]any)["disabled"] != false {
		t.Fatalf("enable: %d %v", r.status, r.body)
	}
	wantProblem(t, "no such operator", e.api("POST", "/api/v1/operators/99999/disable", admin, ""), 404, "not_found", "")
	wantProblem(t, "reset without a reason", e.api("POST", "/api/v1/operators/"+helpID+"/reset-totp", admin, `{}`), 422, "invalid", "reason")
	if r := e.api("POST", "/api/v1/operators/"+helpID+"/reset-totp", admin, `{"reason":"lost phone"}`); r.status != 200 || !strings.Contains(r.body["join_url"].(string), "/join/") {
		t.Fatalf("reset: %d %v", r.status, r.body)
	}
	wantProblem(t, "reset revoked the tokens", e.api("GET", "/api/v1/users", help, ""), 401, "unauthorized", "")

	r = e.api("GET", "/api/v1/operators/tokens?limit=1", admin, "")
	toks := r.list("tokens")
	if r.status != 200 || len(toks) != 1 || r.body["next"] == nil {
		t.Fatalf("all tokens: %d %v", r.status, r.body)
	}
	mine := e.api("GET", "/api/v1/tokens", aud, "").list("tokens")
	if len(mine) != 1 {
		t.Fatalf("own tokens: %v", mine)
	}
	audTok := strconv.Itoa(int(mine[0].(map[string]any)["id"].(float64)))
	wantProblem(t, "auditor revokes another's token", e.api("POST", "/api/v1/tokens/"+strconv.Itoa(int(toks[0].(map[string]any)["id"].(float64)))+"/revoke", aud, ""), 404, "not_found", "")
	wantProblem(t, "auditor uses the admin list", e.api("GET", "/api/v1/operators/tokens", aud, ""), 403, "forbidden", "")
	if r := e.api("POST", "/api/v1/operators/tokens/"+audTok+"/revoke", admin, ""); r.status != 200 {
		t.Fatalf("revoke any: %d %v", r.status, r.body)
	}
	wantProblem(t, "revoked", e.api("GET", "/api/v1/tokens", aud, ""), 401, "unauthorized", "")
	wantProblem(t, "no such token", e.api("POST", "/api/v1/tokens/abc/revoke", admin, ""), 404, "not_found", "")
}

// The access-key notice over the API: queued for a managed user with a
// known address, refused for one Gatehouse does not manage.
func TestAPIKeyNotice(t *testing.T) {
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")), envOptions{smtp: smtptest.Start(t)})
	admin := e.apiTokenFor(e.mintOperator("adm", portal.RoleAdmin))
	if r := e.api("POST", "/api/v1/users", admin, `{"user_name":"keiko","email":"keiko@example.com"}`); r.status != http.StatusCreated {
		t.Fatalf("create: %d %v", r.status, r.body)
	}
	if _, err := e.iam.CreateUser(context.Background(), "outsider", nil); err != nil {
		t.Fatal(err)
	}
	e.createAccessKey("keiko")
	e.createAccessKey("keiko")
	r := e.api("POST", "/api/v1/posture/notice", admin, `{"user_name":"keiko","reason":"two active keys"}`)
	if r.status != http.StatusOK || r.body["to"] != "keiko@example.com" || len(r.list("keys")) != 2 {
		t.Fatalf("%d %v", r.status, r.body)
	}
	wantProblem(t, "not managed", e.api("POST", "/api/v1/posture/notice", admin, `{"user_name":"outsider","reason":"x"}`), 409, "conflict", "")
}

// The removal a provider's SCIM DELETE scheduled can be cancelled over the
// API by an admin with a reason.
func TestAPICancelRemoval(t *testing.T) {
	e := newEnv(t)
	admin, help, _ := e.apiTokens()
	token := e.scimTokenFor(e.mintOperator("idp-owner", portal.RoleAdmin), "Okta")
	p := scimProviders[0]
	id := e.scimDo("POST", "/scim/v2/Users", token, p.create).str("id")
	if r := e.scimDo("DELETE", "/scim/v2/Users/"+id, token, ""); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d", r.status)
	}
	path := "/api/v1/users/" + p.userName + "/cancel-removal"
	wantProblem(t, "helpdesk", e.api("POST", path, help, `{"reason":"mistake"}`), 403, "forbidden", "")
	wantProblem(t, "no reason", e.api("POST", path, admin, `{"reason":" "}`), 422, "invalid", "reason")
	if r := e.api("POST", path, admin, `{"reason":"unassigned by mistake"}`); r.status != http.StatusOK || r.user()["user_name"] != p.userName {
		t.Fatalf("cancel: %d %v", r.status, r.body)
	}
	if got := e.audited(p.userName, "user.scim.cancel"); len(got) != 1 || !strings.Contains(got[0], "unassigned by mistake") {
		t.Fatalf("cancel audit: %q", got)
	}
	wantProblem(t, "nothing scheduled", e.api("POST", path, admin, `{"reason":"again"}`), 409, "conflict", "")
}

package handlers_test

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/portal/store"
)

// account returns the account member of an answer.
func (r apiResp) account() map[string]any {
	a, _ := r.body["account"].(map[string]any)
	return a
}

// accountIDs lists the IDs of GET /api/v1/accounts.
func (e *env) accountIDs(token string) []string {
	e.t.Helper()
	r := e.api("GET", "/api/v1/accounts", token, "")
	if r.status != http.StatusOK {
		e.t.Fatalf("list accounts: %d %v", r.status, r.body)
	}
	var out []string
	for _, a := range r.list("accounts") {
		out = append(out, a.(map[string]any)["id"].(string))
	}
	return out
}

// An admin manages member accounts over the API as on the accounts page:
// remove, discover, add (checked at once; a wrong external ID is kept
// unreachable with the reason, as the page keeps it), edit (refused, the
// old kept, when the new settings do not reach the account), check, get
// and list by key, each audited as the page's action.
func TestAPIAccountLifecycle(t *testing.T) {
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")), envOptions{members: []string{memberA, memberB}})
	admin, help, aud := e.apiTokens()
	hub := e.emu.AccountID()

	if got := e.accountIDs(admin); strings.Join(got, ",") != strings.Join([]string{hub, memberA, memberB}, ",") {
		t.Fatalf("accounts %v", got)
	}
	t.Run("list pages by key", func(t *testing.T) {
		p1 := e.api("GET", "/api/v1/accounts?limit=2", admin, "")
		if l := p1.list("accounts"); len(l) != 2 || p1.body["next"] != memberA {
			t.Fatalf("page 1: %d %v", p1.status, p1.body)
		}
		p2 := e.api("GET", "/api/v1/accounts?limit=2&after="+memberA, admin, "")
		if l := p2.list("accounts"); len(l) != 1 || l[0].(map[string]any)["id"] != memberB || p2.body["next"] != nil {
			t.Fatalf("page 2: %d %v", p2.status, p2.body)
		}
		wantProblem(t, "limit 0", e.api("GET", "/api/v1/accounts?limit=0", admin, ""), http.StatusUnprocessableEntity, "invalid", "limit")
	})

	r := e.call(apiCall{method: "POST", path: "/api/v1/accounts/" + memberB + "/remove", token: admin, key: "rm-b"})
	if r.status != http.StatusOK || r.body["removed"] != memberB {
		t.Fatalf("remove: %d %v", r.status, r.body)
	}
	if got := e.audited(memberB, "account.remove"); len(got) != 1 || !strings.HasPrefix(got[0], "adm: ") {
		t.Fatalf("remove audited as %v", got)
	}
	d := e.call(apiCall{method: "POST", path: "/api/v1/accounts/discover", token: admin, key: "disc-1"})
	if b, _ := json.Marshal(d.body); d.status != http.StatusOK || !strings.Contains(string(b), `"id":"`+memberB+`"`) || strings.Contains(string(b), memberA) {
		t.Fatalf("discover: %d %s", d.status, b)
	}

	t.Run("a wrong external ID is kept unreachable with the reason", func(t *testing.T) {
		r := e.api("POST", "/api/v1/accounts", admin, `{"account_id":"`+memberB+`","external_id":"not-the-one"}`)
		a := r.account()
		if r.status != http.StatusCreated || a["status"] != "unreachable" || !strings.Contains(a["reason"].(string), "external ID is wrong") {
			t.Fatalf("add: %d %v", r.status, r.body)
		}
		if r := e.api("POST", "/api/v1/accounts/"+memberB+"/remove", admin, ""); r.status != http.StatusOK {
			t.Fatalf("remove again: %d %v", r.status, r.body)
		}
	})

	body := `{"account_id":"` + memberB + `","name":"staging","external_id":"` + memberExternalID + `"}`
	r = e.call(apiCall{method: "POST", path: "/api/v1/accounts", token: admin, body: body, key: "add-b"})
	a := r.account()
	if r.status != http.StatusCreated || a["status"] != "reachable" || a["name"] != "staging" || a["created_by"] != "adm" ||
		a["role_arn"] != "arn:aws:iam::"+memberB+":role/GatehouseAdmin" || r.header.Get("Location") != "/api/v1/accounts/"+memberB {
		t.Fatalf("add: %d %v %v", r.status, r.header, r.body)
	}
	if b, _ := json.Marshal(r.body); a["external_id"] != memberExternalID || strings.Contains(strings.ToLower(string(b)), "secret") ||
		strings.Contains(string(b), "ASIA") || strings.Contains(string(b), "session") {
		t.Fatalf("the answer lacks the external ID the edit page shows, or shows a credential: %s", b)
	}
	t.Run("a replay answers again and adds nothing", func(t *testing.T) {
		again := e.call(apiCall{method: "POST", path: "/api/v1/accounts", token: admin, body: body, key: "add-b"})
		if again.status != http.StatusCreated || again.header.Get("Idempotent-Replayed") != "true" || again.account()["id"] != memberB {
			t.Fatalf("replay: %d %v", again.status, again.body)
		}
		if got := e.audited(memberB, "account.add"); len(got) != 3 {
			t.Fatalf("added %d times, want 3 (the env's, the unreachable one and this)", len(got))
		}
		dup := e.api("POST", "/api/v1/accounts", admin, body)
		wantProblem(t, "added twice", dup, http.StatusUnprocessableEntity, "invalid", "account_id")
	})
	t.Run("get and check", func(t *testing.T) {
		g := e.api("GET", "/api/v1/accounts/"+memberB, admin, "")
		if g.status != http.StatusOK || g.account()["name"] != "staging" || g.account()["checked_at"] == nil {
			t.Fatalf("get: %d %v", g.status, g.body)
		}
		c := e.call(apiCall{method: "POST", path: "/api/v1/accounts/" + memberB + "/check", token: admin, key: "chk-b"})
		if c.status != http.StatusOK || c.account()["status"] != "reachable" {
			t.Fatalf("check: %d %v", c.status, c.body)
		}
		hubCheck := e.api("POST", "/api/v1/accounts/"+hub+"/check", admin, "")
		if hubCheck.status != http.StatusOK || hubCheck.account()["hub"] != true {
			t.Fatalf("check hub: %d %v", hubCheck.status, hubCheck.body)
		}
		wantProblem(t, "remove the hub", e.api("POST", "/api/v1/accounts/"+hub+"/remove", admin, ""), http.StatusConflict, "conflict", "")
	})
	t.Run("edit: settings that do not reach the account keep the old", func(t *testing.T) {
		bad := e.call(apiCall{method: "POST", path: "/api/v1/accounts/" + memberB + "/edit", token: admin, key: "edit-bad",
			body: `{"name":"renamed","external_id":"not-the-one"}`})
		wantProblem(t, "wrong external ID", bad, http.StatusUnprocessableEntity, "invalid", "")
		if detail, _ := bad.body["detail"].(string); !strings.Contains(detail, "external ID is wrong") {
			t.Errorf("the refusal does not say why: %q", detail)
		}
		wantProblem(t, "other partition", e.api("POST", "/api/v1/accounts/"+memberB+"/edit", admin,
			`{"role_arn":"arn:aws-us-gov:iam::`+memberB+`:role/GatehouseAdmin"}`), http.StatusUnprocessableEntity, "invalid", "role_arn")
		g := e.api("GET", "/api/v1/accounts/"+memberB, admin, "").account()
		if g["name"] != "staging" || g["external_id"] != memberExternalID || g["status"] != "reachable" {
			t.Fatalf("after refused edits: %v", g)
		}
		ok := e.call(apiCall{method: "POST", path: "/api/v1/accounts/" + memberB + "/edit", token: admin, key: "edit-ok",
			body: `{"name":"renamed","external_id":"` + memberExternalID + `"}`})
		if ok.status != http.StatusOK || ok.account()["name"] != "renamed" {
			t.Fatalf("edit: %d %v", ok.status, ok.body)
		}
		if got := e.audited(memberB, "account.edit"); len(got) != 1 || !strings.HasPrefix(got[0], "adm: ") {
			t.Fatalf("edit audited as %v", got)
		}
		wantProblem(t, "edit unknown", e.api("POST", "/api/v1/accounts/444444444444/edit", admin, `{"name":"x"}`), http.StatusNotFound, "not_found", "")
	})
	t.Run("unknown accounts are 404", func(t *testing.T) {
		for _, c := range []struct{ method, path string }{{"GET", "/api/v1/accounts/444444444444"},
			{"POST", "/api/v1/accounts/444444444444/check"}, {"POST", "/api/v1/accounts/444444444444/remove"}, {"GET", "/api/v1/accounts/nope"}} {
			wantProblem(t, c.method+" "+c.path, e.api(c.method, c.path, admin, ""), http.StatusNotFound, "not_found", "")
		}
	})
	t.Run("helpdesk and auditors may not", func(t *testing.T) {
		for _, tok := range []string{help, aud} {
			for _, c := range []struct{ method, path, body string }{{"GET", "/api/v1/accounts", ""}, {"GET", "/api/v1/accounts/" + memberB, ""},
				{"POST", "/api/v1/accounts", `{"account_id":"444444444444"}`}, {"POST", "/api/v1/accounts/discover", ""},
				{"POST", "/api/v1/accounts/" + memberB + "/check", ""}, {"POST", "/api/v1/accounts/" + memberB + "/remove", ""},
				{"POST", "/api/v1/accounts/" + memberB + "/edit", `{"name":"x"}`}} {
				wantProblem(t, c.method+" "+c.path, e.api(c.method, c.path, tok, c.body), http.StatusForbidden, "forbidden", "")
			}
		}
		if got := e.accountIDs(admin); len(got) != 3 {
			t.Fatalf("accounts after refusals: %v", got)
		}
	})
}

// Bad input to POST /api/v1/accounts is a 422 problem naming the field, in
// words, and nothing is kept or audited.
func TestAPIAccountAddRefusesBadInput(t *testing.T) {
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")), envOptions{members: []string{memberA}})
	admin, _, _ := e.apiTokens()
	before := e.accountIDs(admin)
	for _, c := range []struct{ what, body, field, says string }{
		{"malformed account ID", `{"account_id":"12345"}`, "account_id", "12 digits"},
		{"role of another account", `{"account_id":"` + memberB + `","role_arn":"arn:aws:iam::` + memberA + `:role/GatehouseAdmin"}`, "role_arn", "names account"},
		{"role of another partition", `{"account_id":"` + memberB + `","role_arn":"arn:aws-cn:iam::` + memberB + `:role/GatehouseAdmin"}`, "role_arn", "partition aws-cn"},
		{"not an ARN", `{"account_id":"` + memberB + `","role_arn":"GatehouseAdmin"}`, "role_arn", "arn:aws:iam::"},
		{"bad external ID", `{"account_id":"` + memberB + `","external_id":"x"}`, "external_id", "external ID"},
		{"the hub itself", `{"account_id":"` + e.emu.AccountID() + `"}`, "account_id", "already managed"},
	} {
		r := e.api("POST", "/api/v1/accounts", admin, c.body)
		wantProblem(t, c.what, r, http.StatusUnprocessableEntity, "invalid", c.field)
		if detail, _ := r.body["detail"].(string); !strings.Contains(detail, c.says) {
			t.Errorf("%s: detail %q does not say %q", c.what, detail, c.says)
		}
	}
	if got := e.accountIDs(admin); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Fatalf("accounts %v, want %v", got, before)
	}
	if got := e.audited(memberB, "account.add"); len(got) != 0 {
		t.Fatalf("refused adds audited: %v", got)
	}
}

package handlers_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	gh "github.com/gatehouse/portal/client"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/store"
)

// webhook returns the webhook member of an answer.
func (r apiResp) webhook() map[string]any {
	w, _ := r.body["webhook"].(map[string]any)
	return w
}

// An admin manages webhook endpoints over the API as on the page: the
// registration answers with the signing secret once (never in a list, a
// get or a replay), deliveries verify with that secret, and disable,
// enable, re-send and delete each do what the page does, audited the same.
func TestAPIWebhookLifecycle(t *testing.T) {
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")), envOptions{webhooks: true})
	token := e.apiTokenFor(e.mintOperator("adm", portal.RoleAdmin))
	rc := newHookReceiver(t)

	body := `{"url":"` + rc.srv.URL + `/hook","events":["user.offboarded","user.onboarded"]}`
	r := e.call(apiCall{method: "POST", path: "/api/v1/webhooks", token: token, body: body, key: "hook-1"})
	secret, _ := r.body["secret"].(string)
	hook := r.webhook()
	if r.status != http.StatusCreated || !strings.HasPrefix(secret, "whsec_") || hook["enabled"] != true || hook["created_by"] != "adm" {
		t.Fatalf("register: %d %v", r.status, r.body)
	}
	id := strconv.FormatFloat(hook["id"].(float64), 'f', -1, 64)
	if got := r.header.Get("Location"); got != "/api/v1/webhooks/"+id {
		t.Fatalf("Location %q", got)
	}
	if got, _ := json.Marshal(hook["events"]); string(got) != `["user.onboarded","user.offboarded"]` {
		t.Fatalf("events %s, want them in the page's order", got)
	}
	rc.mu.Lock()
	rc.secret = secret
	rc.mu.Unlock()

	t.Run("the secret is shown once", func(t *testing.T) {
		again := e.call(apiCall{method: "POST", path: "/api/v1/webhooks", token: token, body: body, key: "hook-1"})
		if again.status != http.StatusCreated || again.header.Get("Idempotent-Replayed") != "true" || again.webhook()["id"] != hook["id"] {
			t.Fatalf("replay: %d %v", again.status, again.body)
		}
		if _, ok := again.body["secret"]; ok {
			t.Fatal("the replayed answer carries the secret")
		}
		for _, path := range []string{"/api/v1/webhooks", "/api/v1/webhooks/" + id, "/api/v1/webhooks?pretty"} {
			g := e.api("GET", path, token, "")
			if b, _ := json.Marshal(g.body); g.status != http.StatusOK || strings.Contains(string(b), secret) || strings.Contains(string(b), `"secret"`) {
				t.Fatalf("GET %s shows the secret: %d %s", path, g.status, b)
			}
		}
		if strings.Contains(e.logs.String(), secret) {
			t.Fatal("the secret is in the log")
		}
		if got := e.audited(id, "webhook.create"); len(got) != 1 || !strings.HasPrefix(got[0], "adm: ") {
			t.Fatalf("registration audited as %v, want once, by adm", got)
		}
	})

	t.Run("list and get", func(t *testing.T) {
		if r := e.api("POST", "/api/v1/webhooks", token, `{"url":"https://hooks.example.com/in","events":["policy.drift"]}`); r.status != http.StatusCreated {
			t.Fatalf("second endpoint: %d %v", r.status, r.body)
		}
		p1 := e.api("GET", "/api/v1/webhooks?limit=1", token, "")
		if l := p1.list("webhooks"); p1.status != http.StatusOK || len(l) != 1 || l[0].(map[string]any)["id"] != hook["id"] || p1.body["next"] != id {
			t.Fatalf("page 1: %d %v", p1.status, p1.body)
		}
		p2 := e.api("GET", "/api/v1/webhooks?limit=1&after="+id, token, "")
		if l := p2.list("webhooks"); len(l) != 1 || l[0].(map[string]any)["url"] != "https://hooks.example.com/in" || p2.body["next"] != nil {
			t.Fatalf("page 2: %d %v", p2.status, p2.body)
		}
		g := e.api("GET", "/api/v1/webhooks/"+id, token, "")
		if g.status != http.StatusOK || g.webhook()["url"] != rc.srv.URL+"/hook" {
			t.Fatalf("get: %d %v", g.status, g.body)
		}
	})

	// An event reaches the receiver signed with the secret the API showed.
	if r := e.api("POST", "/api/v1/users", token, `{"user_name":"hooked"}`); r.status != http.StatusCreated {
		t.Fatalf("onboard: %d %v", r.status, r.body)
	}
	eventually.True(t, 10*time.Second, 10*time.Millisecond, "the onboarding is delivered", func() bool { return len(rc.got()) == 1 })
	if rc.bad > 0 || !strings.Contains(rc.got()[0], `"type":"user.onboarded"`) {
		t.Fatalf("%d deliveries failed to verify; got %v", rc.bad, rc.got())
	}
	ds := e.api("GET", "/api/v1/webhooks/"+id+"/deliveries", token, "").list("deliveries")
	if len(ds) != 1 {
		t.Fatalf("deliveries: %v", ds)
	}
	delivery := strconv.FormatFloat(ds[0].(map[string]any)["id"].(float64), 'f', -1, 64)
	resend := "/api/v1/webhooks/" + id + "/deliveries/" + delivery + "/resend"

	t.Run("disable, then a re-send is refused", func(t *testing.T) {
		r := e.call(apiCall{method: "POST", path: "/api/v1/webhooks/" + id + "/disable", token: token, key: "off-1"})
		if r.status != http.StatusOK || r.webhook()["enabled"] != false {
			t.Fatalf("disable: %d %v", r.status, r.body)
		}
		if got := e.audited(id, "webhook.disable"); len(got) != 1 {
			t.Fatalf("disable audited %d times", len(got))
		}
		r = e.call(apiCall{method: "POST", path: resend, token: token, key: "resend-off"})
		wantProblem(t, "re-send while disabled", r, http.StatusConflict, "conflict", "")
		if detail, _ := r.body["detail"].(string); !strings.Contains(detail, "Enable it first") {
			t.Fatalf("the refusal does not say what to do: %q", detail)
		}
		if got := e.audited(id, "webhook.resend"); len(got) != 0 {
			t.Fatalf("a refused re-send was audited: %v", got)
		}
	})
	t.Run("enable, then re-send", func(t *testing.T) {
		r := e.call(apiCall{method: "POST", path: "/api/v1/webhooks/" + id + "/enable", token: token, key: "on-1"})
		if r.status != http.StatusOK || r.webhook()["enabled"] != true {
			t.Fatalf("enable: %d %v", r.status, r.body)
		}
		if got := e.audited(id, "webhook.enable"); len(got) != 1 {
			t.Fatalf("enable audited %d times", len(got))
		}
		r = e.call(apiCall{method: "POST", path: resend, token: token, key: "resend-1"})
		if r.status != http.StatusAccepted || r.body["resent"] != ds[0].(map[string]any)["id"] {
			t.Fatalf("re-send: %d %v", r.status, r.body)
		}
		eventually.True(t, 10*time.Second, 10*time.Millisecond, "the re-send arrives", func() bool { return len(rc.got()) == 2 })
		if got := rc.got(); got[0] != got[1] || rc.bad > 0 {
			t.Fatalf("the re-send is not the same body, signed: %v (bad %d)", got, rc.bad)
		}
		if got := e.audited(id, "webhook.resend"); len(got) != 1 {
			t.Fatalf("re-send audited %d times", len(got))
		}
		other := e.api("GET", "/api/v1/webhooks?limit=1&after="+id, token, "").list("webhooks")[0].(map[string]any)["id"].(float64)
		for what, path := range map[string]string{
			"an unknown delivery":             "/api/v1/webhooks/" + id + "/deliveries/999999/resend",
			"a delivery that is not a number": "/api/v1/webhooks/" + id + "/deliveries/x/resend",
			"another endpoint's delivery":     "/api/v1/webhooks/" + strconv.FormatFloat(other, 'f', -1, 64) + "/deliveries/" + delivery + "/resend",
		} {
			wantProblem(t, what, e.api("POST", path, token, ""), http.StatusNotFound, "not_found", "")
		}
	})
	t.Run("delete", func(t *testing.T) {
		r := e.call(apiCall{method: "POST", path: "/api/v1/webhooks/" + id + "/delete", token: token, key: "del-1"})
		if r.status != http.StatusOK || r.body["deleted"] != hook["id"] {
			t.Fatalf("delete: %d %v", r.status, r.body)
		}
		if got := e.audited(id, "webhook.delete"); len(got) != 1 {
			t.Fatalf("delete audited %d times", len(got))
		}
		for _, l := range e.api("GET", "/api/v1/webhooks", token, "").list("webhooks") {
			if l.(map[string]any)["id"] == hook["id"] {
				t.Fatal("the deleted endpoint is still listed")
			}
		}
		wantProblem(t, "get after delete", e.api("GET", "/api/v1/webhooks/"+id, token, ""), http.StatusNotFound, "not_found", "")
		wantProblem(t, "delete again", e.api("POST", "/api/v1/webhooks/"+id+"/delete", token, ""), http.StatusNotFound, "not_found", "")
	})
}

// Refused registrations and calls say why, as the page does, and change
// nothing: a URL that is not https or names a private address, an unknown
// or missing event, an unknown endpoint, another role.
func TestAPIWebhookRefusals(t *testing.T) {
	e := newEnv(t)
	admin, helpdesk, auditor := e.apiTokens()
	kept := e.api("POST", "/api/v1/webhooks", admin, `{"url":"https://hooks.example.com/kept","events":["user.enrolled"]}`)
	if kept.status != http.StatusCreated {
		t.Fatalf("register: %d %v", kept.status, kept.body)
	}
	id := strconv.FormatFloat(kept.webhook()["id"].(float64), 'f', -1, 64)

	t.Run("bad registrations", func(t *testing.T) {
		for _, c := range []struct {
			name, body, field, en, ja string
		}{
			{"not https", `{"url":"http://hooks.example.com/in","events":["user.enrolled"]}`, "url",
				"must start with https://", "https:// で始めて"},
			{"a private address", `{"url":"https://10.0.0.8/in","events":["user.enrolled"]}`, "url",
				"10.0.0.8 is a private", "10.0.0.8 はプライベート"},
			{"the metadata service", `{"url":"https://169.254.169.254/latest","events":["user.enrolled"]}`, "url",
				"169.254.169.254 is a private", "169.254.169.254 はプライベート"},
			{"no URL", `{"events":["user.enrolled"]}`, "url", "Enter the endpoint's URL", "URL を入力"},
			{"an unknown event", `{"url":"https://hooks.example.com/in","events":["user.sneezed"]}`, "events",
				"user.sneezed is not an event", "user.sneezed は Gatehouse が送るイベントではありません"},
			{"no event", `{"url":"https://hooks.example.com/in","events":[]}`, "events",
				"Choose at least one event", "イベントを 1 つ以上選んで"},
			{"events left out", `{"url":"https://hooks.example.com/in"}`, "events",
				"Choose at least one event", "イベントを 1 つ以上選んで"},
		} {
			t.Run(c.name, func(t *testing.T) {
				for _, lang := range []struct{ q, want string }{{"", c.en}, {"?lang=ja", c.ja}} {
					r := e.api("POST", "/api/v1/webhooks"+lang.q, admin, c.body)
					wantProblem(t, c.name, r, http.StatusUnprocessableEntity, "invalid", c.field)
					if detail, _ := r.body["detail"].(string); !strings.Contains(detail, lang.want) {
						t.Errorf("detail %q, want it to say %q", detail, lang.want)
					}
				}
			})
		}
		if l := e.api("GET", "/api/v1/webhooks", admin, "").list("webhooks"); len(l) != 1 {
			t.Fatalf("%d endpoints after the refusals, want only the one kept", len(l))
		}
		if got := e.audited("", "webhook.create"); len(got) != 1 {
			t.Fatalf("%d registrations audited, want 1", len(got))
		}
	})
	t.Run("unknown endpoints are 404", func(t *testing.T) {
		for _, c := range []struct{ method, path string }{
			{"GET", "/api/v1/webhooks/999999"},
			{"GET", "/api/v1/webhooks/not-a-number"},
			{"POST", "/api/v1/webhooks/999999/disable"},
			{"POST", "/api/v1/webhooks/999999/enable"},
			{"POST", "/api/v1/webhooks/999999/delete"},
			{"POST", "/api/v1/webhooks/999999/deliveries/1/resend"},
			{"GET", "/api/v1/webhooks/999999/deliveries"},
		} {
			r := e.api(c.method, c.path, admin, "")
			wantProblem(t, c.method+" "+c.path, r, http.StatusNotFound, "not_found", "")
		}
	})
	t.Run("bad paging is 422 by its field", func(t *testing.T) {
		wantProblem(t, "limit", e.api("GET", "/api/v1/webhooks?limit=0", admin, ""), http.StatusUnprocessableEntity, "invalid", "limit")
		wantProblem(t, "after", e.api("GET", "/api/v1/webhooks?after=x", admin, ""), http.StatusUnprocessableEntity, "invalid", "after")
	})
	t.Run("only admins", func(t *testing.T) {
		for _, tok := range []string{helpdesk, auditor} {
			for _, c := range []struct{ method, path, body string }{
				{"GET", "/api/v1/webhooks", ""},
				{"POST", "/api/v1/webhooks", `{"url":"https://hooks.example.com/x","events":["user.enrolled"]}`},
				{"GET", "/api/v1/webhooks/" + id, ""},
				{"POST", "/api/v1/webhooks/" + id + "/disable", ""},
				{"POST", "/api/v1/webhooks/" + id + "/enable", ""},
				{"POST", "/api/v1/webhooks/" + id + "/delete", ""},
				{"POST", "/api/v1/webhooks/" + id + "/deliveries/1/resend", ""},
			} {
				wantProblem(t, c.method+" "+c.path, e.api(c.method, c.path, tok, c.body), http.StatusForbidden, "forbidden", "")
			}
		}
		r := e.api("GET", "/api/v1/webhooks/"+id, admin, "")
		if r.status != http.StatusOK || r.webhook()["enabled"] != true {
			t.Fatalf("the endpoint changed: %d %v", r.status, r.body)
		}
		if l := e.api("GET", "/api/v1/webhooks", admin, "").list("webhooks"); len(l) != 1 {
			t.Fatalf("%d endpoints, want the one kept", len(l))
		}
	})
}

// The Go client has a method for each webhook operation.
func TestGoClientWebhooks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := gh.New(e.srv.URL, e.apiTokenFor(e.mintOperator("adm", portal.RoleAdmin)))
	reg, err := c.CreateWebhook(ctx, gh.NewWebhook{URL: "https://hooks.example.com/in", Events: []string{portal.EventUserEnrolled}}, gh.WithIdempotencyKey("k1"))
	if err != nil || !strings.HasPrefix(reg.Secret, "whsec_") || reg.Webhook.ID == 0 || !reg.Webhook.Enabled {
		t.Fatalf("create: %v %+v", err, reg)
	}
	if again, err := c.CreateWebhook(ctx, gh.NewWebhook{URL: "https://hooks.example.com/in", Events: []string{portal.EventUserEnrolled}}, gh.WithIdempotencyKey("k1")); err != nil || again.Secret != "" || again.Webhook.ID != reg.Webhook.ID {
		t.Fatalf("replayed create: %v %+v", err, again)
	}
	_, err = c.CreateWebhook(ctx, gh.NewWebhook{URL: "http://hooks.example.com/in", Events: []string{portal.EventUserEnrolled}})
	var apiErr *gh.Error
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnprocessableEntity || apiErr.Field != "url" {
		t.Fatalf("plain http: %v", err)
	}
	page, err := c.ListWebhooks(ctx, gh.Page{Limit: 10})
	if err != nil || len(page.Webhooks) != 1 || page.Webhooks[0].URL != "https://hooks.example.com/in" || page.Next != "" {
		t.Fatalf("list: %v %+v", err, page)
	}
	if w, err := c.DisableWebhook(ctx, reg.Webhook.ID); err != nil || w.Enabled {
		t.Fatalf("disable: %v %+v", err, w)
	}
	if err := c.ResendWebhookDelivery(ctx, reg.Webhook.ID, 1); gh.ErrorCode(err) != "not_found" {
		t.Fatalf("re-send of no delivery: %v", err)
	}
	if w, err := c.EnableWebhook(ctx, reg.Webhook.ID); err != nil || !w.Enabled {
		t.Fatalf("enable: %v %+v", err, w)
	}
	if w, err := c.GetWebhook(ctx, reg.Webhook.ID); err != nil || w.Events[0] != portal.EventUserEnrolled || w.CreatedBy != "adm" {
		t.Fatalf("get: %v %+v", err, w)
	}
	if err := c.DeleteWebhook(ctx, reg.Webhook.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetWebhook(ctx, reg.Webhook.ID); gh.ErrorCode(err) != "not_found" {
		t.Fatalf("get after delete: %v", err)
	}
}

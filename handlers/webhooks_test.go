package handlers_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/store"
)

// hookReceiver is a local receiver that records every delivery and checks
// its signature with the secret the page showed.
type hookReceiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	secret string
	bodies []string
	bad    int // deliveries whose signature did not verify
}

func newHookReceiver(t *testing.T) *hookReceiver {
	rc := &hookReceiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(rc.secret, "whsec_"))
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(r.Header.Get("webhook-id") + "." + r.Header.Get("webhook-timestamp") + "." + string(body)))
		if r.Header.Get("webhook-signature") != "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
			rc.bad++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		rc.bodies = append(rc.bodies, string(body))
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *hookReceiver) got() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.bodies)
}

// The admin registers a local receiver on the page (allowed in test mode,
// as the page says), takes the secret shown once, and every event of a
// user's whole life reaches the receiver signed, without the invite link,
// the console password or the MFA seed the journey handed out.
func TestWebhookJourneyDeliversSignedEventsWithoutSecrets(t *testing.T) {
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")), envOptions{webhooks: true})
	admin, _ := e.setupAdmin()
	rc := newHookReceiver(t)
	if p := admin.get("/webhooks"); !strings.Contains(p.body, "http://127.0.0.1") {
		t.Fatal("the page does not say that test mode allows a local receiver")
	}
	form := url.Values{"url": {rc.srv.URL + "/hook"}, "events": portal.WebhookEvents}
	p := admin.post("/webhooks", form)
	secret := p.testid("webhook-secret")
	if p.status != http.StatusCreated || !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("register: status %d, secret %q: %s", p.status, secret, p.formError())
	}
	rc.mu.Lock()
	rc.secret = secret
	rc.mu.Unlock()
	if strings.Contains(admin.get("/webhooks").body, secret) {
		t.Fatal("the secret is shown again")
	}
	if strings.Contains(e.logs.String(), secret) {
		t.Fatal("the secret is in the log")
	}

	inviteURL := admin.onboard("wendy")
	u, creds := e.claim(inviteURL)
	password := creds.testid("console-password")
	mfa := u.follow(u.post("/enroll/password/saved", url.Values{"next": {"mfa"}}))
	seed := mfa.testid("mfa-secret")
	now := time.Now()
	if p := u.post("/enroll/mfa", url.Values{"code1": {code(t, seed, now.Add(-30*time.Second))}, "code2": {code(t, seed, now)}}); p.status != http.StatusSeeOther {
		t.Fatalf("enroll: %d: %s", p.status, p.formError())
	}
	if p := admin.post("/users/wendy/reset-mfa", url.Values{"reason": {"phone lost"}, "verified_by": {"video call"}}); p.status >= 400 {
		t.Fatalf("reset: %d: %s", p.status, p.formError())
	}
	if p := admin.post("/users/wendy/offboard", url.Values{"reason": {"left"}, "confirm_name": {"wendy"}}); p.status >= 400 {
		t.Fatalf("offboard: %d: %s", p.status, p.formError())
	}
	want := []string{portal.EventUserOnboarded, portal.EventUserClaimed, portal.EventUserEnrolled, portal.EventUserMFAReset, portal.EventUserOffboarded}
	var types []string
	eventually.True(t, 10*time.Second, 10*time.Millisecond, "every event delivered", func() bool {
		types = nil
		for _, b := range rc.got() {
			for _, w := range want {
				if strings.Contains(b, `"type":"`+w+`"`) && !slices.Contains(types, w) {
					types = append(types, w)
				}
			}
		}
		return len(types) == len(want)
	})
	token := inviteURL[strings.LastIndex(inviteURL, "/")+1:]
	for _, b := range rc.got() {
		for name, s := range map[string]string{"invite token": token, "console password": password, "MFA seed": seed, "e-mail": "wendy@example.com"} {
			if strings.Contains(b, s) {
				t.Errorf("a payload carries the %s: %s", name, b)
			}
		}
		if !strings.Contains(b, `"name":"wendy"`) || !strings.Contains(b, `"account":"123456789012"`) {
			t.Errorf("a payload does not name the user and account: %s", b)
		}
	}
	if rc.bad > 0 {
		t.Fatalf("%d deliveries did not verify with the secret the page showed", rc.bad)
	}

	t.Run("the delivery log shows each delivery with a re-send", func(t *testing.T) {
		list := admin.get("/webhooks")
		id := list.doc.Find(`[data-testid="webhook-row"]`).AttrOr("data-id", "")
		// The receiver has every body; the runner records each answer
		// just after it, so the log catches up a moment later.
		var rows *goquery.Selection
		eventually.True(t, 10*time.Second, 10*time.Millisecond, "the log shows every delivery answered", func() bool {
			rows = admin.get("/webhooks/" + id).doc.Find(`[data-testid="delivery-row"]`)
			return rows.Length() >= len(want) && rows.FilterFunction(func(_ int, s *goquery.Selection) bool {
				return s.AttrOr("data-status", "") == ""
			}).Length() == 0
		})
		rows.Each(func(_ int, s *goquery.Selection) {
			if s.AttrOr("data-status", "") != "200" || s.AttrOr("data-attempts", "") != "1" {
				t.Errorf("delivery %s: status %q after %s attempts", s.AttrOr("data-event", ""), s.AttrOr("data-status", ""), s.AttrOr("data-attempts", ""))
			}
		})
		before := len(rc.got())
		resend, _ := rows.First().Find("form").Attr("action")
		if p := admin.post(resend, nil); p.status != http.StatusSeeOther {
			t.Fatalf("re-send: %d: %s", p.status, p.formError())
		}
		eventually.True(t, 10*time.Second, 10*time.Millisecond, "the re-send arrives", func() bool { return len(rc.got()) == before+1 })
		if got := e.audited(id, "webhook.resend"); len(got) != 1 {
			t.Fatalf("re-send audited %d times", len(got))
		}
	})
	t.Run("the API lists the delivery log, newest first, in pages", func(t *testing.T) {
		id := admin.get("/webhooks").doc.Find(`[data-testid="webhook-row"]`).AttrOr("data-id", "")
		token := e.apiTokenFor(e.mintOperator("api-admin", portal.RoleAdmin))
		r := e.api("GET", "/api/v1/webhooks/"+id+"/deliveries?limit=2", token, "")
		ds, _ := r.body["deliveries"].([]any)
		if r.status != http.StatusOK || len(ds) != 2 || r.body["next"] == nil {
			t.Fatalf("first page: %d %v", r.status, r.body)
		}
		first, second := ds[0].(map[string]any), ds[1].(map[string]any)
		if first["id"].(float64) <= second["id"].(float64) || first["status_code"] != float64(200) || first["delivered_at"] == nil {
			t.Fatalf("first page is not newest first with the answers: %v", ds)
		}
		r = e.api("GET", "/api/v1/webhooks/"+id+"/deliveries?limit=2&after="+r.body["next"].(string), token, "")
		more, _ := r.body["deliveries"].([]any)
		if r.status != http.StatusOK || len(more) == 0 || more[0].(map[string]any)["id"].(float64) >= second["id"].(float64) {
			t.Fatalf("second page: %d %v", r.status, r.body)
		}
		if got := e.api("GET", "/api/v1/webhooks/999/deliveries", token, "").status; got != http.StatusNotFound {
			t.Fatalf("unknown endpoint: %d, want 404", got)
		}
		hd := e.apiTokenFor(e.mintOperator("api-helpdesk", portal.RoleHelpdesk))
		if got := e.api("GET", "/api/v1/webhooks/"+id+"/deliveries", hd, "").status; got != http.StatusForbidden {
			t.Fatalf("helpdesk reads the log: %d, want 403", got)
		}
	})
	t.Run("disable, enable and delete", func(t *testing.T) {
		id := admin.get("/webhooks").doc.Find(`[data-testid="webhook-row"]`).AttrOr("data-id", "")
		p := admin.follow(admin.post("/webhooks/"+id+"/disable", nil))
		if p.testid("webhook-state") != "Disabled" {
			t.Fatalf("after disable: state %q", p.testid("webhook-state"))
		}
		p = admin.follow(admin.post("/webhooks/"+id+"/enable", nil))
		if p.testid("webhook-state") != "Enabled" {
			t.Fatalf("after enable: state %q", p.testid("webhook-state"))
		}
		p = admin.follow(admin.post("/webhooks/"+id+"/delete", nil))
		if p.doc.Find(`[data-testid="webhook-row"]`).Length() != 0 {
			t.Fatal("the endpoint is still listed after delete")
		}
		if got := admin.get("/webhooks/" + id).status; got != http.StatusNotFound {
			t.Fatalf("deleted endpoint's page: %d, want 404", got)
		}
	})
}

// A refused registration keeps what was typed and puts each error by its
// field, in English and Japanese.
func TestWebhookFormErrorsByField(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	cases := []struct {
		name   string
		form   url.Values
		field  string
		en, ja string
	}{
		{"not https", url.Values{"url": {"http://hooks.example.com/in"}, "events": {portal.EventUserEnrolled}}, "url",
			"must start with https://", "https:// で始めて"},
		{"no event", url.Values{"url": {"https://hooks.example.com/in"}}, "events",
			"Choose at least one event", "イベントを 1 つ以上選んで"},
		{"a private address", url.Values{"url": {"https://10.0.0.8/in"}, "events": {portal.EventUserEnrolled, portal.EventPolicyDrift}}, "url",
			"10.0.0.8 is a private", "10.0.0.8 はプライベート"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, lang := range []struct{ code, want string }{{"en", c.en}, {"ja", c.ja}} {
				admin.get("/webhooks?lang=" + lang.code)
				p := admin.post("/webhooks", c.form)
				if p.status != http.StatusUnprocessableEntity {
					t.Fatalf("%s: status %d, want 422", lang.code, p.status)
				}
				if got := p.testid("field-error-" + c.field); !strings.Contains(got, lang.want) {
					t.Fatalf("%s: error by %s is %q, want it to say %q", lang.code, c.field, got, lang.want)
				}
				if got, _ := p.doc.Find(`#url`).Attr("value"); got != c.form.Get("url") {
					t.Fatalf("%s: the URL field holds %q, want %q as typed", lang.code, got, c.form.Get("url"))
				}
				var ticked []string
				p.doc.Find(`input[name="events"][checked]`).Each(func(_ int, s *goquery.Selection) { ticked = append(ticked, s.AttrOr("value", "")) })
				if !slices.Equal(ticked, c.form["events"]) {
					t.Fatalf("%s: ticked %v, want %v as chosen", lang.code, ticked, c.form["events"])
				}
			}
			admin.get("/webhooks?lang=en")
		})
	}
	if n := admin.get("/webhooks").doc.Find(`[data-testid="webhook-row"]`).Length(); n != 0 {
		t.Fatalf("%d endpoints registered from refused forms", n)
	}
	t.Run("not for helpdesk", func(t *testing.T) {
		hd, _ := e.inviteAndJoin(admin, "hd", portal.RoleHelpdesk)
		if got := hd.get("/webhooks").status; got != http.StatusForbidden {
			t.Fatalf("helpdesk opens /webhooks: %d, want 403", got)
		}
	})
}

package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/store"
)

// Onboarding "dana" in a member account and in the hub sends two
// user.onboarded payloads, each naming its user's account in data.account;
// the endpoint's delivery log and the API show the account of each.
func TestWebhookPayloadNamesTheUsersAccount(t *testing.T) {
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")), envOptions{webhooks: true, members: []string{memberA}})
	admin, _ := e.setupAdmin()
	hub := e.emu.AccountID()
	rc := newHookReceiver(t)
	p := admin.post("/webhooks", url.Values{"url": {rc.srv.URL + "/hook"}, "events": {portal.EventUserOnboarded}})
	if p.status != http.StatusCreated {
		t.Fatalf("register: status %d: %s", p.status, p.formError())
	}
	rc.mu.Lock()
	rc.secret = p.testid("webhook-secret")
	rc.mu.Unlock()
	admin.onboardIn(memberA, "dana")
	admin.onboardIn(hub, "dana")

	var accounts []string
	eventually.True(t, 10*time.Second, 10*time.Millisecond, "both deliveries arrive", func() bool { return len(rc.got()) == 2 })
	for _, b := range rc.got() {
		var pl struct {
			Type string
			Data struct {
				Account string
				User    struct{ Name string }
			}
		}
		if err := json.Unmarshal([]byte(b), &pl); err != nil || pl.Type != portal.EventUserOnboarded || pl.Data.User.Name != "dana" {
			t.Fatalf("payload %s: %v", b, err)
		}
		accounts = append(accounts, pl.Data.Account)
	}
	slices.Sort(accounts) // the job runner may send them in either order
	if want := []string{hub, memberA}; !slices.Equal(accounts, want) {
		t.Errorf("the payloads name accounts %q, want %q", accounts, want)
	}
	if rc.bad > 0 {
		t.Fatalf("%d deliveries did not verify", rc.bad)
	}

	id := admin.get("/webhooks").doc.Find(`[data-testid="webhook-row"]`).AttrOr("data-id", "")
	var shown []string
	admin.get("/webhooks/" + id).doc.Find(`[data-testid="delivery-account"]`).Each(func(_ int, s *goquery.Selection) {
		shown = append(shown, s.AttrOr("data-account", ""))
	})
	if want := []string{hub, memberA}; !slices.Equal(shown, want) { // newest first
		t.Errorf("the delivery log shows accounts %q, want %q", shown, want)
	}
	token := e.apiTokenFor(e.mintOperator("api-admin", portal.RoleAdmin))
	r := e.api("GET", "/api/v1/webhooks/"+id+"/deliveries", token, "")
	ds, _ := r.body["deliveries"].([]any)
	if r.status != http.StatusOK || len(ds) != 2 || ds[0].(map[string]any)["account_id"] != hub || ds[1].(map[string]any)["account_id"] != memberA {
		t.Errorf("API delivery log: %d %v", r.status, r.body)
	}
}

package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/handlers"
)

// Finding: /users/{name} listed audit events whose target merely had the
// same name: an operator's sign-ins and an anonymous failed sign-in as bob
// showed on IAM user bob's timeline. Events say what kind their target is
// and the timeline shows IAM-user events only.
func TestUserTimelineShowsOnlyThatIAMUser(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	admin.onboard("bob")
	e.newClient().post("/signin", url.Values{"username": {"bob"}, "password": {"not the password"}, "code": {"000000"}})
	p := admin.post("/operators", url.Values{"username": {"bob"}, "role": {"auditor"}})
	if p.status != http.StatusCreated {
		t.Fatalf("invite operator bob: %d: %s", p.status, p.formError())
	}
	page := admin.get("/users/bob")
	var actions []string
	page.doc.Find(`[data-testid="timeline-row"]`).Each(func(_ int, s *goquery.Selection) { actions = append(actions, s.AttrOr("data-action", "")) })
	if len(actions) == 0 {
		t.Fatal("the timeline shows nothing, not even the onboarding")
	}
	for _, a := range actions {
		if strings.HasPrefix(a, "operator.") {
			t.Fatalf("IAM user bob's timeline shows the operator event %q: %v", a, actions)
		}
	}
	t.Run("the audit log filters on kind", func(t *testing.T) {
		rows := admin.get("/audit?kind=operator&target=bob").doc.Find(`[data-testid="audit-row"]`)
		if rows.Length() < 2 {
			t.Fatalf("%d operator events about bob, want the failed sign-in and the invite", rows.Length())
		}
		rows.Each(func(_ int, s *goquery.Selection) {
			if k := s.AttrOr("data-kind", ""); k != portal.TargetOperator {
				t.Errorf("kind filter operator shows a %q event", k)
			}
		})
		if got := admin.get("/audit?kind=nonsense").status; got != http.StatusUnprocessableEntity {
			t.Errorf("unknown kind: status %d, want 422", got)
		}
	})
	t.Run("the CSV says the kind", func(t *testing.T) {
		rows, err := csv.NewReader(strings.NewReader(admin.get("/audit.csv?target=bob").body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][4] != "target_kind" {
			t.Fatalf("header %v has no target_kind column", rows[0])
		}
		kinds := map[string]bool{}
		for _, r := range rows[1:] {
			kinds[r[4]] = true
		}
		if !kinds[portal.TargetUser] || !kinds[portal.TargetOperator] {
			t.Fatalf("kinds %v, want both user and operator events about bob", kinds)
		}
	})
}

// Finding: failed sign-ins were not logged with the client's address. It
// is logged and audited, through the trusted-proxy rule: behind a trusted
// proxy the forwarded address, otherwise the TCP peer whatever a client
// claims in X-Forwarded-For.
func TestFailedSignInIsLoggedWithTheClientIP(t *testing.T) {
	e := newEnv(t)
	e.setupAdmin()
	var logs bytes.Buffer
	h, err := handlers.New(handlers.Deps{SetupBox: e.setupBox, Store: e.store, Auth: e.auth, Onboarding: e.onb, Now: e.clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), TrustedProxies: []string{"192.0.2.1/32"}})
	if err != nil {
		t.Fatal(err)
	}
	e.logs.Reset()
	signIn := func(peer, forwardedFor, name string) {
		body := url.Values{"username": {name}, "password": {"wrong"}, "code": {"123456"}}
		req := httptest.NewRequest("POST", "/signin", strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = peer
		req.Header.Set("X-Forwarded-For", forwardedFor)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	signIn("192.0.2.1:4000", "203.0.113.9", "viaproxy")
	signIn("198.51.100.7:5555", "203.0.113.66", "direct")
	logs.WriteString(e.logs.String())
	for name, ip := range map[string]string{"viaproxy": "203.0.113.9", "direct": "198.51.100.7"} {
		line := ""
		for _, l := range strings.Split(logs.String(), "\n") {
			if strings.Contains(l, "sign-in failed") && strings.Contains(l, "username="+name) {
				line = l
			}
		}
		if !strings.Contains(line, "client_ip="+ip) {
			t.Errorf("log line of %s's failed sign-in %q does not name %s", name, line, ip)
		}
		events, err := e.store.FindAuditEvents(context.Background(), portal.AuditFilter{Action: "operator.signin.fail", Target: name})
		if err != nil || len(events) != 1 || events[0].TargetKind != portal.TargetOperator || !containsArg(events[0].Text, ip) {
			t.Errorf("audit of %s's failed sign-in: %+v %v, want one operator event naming %s", name, events, err, ip)
		}
	}
	if strings.Contains(logs.String(), "203.0.113.66") {
		t.Error("a direct client's own X-Forwarded-For was believed")
	}
}

func containsArg(t portal.Text, s string) bool {
	for _, a := range t.Args {
		if a == s {
			return true
		}
	}
	return false
}

// Finding: look-alike operator names were accepted. The operator invite
// refuses them; names people type elsewhere refuse hidden characters.
func TestLookAlikeNamesAreRefused(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	for _, name := range []string{"\u0430dmin", "ad\u200bmin", "admin\u202e"} {
		if p := admin.post("/operators", url.Values{"username": {name}, "role": {"auditor"}}); p.status != http.StatusUnprocessableEntity {
			t.Errorf("operator name %q: status %d, want 422", name, p.status)
		}
	}
	if p := admin.post("/operators", url.Values{"username": {"ｈａｎａ"}, "role": {"auditor"}}); p.status != http.StatusCreated || !strings.Contains(p.body, "hana") {
		t.Errorf("full-width name: status %d, want it created as hana", p.status)
	}
	if p := admin.post("/users", url.Values{"user_name": {"zw"}, "display_name": {"Z\u200bW"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("display name with a zero-width space: status %d, want 422", p.status)
	}
}

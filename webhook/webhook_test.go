package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/audit"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
	"github.com/gatehouse/portal/webhook"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// verify checks a delivery the way the Standard Webhooks specification
// tells a receiver to, written here from the specification rather than
// with the sender's code: the signature is the base64 HMAC-SHA256, keyed
// with the base64-decoded part of the whsec_ secret, of "id.timestamp.body";
// the header may carry several space-separated "v1,<sig>" values; a
// timestamp more than 5 minutes from now is refused, and so is a
// webhook-id already accepted.
func verify(secret string, h http.Header, body []byte, now time.Time, seen map[string]bool) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return errors.New("missing webhook headers")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("bad timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return errors.New("timestamp too old or too new")
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "." + string(body)))
	want := mac.Sum(nil)
	ok := false
	for _, s := range strings.Fields(sigs) {
		v, sig, found := strings.Cut(s, ",")
		got, err := base64.StdEncoding.DecodeString(sig)
		if found && v == "v1" && err == nil && hmac.Equal(got, want) {
			ok = true
		}
	}
	if !ok {
		return errors.New("no valid signature")
	}
	if seen[id] {
		return errors.New("replayed webhook-id")
	}
	return nil
}

// receiver is a local webhook receiver: it verifies every request and
// answers 500 to the ids told to fail, as often as told.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	secret string
	seen   map[string]bool
	fail   map[string]int // webhook-id (or "*" for any) → failures still to answer
	got    []request
}

type request struct {
	header http.Header
	body   []byte
	status int
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{t: t, seen: map[string]bool{}, fail: map[string]int{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		status := http.StatusNoContent
		id := r.Header.Get("webhook-id")
		switch {
		case verify(rc.secret, r.Header, body, time.Now(), rc.seen) != nil:
			status = http.StatusUnauthorized
		case rc.fail[id] > 0:
			rc.fail[id]--
			status = http.StatusInternalServerError
		case rc.fail["*"] > 0:
			rc.fail["*"]--
			status = http.StatusInternalServerError
		default:
			rc.seen[id] = true // only a processed message counts as seen
		}
		rc.got = append(rc.got, request{header: r.Header.Clone(), body: body, status: status})
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.got)
}

type fixture struct {
	st    *store.Store
	svc   *webhook.Service
	audit *audit.Log
	admin webhook.Actor
	box   *auth.Box
}

// newFixture wires the service on engine with a job runner delivering its
// jobs, retrying after a millisecond instead of 30 seconds.
func newFixture(t *testing.T, engine string, testMode bool) *fixture {
	return newFixtureTimeout(t, engine, testMode, 2*time.Second)
}

// newFixtureTimeout is newFixture with another per-request timeout.
func newFixtureTimeout(t *testing.T, engine string, testMode bool, timeout time.Duration) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, engine, storetest.DSN(t, engine))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	box, err := auth.NewBoxFor([]byte(strings.Repeat("k", 32)), "webhook test")
	if err != nil {
		t.Fatal(err)
	}
	runner, err := jobs.New(jobs.Config{Store: st, Holder: "test", Poll: 5 * time.Millisecond, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := webhook.New(webhook.Config{Store: st, Box: box, Account: "123456789012", TestMode: testMode, Timeout: timeout,
		Backoff: time.Millisecond, Wake: runner.Wake, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	runner.Register(store.JobWebhook, jobs.Webhooks(svc))
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { runner.Run(rctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &fixture{st: st, svc: svc, audit: audit.New(st, quiet, nil), admin: webhook.Actor{Name: "admin"}, box: box}
}

func (f *fixture) deliveries(t *testing.T, endpointID int64) []*store.WebhookDelivery {
	t.Helper()
	_, ds, err := f.svc.Endpoint(context.Background(), endpointID)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// firstAttempt waits for the one delivery to endpointID to have been
// attempted, and returns it.
func (f *fixture) firstAttempt(t *testing.T, endpointID int64) *store.WebhookDelivery {
	t.Helper()
	var d *store.WebhookDelivery
	eventually.True(t, 10*time.Second, 5*time.Millisecond, "an attempt recorded", func() bool {
		ds := f.deliveries(t, endpointID)
		if len(ds) == 1 && ds[0].Attempts > 0 {
			d = ds[0]
			return true
		}
		return false
	})
	return d
}

func TestDeliveriesAreSignedRetriedAndResent(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t, engine, true)
			rc := newReceiver(t)
			ep, secret, err := f.svc.Create(ctx, f.admin, webhook.Registration{URL: rc.srv.URL + "/hook", Events: []string{portal.EventUserEnrolled}})
			if err != nil {
				t.Fatal(err)
			}
			rc.mu.Lock()
			rc.secret, rc.fail["*"] = secret, 2
			rc.mu.Unlock()
			if err := f.st.CreateUser(ctx, &portal.User{UserName: "alice", DisplayName: "Alice A.", State: portal.StateEnrolled, CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			f.audit.Record(ctx, portal.AuditEvent{Actor: "invitee:alice", Action: "mfa.enable", TargetKind: portal.TargetUser, Target: "alice"})
			f.audit.Record(ctx, portal.AuditEvent{Actor: "admin", Action: "invite.resend", TargetKind: portal.TargetUser, Target: "alice"})

			eventually.True(t, 10*time.Second, 5*time.Millisecond, "the delivery is taken", func() bool {
				ds := f.deliveries(t, ep.ID)
				return len(ds) == 1 && !ds[0].DeliveredAt.IsZero()
			})
			got := rc.requests()
			t.Run("the receiver answered 500 twice and got it the third time", func(t *testing.T) {
				var statuses []int
				for _, r := range got {
					statuses = append(statuses, r.status)
				}
				if want := []int{500, 500, 204}; !slices.Equal(statuses, want) {
					t.Fatalf("answers %v, want %v", statuses, want)
				}
				d := f.deliveries(t, ep.ID)[0]
				if d.Attempts != 3 || d.StatusCode != 204 || d.LastError.Key != "" {
					t.Fatalf("log: %d attempts, status %d, error %q; want 3, 204, none", d.Attempts, d.StatusCode, d.LastError.Key)
				}
				for _, r := range got[1:] {
					if r.header.Get("webhook-id") != got[0].header.Get("webhook-id") || string(r.body) != string(got[0].body) {
						t.Fatal("a retry changed the webhook-id or the body")
					}
				}
			})
			t.Run("the payload says who and what, for the subscribed event only", func(t *testing.T) {
				var p struct {
					Type string `json:"type"`
					Data struct {
						Account string `json:"account"`
						User    struct{ Name, State string }
					} `json:"data"`
				}
				if err := json.Unmarshal(got[2].body, &p); err != nil {
					t.Fatal(err)
				}
				if p.Type != portal.EventUserEnrolled || p.Data.Account != "123456789012" || p.Data.User.Name != "alice" || p.Data.User.State != "enrolled" {
					t.Fatalf("payload %s", got[2].body)
				}
			})
			t.Run("a replayed, a stale or a tampered delivery is refused", func(t *testing.T) {
				last := got[2]
				seen := map[string]bool{last.header.Get("webhook-id"): true}
				if err := verify(secret, last.header, last.body, time.Now(), seen); err == nil {
					t.Fatal("a replay of an accepted webhook-id verified")
				}
				if err := verify(secret, last.header, last.body, time.Now().Add(6*time.Minute), map[string]bool{}); err == nil {
					t.Fatal("a delivery 6 minutes old verified")
				}
				if err := verify(secret, last.header, append(last.body, ' '), time.Now(), map[string]bool{}); err == nil {
					t.Fatal("a changed body verified")
				}
				if err := verify(webhook.NewSecret(), last.header, last.body, time.Now(), map[string]bool{}); err == nil {
					t.Fatal("another endpoint's secret verified")
				}
			})
			t.Run("a delivery given up after 5 attempts is sent again on re-send", func(t *testing.T) {
				rc.mu.Lock()
				rc.fail["*"] = 5
				rc.mu.Unlock()
				f.audit.Record(ctx, portal.AuditEvent{Actor: "system", Action: "mfa.enable", TargetKind: portal.TargetUser, Target: "alice"})
				var d *store.WebhookDelivery
				eventually.True(t, 10*time.Second, 5*time.Millisecond, "five failed attempts", func() bool {
					d = f.deliveries(t, ep.ID)[0]
					return d.Attempts == 5
				})
				if d.StatusCode != 500 || d.LastError.Key != "webhook.err.status" || !d.DeliveredAt.IsZero() {
					t.Fatalf("log after 5 failures: status %d, error %q", d.StatusCode, d.LastError.Key)
				}
				j, err := f.st.FindJob(ctx, jobOf(t, f.st, d.ID))
				if err != nil {
					t.Fatal(err)
				}
				eventually.True(t, 5*time.Second, 5*time.Millisecond, "the job is given up", func() bool {
					j, _ = f.st.FindJob(ctx, j.ID)
					return j.State == store.JobFailed
				})
				if err := f.svc.Resend(ctx, f.admin, ep.ID, d.ID); err != nil {
					t.Fatal(err)
				}
				eventually.True(t, 10*time.Second, 5*time.Millisecond, "the re-send is taken", func() bool {
					return !f.deliveries(t, ep.ID)[0].DeliveredAt.IsZero()
				})
				reqs := rc.requests()
				last := reqs[len(reqs)-1]
				if last.status != 204 || last.header.Get("webhook-id") != d.MsgID {
					t.Fatalf("re-send answered %d with id %s, want 204 with %s", last.status, last.header.Get("webhook-id"), d.MsgID)
				}
				evs, err := f.st.FindAuditEvents(ctx, portal.AuditFilter{Action: "webhook.resend"})
				if err != nil || len(evs) != 1 || evs[0].Actor != "admin" {
					t.Fatalf("re-send audit events %v, %v", evs, err)
				}
			})
			t.Run("a disabled endpoint gets nothing", func(t *testing.T) {
				if err := f.svc.SetEnabled(ctx, f.admin, ep.ID, false); err != nil {
					t.Fatal(err)
				}
				before := len(f.deliveries(t, ep.ID))
				f.audit.Record(ctx, portal.AuditEvent{Actor: "system", Action: "mfa.enable", TargetKind: portal.TargetUser, Target: "alice"})
				if n := len(f.deliveries(t, ep.ID)); n != before {
					t.Fatalf("a disabled endpoint got %d new deliveries", n-before)
				}
				if err := f.svc.Resend(ctx, f.admin, ep.ID, f.deliveries(t, ep.ID)[0].ID); portal.ErrorCode(err) != portal.ECONFLICT {
					t.Fatalf("re-send to a disabled endpoint: %v, want a conflict", err)
				}
			})
		})
	}
}

// jobOf returns the ID of the job that sends delivery id.
func jobOf(t *testing.T, st *store.Store, deliveryID int64) int64 {
	t.Helper()
	for id := int64(1); id < 100; id++ {
		j, err := st.FindJob(context.Background(), id)
		if err == nil && j.Kind == store.JobWebhook && j.Payload == strconv.FormatInt(deliveryID, 10) {
			return id
		}
	}
	t.Fatalf("no job for delivery %d", deliveryID)
	return 0
}

// The payload of every event type carries names and states, never a
// secret: the audit events behind them here carry a password, an invite
// token and a TOTP seed in their text, and none of it may reach a receiver.
func TestPayloadsCarryNoSecretForAnyEvent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "sqlite", true)
	rc := newReceiver(t)
	_, secret, err := f.svc.Create(ctx, f.admin, webhook.Registration{URL: rc.srv.URL, Events: portal.WebhookEvents})
	if err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	rc.secret = secret
	rc.mu.Unlock()
	const password, token, seed = "Pa55-word-XYZZY", "invite-token-PLUGH", "JBSWY3DPEHPK3PXP"
	if err := f.st.CreateUser(ctx, &portal.User{UserName: "bob", DisplayName: "Bob", Email: "bob@example.com", State: portal.StateInvited, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	events := map[string]portal.AuditEvent{
		portal.EventUserOnboarded:  {Action: "user.onboard", TargetKind: portal.TargetUser, Target: "bob"},
		portal.EventUserClaimed:    {Action: "invite.claim", TargetKind: portal.TargetUser, Target: "bob"},
		portal.EventUserEnrolled:   {Action: "mfa.enable", TargetKind: portal.TargetUser, Target: "bob"},
		portal.EventUserOverdue:    {Action: "user.overdue", TargetKind: portal.TargetUser, Target: "bob"},
		portal.EventUserMFARemoved: {Action: "mfa.removed", TargetKind: portal.TargetUser, Target: "bob"},
		portal.EventUserMFAReset:   {Action: "mfa.reset", TargetKind: portal.TargetUser, Target: "bob"},
		portal.EventUserOffboarded: {Action: "user.offboard", TargetKind: portal.TargetUser, Target: "bob"},
		portal.EventBulkFinished:   {Action: "bulk.finish", TargetKind: portal.TargetJob, Target: "7"},
		portal.EventPolicyDrift:    {Action: "policy.drift", TargetKind: portal.TargetPolicy, Target: "forced-mfa"},
	}
	for _, typ := range portal.WebhookEvents {
		e, ok := events[typ]
		if !ok {
			t.Fatalf("event type %s has no case here", typ)
		}
		if got := portal.WebhookEventOf(e.Action); got != typ {
			t.Fatalf("action %s announces %q, want %s", e.Action, got, typ)
		}
		e.Actor, e.Text = "admin", portal.T("audit.list", password+" "+token+" "+seed)
		f.audit.Record(ctx, e)
	}
	eventually.True(t, 10*time.Second, 5*time.Millisecond, "every event delivered", func() bool {
		return len(rc.requests()) == len(portal.WebhookEvents)
	})
	allowed := map[string]bool{"type": true, "timestamp": true, "data": true, "data.account": true, "data.actor": true, "data.user": true,
		"data.user.name": true, "data.user.display_name": true, "data.user.state": true, "data.job": true, "data.job.id": true,
		"data.job.done": true, "data.job.failed": true, "data.policy": true}
	var types []string
	for _, r := range rc.requests() {
		if r.status != http.StatusNoContent {
			t.Errorf("delivery refused by the receiver: %d", r.status)
		}
		for _, s := range []string{password, token, seed, "bob@example.com"} {
			if strings.Contains(string(r.body), s) {
				t.Errorf("payload carries %q: %s", s, r.body)
			}
		}
		var p map[string]any
		if err := json.Unmarshal(r.body, &p); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys("", p) {
			if !allowed[k] {
				t.Errorf("payload field %s is not one of the documented fields: %s", k, r.body)
			}
		}
		types = append(types, p["type"].(string))
	}
	slices.Sort(types)
	want := slices.Sorted(slices.Values(portal.WebhookEvents))
	if !slices.Equal(types, want) {
		t.Fatalf("delivered types %v, want %v", types, want)
	}
}

// keys lists the dotted paths of every field of a JSON object.
func keys(prefix string, m map[string]any) []string {
	var out []string
	for k, v := range m {
		out = append(out, prefix+k)
		if sub, ok := v.(map[string]any); ok {
			out = append(out, keys(prefix+k+".", sub)...)
		}
	}
	return out
}

// Outside test mode an endpoint whose address is loopback is refused when
// the connection is dialled, even if the URL got past registration (a
// name that resolves inside the network later).
func TestPrivateAddressesAreRefusedAtDialTime(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "sqlite", false)
	rc := newReceiver(t)
	// Registered through a test-mode service on the same store and key,
	// as a name that later resolves to loopback would be.
	local, err := webhook.New(webhook.Config{Store: f.st, Box: f.box, TestMode: true})
	if err != nil {
		t.Fatal(err)
	}
	ep, _, err := local.Create(ctx, f.admin, webhook.Registration{URL: rc.srv.URL, Events: []string{portal.EventPolicyDrift}})
	if err != nil {
		t.Fatal(err)
	}
	f.audit.Record(ctx, portal.AuditEvent{Actor: "system", Action: "policy.drift", TargetKind: portal.TargetPolicy, Target: "p"})
	d := f.firstAttempt(t, ep.ID)
	if d.LastError.Key != "webhook.err.private" {
		t.Fatalf("error %q", d.LastError.Key)
	}
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("the loopback receiver got %d requests", n)
	}
}

func TestRegistrationRefusesWhatCannotBeAnEndpoint(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "sqlite", false)
	test := newFixture(t, "sqlite", true)
	all := []string{portal.EventUserOnboarded}
	cases := []struct {
		name   string
		svc    *webhook.Service
		url    string
		events []string
		want   map[string]string // field → message key
	}{
		{"plain http", f.svc, "http://hooks.example.com/x", all, map[string]string{"url": "err.webhook.url.https"}},
		{"no URL and no events", f.svc, "", nil, map[string]string{"url": "err.webhook.url.missing", "events": "err.webhook.events.none"}},
		{"not a URL", f.svc, "hooks example", all, map[string]string{"url": "err.webhook.url.invalid"}},
		{"a private address", f.svc, "https://10.1.2.3/hook", all, map[string]string{"url": "err.webhook.url.private"}},
		{"the metadata service", f.svc, "https://169.254.169.254/latest", all, map[string]string{"url": "err.webhook.url.private"}},
		{"an IPv6 unique local address", f.svc, "https://[fd00::1]/hook", all, map[string]string{"url": "err.webhook.url.private"}},
		{"loopback outside test mode", f.svc, "https://127.0.0.1/hook", all, map[string]string{"url": "err.webhook.url.private"}},
		{"localhost outside test mode", f.svc, "https://localhost/hook", all, map[string]string{"url": "err.webhook.url.private"}},
		{"credentials in the URL", f.svc, "https://u:p@hooks.example.com/", all, map[string]string{"url": "err.webhook.url.userinfo"}},
		{"an unknown event", f.svc, "https://hooks.example.com/", []string{"user.exploded"}, map[string]string{"events": "err.webhook.event.unknown"}},
		{"a private address in test mode", test.svc, "http://192.168.1.10/hook", all, map[string]string{"url": "err.webhook.url.private"}},
		{"http to a public host in test mode", test.svc, "http://hooks.example.com/", all, map[string]string{"url": "err.webhook.url.https"}},
		{"https to a public host", f.svc, "https://hooks.example.com/gatehouse", all, nil},
		{"a local receiver in test mode", test.svc, "http://127.0.0.1:8080/hook", all, nil},
		{"localhost in test mode", test.svc, "http://localhost:8080/hook", all, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, secret, err := c.svc.Create(ctx, f.admin, webhook.Registration{URL: c.url, Events: c.events})
			got := map[string]string{}
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range j.Unwrap() {
					var pe *portal.Error
					if errors.As(e, &pe) {
						got[pe.Field] = pe.Key
					}
				}
			} else if err != nil {
				t.Fatalf("error %v is not a list of field errors", err)
			}
			if len(got) != len(c.want) {
				t.Fatalf("errors %v, want %v", got, c.want)
			}
			for field, key := range c.want {
				if got[field] != key {
					t.Fatalf("errors %v, want %v", got, c.want)
				}
			}
			if c.want == nil && !strings.HasPrefix(secret, "whsec_") {
				t.Fatalf("secret %q does not start with whsec_", secret)
			}
		})
	}
}

// A redirect is not followed (the receiver it points to gets nothing) and
// a receiver that does not answer in time is a failed attempt; both say so
// in the log.
func TestRedirectsAreNotFollowedAndSlowReceiversTimeOut(t *testing.T) {
	ctx := context.Background()
	f := newFixtureTimeout(t, "sqlite", true, 100*time.Millisecond)
	target := newReceiver(t)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.srv.URL, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirect.Close)
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); slow.Close() })
	for _, c := range []struct{ url, why string }{{redirect.URL, "webhook.err.redirect"}, {slow.URL, "webhook.err.timeout"}} {
		ep, _, err := f.svc.Create(ctx, f.admin, webhook.Registration{URL: c.url, Events: []string{portal.EventPolicyDrift}})
		if err != nil {
			t.Fatal(err)
		}
		f.audit.Record(ctx, portal.AuditEvent{Actor: "system", Action: "policy.drift", TargetKind: portal.TargetPolicy, Target: "p"})
		d := f.firstAttempt(t, ep.ID)
		if d.LastError.Key != c.why {
			t.Errorf("%s: error %q, want %q", c.url, d.LastError.Key, c.why)
		}
		f.svc.SetEnabled(ctx, f.admin, ep.ID, false) // the next case's event is not this endpoint's
	}
	if n := len(target.requests()); n != 0 {
		t.Fatalf("the redirect's target got %d requests", n)
	}
}

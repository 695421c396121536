package handlers_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/handlers"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/iamemu/iamfault"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/notify"
	"github.com/gatehouse/portal/notify/smtptest"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/scim"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/webhook"
)

// env is a whole portal wired as in test mode: the real emulator over HTTP,
// the real SDK client, a SQLite file, and the handlers behind httptest.
type env struct {
	t     *testing.T
	onb   *onboarding.Service
	emu   *iamemu.Emulator
	iam   *awsiam.Client
	store *store.Store
	auth  *auth.Service
	srv   *httptest.Server
	// clock offset added to the real time; tests move it forward.
	offset time.Duration
	// logs captures every log line of the portal (for the secrets scan).
	logs *bytes.Buffer
	// emuURL is the emulator's endpoint.
	emuURL string
	// faults stands between the portal's IAM client and the emulator
	// (pass-through until a test sets a fault).
	faults *iamfault.Proxy
	// links builds the portal's links from the server's address.
	links portal.Links
	// handler is what srv serves; a test may swap in a portal wired
	// differently, on the same address (setHandler).
	handler atomic.Pointer[http.Handler]
	// setupBox seals the invitee's held secrets (Deps.SetupBox).
	setupBox *auth.Box
	// adminCodes are the first admin's recovery codes (setupAdmin).
	adminCodes []string
	// scim is the SCIM service (Deps.SCIM), with a one-hour DELETE grace.
	scim *scim.Service
	// hooks is the webhook service (Deps.Webhooks), in test mode.
	hooks *webhook.Service
}

// envOptions change the wiring of newEnvWith for fault tests; zero values
// keep the defaults.
type envOptions struct {
	pageBudget   time.Duration // handlers.Deps.PageBudget
	callTimeout  time.Duration // awsiam.Config.CallTimeout
	readyTimeout time.Duration // handlers.Deps.ReadyTimeout
	partition    string        // iamemu.Options.Partition ("" is aws)
	// smtp, if set, turns e-mail on: notices go through the real mailer to
	// this server, delivered by a job runner that runs with the env.
	smtp *smtptest.Server
	// reportTo, with smtp, are the weekly posture report's recipients.
	reportTo []onboarding.ReportRecipient
	// webhooks runs a job runner that delivers webhooks (retrying after a
	// millisecond instead of 30 seconds).
	webhooks bool
	// members are emulated member accounts, reachable and registered
	// before the test starts (see setUpMembers).
	members []string
}

// setHandler makes the env's server serve h from now on.
func (e *env) setHandler(h http.Handler) { e.handler.Store(&h) }

func newEnv(t *testing.T) *env {
	return newEnvOn(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")))
}

// newEnvOn wires the portal on the given database.
func newEnvOn(t *testing.T, driver, dsn string) *env {
	t.Helper()
	return newEnvWith(t, driver, dsn, envOptions{})
}

// newEnvWith wires the portal on the given database with options.
func newEnvWith(t *testing.T, driver, dsn string, o envOptions) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, logs: &bytes.Buffer{}}
	emuSrv := iamemutest.Start(t, iamemu.Options{Partition: o.partition, MemberAccounts: o.members})
	e.emu, e.emuURL = emuSrv.Emulator, emuSrv.URL
	e.faults = iamfault.New(e.emu)
	portalSide := &iamemutest.Server{Emulator: e.emu, URL: e.faults.Serve(t)}
	iamCfg := awsiam.Config{CallTimeout: o.callTimeout}
	if len(o.members) > 0 {
		iamCfg.AccessKeyID, iamCfg.SecretAccessKey = setUpMembers(t, e.emu, o.members)
	}
	e.iam = portalSide.Client(t, iamCfg)
	var err error
	e.store, err = store.Open(ctx, driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.store.Close() })
	box, err := auth.NewBox([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	if e.setupBox, err = auth.NewBoxFor([]byte(strings.Repeat("k", 32)), "setup"); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	// As in test mode, links are built from the address the portal listens
	// on, known once the listener exists.
	e.srv = httptest.NewUnstartedServer(nil)
	e.links, err = portal.NewLinks("http://" + e.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	e.auth, err = auth.New(auth.Config{Store: e.store, Box: box, Logger: log, Now: e.clock, Links: e.links})
	if err != nil {
		t.Fatal(err)
	}
	// As serve does: who the credentials belong to decides the partition.
	id, err := e.iam.Identity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var lc onboarding.LifecycleConfig
	if o.smtp != nil {
		host, port := o.smtp.HostPort()
		if lc.Notifier, err = notify.New(notify.Config{Host: host, Port: port, From: "gatehouse@example.com", Timeout: time.Second}); err != nil {
			t.Fatal(err)
		}
		lc.Box, lc.ReportTo = box, o.reportTo
	}
	// Member accounts are reached through the same endpoint (the fault
	// proxy), by assuming their role from the hub, as serve wires it.
	accts := awsiam.NewAccounts(awsiam.Config{Endpoint: portalSide.URL, Region: e.emu.Region(), ConsistencyWait: time.Second,
		CallTimeout: o.callTimeout}, e.iam, id.Account)
	onb, err := onboarding.New(onboarding.Config{Store: e.store, IAM: e.iam, Accounts: accts, Logger: log, Account: id.Account, CallerARN: id.ARN,
		Partition: id.Partition, PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Now: e.clock, Links: e.links, Lifecycle: lc})
	if err != nil {
		t.Fatal(err)
	}
	e.onb = onb
	registerMembers(t, onb, o.members)
	if o.smtp != nil {
		runner, err := jobs.New(jobs.Config{Store: e.store, Holder: "test", Poll: 5 * time.Millisecond, Logger: log, Now: e.clock})
		if err != nil {
			t.Fatal(err)
		}
		runner.Register(store.JobNotice, jobs.Notices(onb))
		runner.Register(store.JobPostureReport, jobs.PostureReports(onb))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { runner.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	hookBox, err := auth.NewBoxFor([]byte(strings.Repeat("k", 32)), "webhooks")
	if err != nil {
		t.Fatal(err)
	}
	if e.hooks, err = webhook.New(webhook.Config{Store: e.store, Box: hookBox, Account: id.Account, TestMode: true, Backoff: time.Millisecond,
		Timeout: 5 * time.Second, Logger: log}); err != nil {
		t.Fatal(err)
	}
	if o.webhooks {
		runner, err := jobs.New(jobs.Config{Store: e.store, Holder: "hooks", Poll: 5 * time.Millisecond, Logger: log})
		if err != nil {
			t.Fatal(err)
		}
		runner.Register(store.JobWebhook, jobs.Webhooks(e.hooks))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { runner.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	if e.scim, err = scim.New(scim.Config{Store: e.store, Onboarding: onb, Logger: log, DeleteGrace: time.Hour}); err != nil {
		t.Fatal(err)
	}
	var h http.Handler
	h, err = handlers.New(handlers.Deps{SCIM: e.scim, Webhooks: e.hooks, Store: e.store, Auth: e.auth, Onboarding: onb, Logger: log, Now: e.clock, TestMode: true,
		PageBudget: o.pageBudget, ReadyTimeout: o.readyTimeout,
		Ready: e.iam.Probe, SetupBox: e.setupBox})
	if err != nil {
		t.Fatal(err)
	}
	e.handler.Store(&h)
	// Every JSON API exchange is checked against the OpenAPI document.
	e.srv.Config.Handler = validateAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*e.handler.Load()).ServeHTTP(w, r) }))
	e.srv.Start()
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) clock() time.Time { return time.Now().Add(e.offset) }

// client is a browser-like client: a cookie jar, no redirect following.
type client struct {
	t    *testing.T
	e    *env
	http *http.Client
}

func (e *env) newClient() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// page is a fetched HTML page.
type page struct {
	status int
	header http.Header
	doc    *goquery.Document
	body   string
}

func (c *client) do(req *http.Request) *page {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	if err != nil {
		c.t.Fatal(err)
	}
	return &page{status: resp.StatusCode, header: resp.Header, doc: doc, body: string(b)}
}

func (c *client) get(path string) *page {
	c.t.Helper()
	req, _ := http.NewRequest("GET", c.url(path), nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) *page {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return c.e.srv.URL + path
}

// testid returns the trimmed text of the element with data-testid id.
func (p *page) testid(id string) string {
	return strings.TrimSpace(p.doc.Find(`[data-testid="` + id + `"]`).First().Text())
}

func (p *page) formError() string { return p.testid("form-error") }

// code returns the TOTP code of secret at t.
func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// setupAdmin creates the first admin through the setup link and returns a
// signed-in client with its TOTP secret.
func (e *env) setupAdmin() (*client, string) {
	e.t.Helper()
	token, err := e.auth.SetupLink(context.Background())
	if err != nil || token == "" {
		e.t.Fatalf("setup link: %q %v", token, err)
	}
	c := e.newClient()
	p := c.get("/setup/" + token)
	secret := p.testid("totp-secret")
	if p.status != 200 || len(secret) < 16 {
		e.t.Fatalf("setup page: status %d, secret %q", p.status, secret)
	}
	p = c.post("/setup/"+token, url.Values{"username": {"admin"}, "password": {adminPassword}, "code": {code(e.t, secret, e.clock())}})
	if p.status != http.StatusOK || p.formError() != "" {
		e.t.Fatalf("setup submit: status %d: %s", p.status, p.formError())
	}
	// The answer shows the new admin's recovery codes, once.
	e.adminCodes = nil
	p.doc.Find(`[data-testid="recovery-code"]`).Each(func(_ int, s *goquery.Selection) { e.adminCodes = append(e.adminCodes, s.Text()) })
	if len(e.adminCodes) != auth.RecoveryCodeCount {
		e.t.Fatalf("setup shows %d recovery codes", len(e.adminCodes))
	}
	return c, secret
}

// adminPassword is the first admin's password (setupAdmin).
const adminPassword = "correct horse battery"

// mintToken creates an API token through the form as an operator with
// password and TOTP secret, with a code of a step no sign-in used yet, and
// returns the page (the token is its "token-value").
func (c *client) mintToken(name, password, secret string, extra url.Values) *page {
	c.t.Helper()
	c.e.offset += 30 * time.Second // a fresh code: a code works once
	form := url.Values{"name": {name}, "password": {password}, "code": {code(c.t, secret, c.e.clock())}}
	for k, v := range extra {
		form[k] = v
	}
	return c.post("/tokens", form)
}

// onboard creates an IAM user through the form and returns the invite URL.
func (c *client) onboard(name string) string {
	c.t.Helper()
	p := c.post("/users", url.Values{"user_name": {name}, "display_name": {"Test User"}, "email": {name + "@example.com"}})
	if p.status != http.StatusCreated {
		c.t.Fatalf("onboard %s: status %d: %s", name, p.status, p.formError())
	}
	inv := p.testid("invite-url")
	if !strings.Contains(inv, "/invite/") {
		c.t.Fatalf("hand-off page has no invite URL: %q", inv)
	}
	return inv
}

// statusOf returns the data-status of a user's row in the list.
func (c *client) statusOf(name string) string {
	c.t.Helper()
	p := c.get("/users")
	st, _ := p.doc.Find(`[data-testid="user-row"][data-user="` + name + `"] [data-testid="user-status"]`).Attr("data-status")
	return st
}

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/handlers"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/internal/memlimit"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/scim"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/webhook"
)

// runServe builds Gatehouse from its configuration and serves it until ctx
// ends.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServe(args, getenv, stderr)
	if err != nil {
		return err
	}
	memlimit.Apply(getenv) // a soft memory limit unless GOMEMLIMIT sets one
	// The listener comes first: in test mode the links are built from the
	// address it got.
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	defer ln.Close()
	base := cfg.baseURL
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	links, err := portal.NewLinks(base)
	if err != nil {
		return err
	}
	a, err := buildApp(ctx, cfg, links, getenv, stdout, stderr)
	defer a.close() // what was built before an error is closed too
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Gatehouse is listening on", links.Base(), "(AWS account", a.ident.Account, "in partition", a.ident.Partition.ID+", region", a.region+", as", a.ident.ARN+")")
	token, err := a.auth.SetupLink(ctx)
	if err != nil {
		return err
	}
	if token != "" {
		fmt.Fprintln(stdout, "No operator exists yet. Open this one-time link to create the first admin:")
		fmt.Fprintln(stdout, links.Setup(token))
	}
	return serveUntilDone(ctx, newHTTPServer(a.handler, cfg.requestTimeout), ln, a.background...)
}

// app is a built Gatehouse: the HTTP handler, the background loops that run
// beside it, and what must be closed once both have stopped.
type app struct {
	handler http.Handler
	auth    *auth.Service
	ident   awsiam.Identity
	region  string
	// background are the loops (job runner, status sync, emulator saves)
	// that shutdown waits for before anything is closed.
	background []func(context.Context)
	// closers run in reverse order after the server and the background
	// loops ended: the store closes last of what uses it.
	closers []func()
}

func (a *app) onClose(fn func()) { a.closers = append(a.closers, fn) }

func (a *app) close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
}

// buildApp wires every package from cfg. It never returns a nil app, so the
// caller can close what was built even when it fails half-way.
func buildApp(ctx context.Context, cfg *serveConfig, links portal.Links, getenv func(string) string, stdout, stderr io.Writer) (*app, error) {
	a := &app{}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	iamCfg := awsiam.Config{Endpoint: cfg.iamEndpoint}
	var emu *iamemu.Emulator
	if cfg.testMode {
		var err error
		if emu, err = a.startTestMode(cfg, &iamCfg, stdout, stderr); err != nil {
			return a, err
		}
	}
	st, err := store.Open(ctx, cfg.dbDriver, dsnFor(cfg))
	if err != nil {
		return a, err
	}
	a.onClose(func() { st.Close() })
	metrics := handlers.NewMetrics(st)
	iamCfg.Observe = metrics.ObserveIAM
	// The partition comes from who the credentials belong to; every later
	// client signs IAM for it (docs/running-on-aws.md).
	iamClient, ident, err := awsiam.Connect(ctx, iamCfg)
	if err != nil {
		// The terminal reads English: the message says what to configure,
		// the cause (the SDK's error) follows for the log.
		return a, fmt.Errorf("cannot use AWS: %s (%w)", i18n.ErrorText(i18n.EN, err), err)
	}
	a.ident, a.region = ident, iamClient.Region()
	iamCfg.Partition = ident.Partition
	// Bulk jobs get a client of their own: more attempts per call (a
	// throttled call waits instead of failing a user) and their own pacing
	// (PORTAL_IAM_RATE) or adaptive rate limiter, so a bulk job's queue and
	// throttling do not slow down people clicking through the portal.
	bulkCfg := iamCfg
	bulkCfg.MaxAttempts = 12
	bulkCfg.Rate = cfg.iamRate
	bulkIAM, err := awsiam.New(ctx, bulkCfg)
	if err != nil {
		return a, err
	}

	box, err := auth.NewBox([]byte(cfg.secretKey))
	if err != nil {
		return a, fmt.Errorf("PORTAL_SECRET_KEY: %w", err)
	}
	setupBox, err := auth.NewBoxFor([]byte(cfg.secretKey), "gatehouse invitee setup cookies v1")
	if err != nil {
		return a, fmt.Errorf("PORTAL_SECRET_KEY: %w", err)
	}
	if a.auth, err = auth.New(auth.Config{Store: st, Box: box, Logger: log, Links: links}); err != nil {
		return a, err
	}
	lc, syncEvery, err := lifecycleFromEnv(getenv, links.Base())
	if err != nil {
		return a, err
	}
	// Notices are queued as jobs (sealed with the portal key) and the local
	// runner is woken to deliver them at once; it is built further down.
	var wakeJobs func()
	lc.Box, lc.Wake = box, func() { wakeJobs() }
	// Member accounts are reached by assuming their role from the hub; the
	// sessions are cached in memory by the SDK, never stored.
	onbCfg := onboarding.Config{Store: st, IAM: iamClient, Accounts: awsiam.NewAccounts(iamCfg, iamClient, ident.Account), Logger: log, Account: ident.Account, CallerARN: ident.ARN, Partition: ident.Partition,
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, DefaultDeadline: cfg.deadline, InviteTTL: cfg.inviteTTL, Lifecycle: lc, Links: links,
		ResumeAfter: cfg.resumeAfter}
	onb, err := onboarding.New(onbCfg)
	if err != nil {
		return a, err
	}
	if emu != nil && cfg.testAccounts > 1 {
		if err := registerTestAccounts(ctx, onb, testMemberAccounts(cfg.testAccounts), stdout); err != nil {
			return a, err
		}
	}
	onbCfg.IAM = bulkIAM
	onbCfg.Accounts = awsiam.NewAccounts(bulkCfg, bulkIAM, ident.Account)
	// A bulk job checks the managed policy once per few minutes, not for
	// every user (2 IAM calls each); the portal's own form still checks it
	// every time, so an admin sees drift at once.
	onbCfg.PolicyCacheTTL = 5 * time.Minute
	bulkOnb, err := onboarding.New(onbCfg)
	if err != nil {
		return a, err
	}
	bulk, err := jobs.NewBulk(jobs.BulkConfig{Store: st, Onboarding: bulkOnb, Box: box, InviteTTL: cfg.inviteTTL,
		Concurrency: cfg.bulkConcurrency, Logger: log, Observe: metrics.ObserveBulkRow})
	if err != nil {
		return a, err
	}
	runner, err := jobs.New(jobs.Config{Store: st, Holder: replicaID(cfg), Lease: cfg.jobLease, Logger: log, Observe: metrics.ObserveJob,
		Periodic: []jobs.Periodic{{Every: time.Hour, Run: bulk.PurgeOldInvites},
			jobs.PurgeIdempotencyKeys(st, handlers.IdempotencyTTL, log, nil),
			jobs.AnalyzeStatistics(st, log),
			// Interrupted onboardings resume by themselves (onboarding/resume.go).
			{Every: onb.ResumeSweepEvery(), Run: onb.QueueStuckResumes},
			// The weekly posture report, once per ISO week and recipient (onboarding/posturereport.go).
			{Every: 15 * time.Minute, Run: onb.QueueWeeklyReports}}})
	if err != nil {
		return a, err
	}
	runner.Register(jobs.KindBulkOnboard, bulk.Handle)
	runner.Register(store.JobNotice, jobs.Notices(onb))
	runner.Register(store.JobResume, jobs.Resumes(onb))
	runner.Register(store.JobPostureReport, jobs.PostureReports(onb))
	scimSvc, err := scim.New(scim.Config{Store: st, Onboarding: onb, Logger: log, UserNameAttr: cfg.scimUserName, DeleteGrace: cfg.scimGrace, Wake: runner.Wake})
	if err != nil {
		return a, err
	}
	runner.Register(store.JobSCIMRemove, jobs.SCIMRemovals(scimSvc))
	// Webhook signing secrets are needed in the clear to sign, so they are
	// kept sealed with a key of their own derived from PORTAL_SECRET_KEY.
	hookBox, err := auth.NewBoxFor([]byte(cfg.secretKey), "gatehouse webhook secrets v1")
	if err != nil {
		return a, fmt.Errorf("PORTAL_SECRET_KEY: %w", err)
	}
	hooks, err := webhook.New(webhook.Config{Store: st, Box: hookBox, Account: ident.Account, TestMode: cfg.testMode, Wake: runner.Wake, Logger: log})
	if err != nil {
		return a, err
	}
	runner.Register(store.JobWebhook, jobs.Webhooks(hooks))
	wakeJobs = runner.Wake
	a.background = append(a.background, runner.Run,
		func(ctx context.Context) { onb.RunSyncEvery(ctx, syncEvery) }) // status sync and deadline work; a lease keeps replicas apart

	deps := handlers.Deps{Store: st, Auth: a.auth, Onboarding: onb, Logger: log,
		SecureCookies: cfg.secureCookies, TrustedProxies: cfg.trustedProxies, TestMode: cfg.testMode, Metrics: metrics, MetricsToken: cfg.metricsToken,
		Bulk: bulk, WakeJobs: runner.Wake, SetupBox: setupBox, SCIM: scimSvc, Webhooks: hooks,
		Ready: iamClient.Probe}
	if emu != nil {
		deps.TestCodes = virtualAuthenticator(emu)
	}
	a.handler, err = handlers.New(deps)
	return a, err
}

// startTestMode runs the IAM emulator in-process and points iamCfg at it.
// The emulated account is kept in the state directory (teststate.go) and
// saved every 10 s and at exit, so a restart finds the IAM users the store
// remembers, on SQLite and PostgreSQL alike.
func (a *app) startTestMode(cfg *serveConfig, iamCfg *awsiam.Config, stdout, stderr io.Writer) (*iamemu.Emulator, error) {
	st, err := testStateFor(cfg)
	if err != nil {
		return nil, err
	}
	members := testMemberAccounts(cfg.testAccounts)
	emu := iamemu.New(iamemu.Options{MemberAccounts: members})
	if err := loadEmulatorState(emu, st.iamPath); err != nil {
		return nil, err
	}
	a.background = append(a.background, func(ctx context.Context) { saveEvery(ctx, emu, st.iamPath, 10*time.Second, stderr) })
	a.onClose(func() { // after the background loops: their last IAM calls are kept
		if err := emu.SaveState(st.iamPath); err != nil {
			fmt.Fprintln(stderr, "portal: save emulator state:", err)
		}
	})
	url, stopEmu, err := serveEmulator(emu)
	if err != nil {
		return nil, err
	}
	a.onClose(stopEmu)
	iamCfg.Endpoint = url
	// The emulator's region, whatever AWS_REGION says for real AWS.
	iamCfg.Region = emu.Region()
	iamCfg.AccessKeyID, iamCfg.SecretAccessKey = emu.RootCredentials()
	if len(members) > 0 {
		if iamCfg.AccessKeyID, iamCfg.SecretAccessKey, err = setUpTestAccounts(emu, st, members); err != nil {
			return nil, err
		}
	}
	fmt.Fprintln(stdout, "Test mode: IAM emulator at", url, "(no AWS account is used). For the AWS CLI:")
	fmt.Fprintf(stdout, "  AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws --endpoint-url %s iam list-users\n", iamCfg.AccessKeyID, iamCfg.SecretAccessKey, url)
	if cfg.secretKey == "" {
		var err error
		if cfg.secretKey, err = testModeKey(st); err != nil {
			return nil, err
		}
	}
	return emu, nil
}

// dsnFor returns the database DSN; a SQLite path gets the pragmas.
func dsnFor(cfg *serveConfig) string {
	if cfg.dbDriver == "sqlite" {
		return store.SQLiteDSN(cfg.dbDSN)
	}
	return cfg.dbDSN
}

// serveEmulator runs emu on a loopback port and returns its URL.
func serveEmulator(emu *iamemu.Emulator) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("start IAM emulator: %w", err)
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// virtualAuthenticator computes a device's current and next codes from the
// emulator's seed: test mode's stand-in for a phone.
func virtualAuthenticator(emu *iamemu.Emulator) func(string) []string {
	return func(serial string) []string {
		seed, ok := emu.SeedForTest(serial)
		if !ok {
			return nil
		}
		opts := totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
		now := time.Now()
		c1, err1 := totp.GenerateCodeCustom(seed, now, opts)
		c2, err2 := totp.GenerateCodeCustom(seed, now.Add(30*time.Second), opts)
		if err1 != nil || err2 != nil {
			return nil
		}
		return []string{c1, c2}
	}
}

// newHTTPServer returns the portal's HTTP server. requestTimeout bounds
// reading a whole request, body included: the longest legitimate one is the
// bulk CSV upload (2 MiB, which takes about two minutes over a 150 kbit/s
// uplink). Writing the answer may take the page budget on top (the write
// deadline runs from the end of the request headers). Idle keep-alive
// connections close after two minutes. Together they bound what a slow or
// stalled client can hold (a slowloris).
func newHTTPServer(h http.Handler, requestTimeout time.Duration) *http.Server {
	return &http.Server{Handler: h,
		ReadHeaderTimeout: min(10*time.Second, requestTimeout),
		ReadTimeout:       requestTimeout,
		WriteTimeout:      requestTimeout + handlers.DefaultPageBudget + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
	}
}

// serveUntilDone serves until ctx ends, with background loops beside it,
// then shuts down in an order that loses nothing: the listener closes and
// the loops are told to stop at the same moment; running requests get up
// to 20 seconds to finish while running jobs reach a safe point (the job
// runner's Drain). It returns only when both are done, so what the caller
// closes next (the store, the emulator) is no longer in use.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, background ...func(context.Context)) error {
	bctx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	for _, fn := range background {
		wg.Go(func() { fn(bctx) })
	}
	defer wg.Wait()
	defer stopBackground()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stopBackground()
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

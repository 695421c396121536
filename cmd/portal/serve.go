package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/handlers"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServe(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))

	iamCfg := awsiam.Config{Endpoint: cfg.iamEndpoint}
	var emu *iamemu.Emulator
	if cfg.testMode {
		emu = iamemu.New(iamemu.Options{})
		if cfg.dbDriver == "sqlite" {
			// The emulated account lives beside the database, so a restart
			// finds the IAM users the store remembers.
			path := cfg.dbDSN + ".iam.json"
			if err := loadEmulatorState(emu, path); err != nil {
				return err
			}
			go saveEvery(ctx, emu, path, 10*time.Second, stderr)
			defer func() {
				if err := emu.SaveState(path); err != nil {
					fmt.Fprintln(stderr, "portal: save emulator state:", err)
				}
			}()
		}
		url, stopEmu, err := serveEmulator(emu)
		if err != nil {
			return err
		}
		defer stopEmu()
		iamCfg.Endpoint = url
		// The emulator's region, whatever AWS_REGION says for real AWS.
		iamCfg.Region = awsiam.DefaultRegion
		iamCfg.AccessKeyID, iamCfg.SecretAccessKey = emu.RootCredentials()
		key, secret := emu.RootCredentials()
		fmt.Fprintln(stdout, "Test mode: IAM emulator at", url, "(no AWS account is used). For the AWS CLI:")
		fmt.Fprintf(stdout, "  AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws --endpoint-url %s iam list-users\n", key, secret, url)
		if cfg.secretKey == "" {
			if cfg.secretKey, err = testModeKey(cfg); err != nil {
				return err
			}
		}
	}
	st, err := store.Open(ctx, cfg.dbDriver, dsnFor(cfg))
	if err != nil {
		return err
	}
	defer st.Close()
	metrics := handlers.NewMetrics(st)
	iamCfg.Observe = metrics.ObserveIAM
	// The partition comes from who the credentials belong to; every later
	// client signs IAM for it (docs/running-on-aws.md).
	iamClient, ident, err := awsiam.Connect(ctx, iamCfg)
	if err != nil {
		return fmt.Errorf("cannot use AWS: %w", err)
	}
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
		return err
	}

	box, err := auth.NewBox([]byte(cfg.secretKey))
	if err != nil {
		return fmt.Errorf("PORTAL_SECRET_KEY: %w", err)
	}
	authSvc, err := auth.New(auth.Config{Store: st, Box: box, Logger: log})
	if err != nil {
		return err
	}
	lc, syncEvery, err := lifecycleFromEnv(getenv, cfg.baseURL)
	if err != nil {
		return err
	}
	onbCfg := onboarding.Config{Store: st, IAM: iamClient, Logger: log, Account: ident.Account, CallerARN: ident.ARN, Partition: ident.Partition,
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, DefaultDeadline: cfg.deadline, InviteTTL: cfg.inviteTTL, Lifecycle: lc}
	onb, err := onboarding.New(onbCfg)
	if err != nil {
		return err
	}
	onbCfg.IAM = bulkIAM
	// A bulk job checks the managed policy once per few minutes, not for
	// every user (2 IAM calls each); the portal's own form still checks it
	// every time, so an admin sees drift at once.
	onbCfg.PolicyCacheTTL = 5 * time.Minute
	bulkOnb, err := onboarding.New(onbCfg)
	if err != nil {
		return err
	}
	bulk, err := jobs.NewBulk(jobs.BulkConfig{Store: st, Onboarding: bulkOnb, Box: box, InviteTTL: cfg.inviteTTL,
		Concurrency: cfg.bulkConcurrency, Logger: log, Observe: metrics.ObserveBulkRow})
	if err != nil {
		return err
	}
	runner, err := jobs.New(jobs.Config{Store: st, Holder: replicaID(cfg), Lease: cfg.jobLease, Logger: log, Observe: metrics.ObserveJob,
		Idle: bulk.PurgeOldInvites})
	if err != nil {
		return err
	}
	runner.Register(jobs.KindBulkOnboard, bulk.Handle)

	go onb.RunSyncEvery(ctx, syncEvery) // status sync and deadline work; a lease keeps replicas apart

	deps := handlers.Deps{Store: st, Auth: authSvc, Onboarding: onb, Logger: log, BaseURL: cfg.baseURL,
		SecureCookies: cfg.secureCookies, TrustedProxies: cfg.trustedProxies, TestMode: cfg.testMode, Metrics: metrics, MetricsToken: cfg.metricsToken,
		Bulk: bulk, WakeJobs: runner.Wake,
		Ready: func(ctx context.Context) error { _, err := iamClient.Identity(ctx); return err }}
	if emu != nil {
		deps.TestCodes = virtualAuthenticator(emu)
	}
	srv, err := handlers.New(deps)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	base := cfg.baseURL
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	fmt.Fprintln(stdout, "Gatehouse is listening on", base, "(AWS account", ident.Account, "in partition", ident.Partition.ID+", region", iamClient.Region()+", as", ident.ARN+")")
	token, err := authSvc.SetupLink(ctx)
	if err != nil {
		return err
	}
	if token != "" {
		fmt.Fprintln(stdout, "No operator exists yet. Open this one-time link to create the first admin:")
		fmt.Fprintln(stdout, base+"/setup/"+token)
	}
	return serveUntilDone(ctx, &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}, ln, runner.Run)
}

// dsnFor returns the database DSN; a SQLite path gets the pragmas.
func dsnFor(cfg *serveConfig) string {
	if cfg.dbDriver == "sqlite" {
		return store.SQLiteDSN(cfg.dbDSN)
	}
	return cfg.dbDSN
}

// testModeKey returns the secret key for test mode without configuration:
// a random key kept in a file beside the database, so operators can still
// sign in after a restart. Outside test mode a key must be configured.
func testModeKey(cfg *serveConfig) (string, error) {
	path := cfg.dbDSN + ".key"
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return string(b), nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	key := hex.EncodeToString(b)
	if err := os.WriteFile(path, []byte(key), 0o600); err != nil {
		return "", fmt.Errorf("write test-mode key: %w", err)
	}
	return key, nil
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

// serveUntilDone serves until ctx ends, with background work (the job
// runner) beside it, then shuts down gracefully: the listener closes,
// running requests get up to 20 seconds to finish, and the background work
// is cancelled, which hands unfinished jobs back to the queue for another
// replica (or the next start).
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

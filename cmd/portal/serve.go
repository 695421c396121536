package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/handlers"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
)

var serveEnv = []envVar{
	{"PORTAL_ADDR", "listen address (default 127.0.0.1:8080)"},
	{"PORTAL_DB_DRIVER", "sqlite (default) or postgres"},
	{"PORTAL_DB_DSN", "database DSN; for sqlite a file path (default gatehouse.db)"},
	{"PORTAL_BASE_URL", "external URL of the portal, used in invite links (default: from each request)"},
	{"PORTAL_SECRET_KEY[_FILE]", "key (32+ characters) that encrypts operator TOTP secrets; required outside test mode"},
	{"PORTAL_SECURE_COOKIES", "true when served over TLS or behind a TLS proxy (Secure, __Host- cookies)"},
	{"PORTAL_IAM_ENDPOINT", "IAM/STS endpoint URL (an emulator); default: real AWS"},
	{"PORTAL_DEADLINE", "default enrollment window (default 168h)"},
	{"PORTAL_INVITE_TTL", "how long an invite link is valid (default 168h)"},
	{"AWS_*", "AWS credentials and profile through the SDK's default chain"},
}

// serveConfig is the validated configuration of "portal serve".
type serveConfig struct {
	testMode      bool
	addr          string
	dbDriver      string
	dbDSN         string
	baseURL       string
	secretKey     string
	secureCookies bool
	iamEndpoint   string
	deadline      time.Duration
	inviteTTL     time.Duration
}

func parseServe(args []string, getenv func(string) string, stderr io.Writer) (*serveConfig, error) {
	fs := flagSet("serve", "Runs the Gatehouse web portal.", serveEnv, stderr)
	c := &serveConfig{}
	fs.BoolVar(&c.testMode, "test-mode", false, "run against the built-in IAM emulator (no AWS account needed)")
	fs.StringVar(&c.addr, "addr", envOr(getenv, "PORTAL_ADDR", "127.0.0.1:8080"), "listen address")
	db := fs.String("db", "", "SQLite database file (shorthand for PORTAL_DB_DRIVER=sqlite PORTAL_DB_DSN=PATH)")
	fs.StringVar(&c.baseURL, "base-url", getenv("PORTAL_BASE_URL"), "external URL of the portal")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c.dbDriver = envOr(getenv, "PORTAL_DB_DRIVER", "sqlite")
	c.dbDSN = envOr(getenv, "PORTAL_DB_DSN", "gatehouse.db")
	if *db != "" {
		c.dbDriver, c.dbDSN = "sqlite", *db
	}
	if c.dbDriver != "sqlite" && c.dbDriver != "postgres" {
		return nil, fmt.Errorf("PORTAL_DB_DRIVER=%q: use sqlite or postgres", c.dbDriver)
	}
	var err error
	if c.secretKey, err = secret(getenv, "PORTAL_SECRET_KEY"); err != nil {
		return nil, err
	}
	if c.secretKey != "" && len(c.secretKey) < 32 {
		return nil, fmt.Errorf("PORTAL_SECRET_KEY must be at least 32 characters long (it has %d)", len(c.secretKey))
	}
	if c.secretKey == "" && !c.testMode {
		return nil, errors.New("PORTAL_SECRET_KEY (or PORTAL_SECRET_KEY_FILE) is required: a random string of 32+ characters, for example from `openssl rand -hex 32`")
	}
	if c.secureCookies, err = envBool(getenv, "PORTAL_SECURE_COOKIES", false); err != nil {
		return nil, err
	}
	c.iamEndpoint = getenv("PORTAL_IAM_ENDPOINT")
	if c.deadline, err = envDuration(getenv, "PORTAL_DEADLINE", 7*24*time.Hour); err != nil {
		return nil, err
	}
	if c.inviteTTL, err = envDuration(getenv, "PORTAL_INVITE_TTL", 7*24*time.Hour); err != nil {
		return nil, err
	}
	return c, nil
}

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
		url, stopEmu, err := serveEmulator(emu)
		if err != nil {
			return err
		}
		defer stopEmu()
		iamCfg.Endpoint = url
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
	iamClient, err := awsiam.New(ctx, iamCfg)
	if err != nil {
		return err
	}
	ident, err := iamClient.Identity(ctx)
	if err != nil {
		return fmt.Errorf("cannot use AWS: %w", err)
	}

	st, err := store.Open(ctx, cfg.dbDriver, dsnFor(cfg))
	if err != nil {
		return err
	}
	defer st.Close()

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
	onb, err := onboarding.New(onboarding.Config{Store: st, IAM: iamClient, Logger: log, Account: ident.Account,
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, DefaultDeadline: cfg.deadline, InviteTTL: cfg.inviteTTL, Lifecycle: lc})
	if err != nil {
		return err
	}
	go onb.RunSyncEvery(ctx, syncEvery) // status sync and deadline work; a lease keeps replicas apart
	deps := handlers.Deps{Store: st, Auth: authSvc, Onboarding: onb, Logger: log, BaseURL: cfg.baseURL,
		SecureCookies: cfg.secureCookies, TestMode: cfg.testMode,
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
	fmt.Fprintln(stdout, "Gatehouse is listening on", base, "(AWS account", ident.Account+")")
	token, err := authSvc.SetupLink(ctx)
	if err != nil {
		return err
	}
	if token != "" {
		fmt.Fprintln(stdout, "No operator exists yet. Open this one-time link to create the first admin:")
		fmt.Fprintln(stdout, base+"/setup/"+token)
	}
	return serveUntilDone(ctx, &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}, ln)
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

// serveUntilDone serves until ctx ends, then shuts down gracefully: running
// requests get up to 20 seconds to finish.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

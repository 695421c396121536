package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/portal/scim"
)

var serveEnv = []envVar{
	{"PORTAL_ADDR", "listen address host:port (default 127.0.0.1:8080; 0.0.0.0:8080 in a container)"},
	{"PORTAL_DB_DRIVER", "sqlite (default) or postgres"},
	{"PORTAL_DB_DSN[_FILE]", "database DSN: for sqlite a file path (default gatehouse.db); for postgres a URL postgres://user:pass@host:5432/db?sslmode=… (required)"},
	{"PORTAL_BASE_URL", "external URL of the portal, the base of every link it hands out (invites, e-mails); required outside test mode (test mode: the listen address)"},
	{"PORTAL_SECRET_KEY[_FILE]", "key (32+ characters) that encrypts operator TOTP secrets and bulk invite links; required outside test mode"},
	{"PORTAL_SECURE_COOKIES", "true when served over TLS or behind a TLS proxy (Secure, __Host- cookies)"},
	{"PORTAL_TRUSTED_PROXIES", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed (per-IP limits)"},
	{"PORTAL_IAM_ENDPOINT", "IAM/STS endpoint URL (an emulator, e.g. http://127.0.0.1:4566); default: real AWS"},
	{"PORTAL_DEADLINE", "default enrollment window (default 168h)"},
	{"PORTAL_INVITE_TTL", "how long an invite link is valid (default 168h)"},
	{"PORTAL_BULK_CONCURRENCY", "users a bulk onboarding works on at once, 1–64 (default 8)"},
	{"PORTAL_IAM_RATE", "IAM calls per second bulk onboarding paces itself to, e.g. 10 (set it at or a little below the account's IAM rate; default: no pacing, the SDK's adaptive back-off)"},
	{"PORTAL_METRICS_TOKEN[_FILE]", "bearer token /metrics requires (default: /metrics is open)"},
	{"PORTAL_JOB_LEASE", "how long a replica holds a job without a heartbeat before another takes it over (default 30s)"},
	{"PORTAL_RESUME_AFTER", "how long an interrupted onboarding goes without progress before Gatehouse resumes it by itself (default 1m)"},
	{"PORTAL_SCIM_DELETE_GRACE", "how long a user an identity provider deleted over SCIM stays disabled before it is offboarded (default 168h)"},
	{"PORTAL_SCIM_USERNAME_ATTR", "SCIM attribute the IAM user name comes from: userName (default), externalId or emails, optionally with :local for the part before @"},
	{"PORTAL_REPLICA_ID", "name of this replica in job leases (default: host name + random)"},
	{"PORTAL_REQUEST_TIMEOUT", "how long a client may take to send a whole request, body included (default 2m: a 2 MiB CSV upload over a slow link)"},
	{"PORTAL_STATE_DIR", "test mode only: directory for its generated secret key and emulated IAM account (default: beside the SQLite file; for PostgreSQL $XDG_STATE_HOME/gatehouse or ~/.local/state/gatehouse)"},
	{"GOMEMLIMIT", "soft memory limit of the Go runtime, e.g. 128MiB, or off (default 40MiB: a portal of 10,000 users stays near 50 MB resident; a sign-in's password hash takes 64 MiB for a moment above it)"},
	{"AWS_*", "AWS credentials, profile and region through the SDK's default chain"},
}

// serveConfig is the validated configuration of "portal serve".
type serveConfig struct {
	testMode        bool
	addr            string
	dbDriver        string
	dbDSN           string
	baseURL         string
	secretKey       string
	secureCookies   bool
	trustedProxies  []string
	iamEndpoint     string
	deadline        time.Duration
	inviteTTL       time.Duration
	bulkConcurrency int
	iamRate         float64
	metricsToken    string
	jobLease        time.Duration
	resumeAfter     time.Duration
	scimGrace       time.Duration
	scimUserName    scim.UserNameAttr
	replicaID       string
	requestTimeout  time.Duration
	stateDir        string
	// testAccounts is how many AWS accounts test mode emulates (the hub and
	// testAccounts-1 member accounts reached by an assumed role).
	testAccounts int
}

// parseServe reads flags and environment and checks every value, so a
// mistake stops the start with a message naming the variable, instead of
// failing later in the middle of a request.
func parseServe(args []string, getenv func(string) string, stderr io.Writer) (*serveConfig, error) {
	fs := flagSet("serve", "Runs the Gatehouse web portal.", serveEnv, stderr)
	c := &serveConfig{}
	fs.BoolVar(&c.testMode, "test-mode", false, "run against the built-in IAM emulator (no AWS account needed)")
	fs.IntVar(&c.testAccounts, "test-accounts", 1, "test mode: how many AWS accounts to emulate, 1 to 9 (the hub and member accounts reached by an assumed role)")
	fs.StringVar(&c.addr, "addr", envOr(getenv, "PORTAL_ADDR", "127.0.0.1:8080"), "listen address")
	db := fs.String("db", "", "SQLite database file (shorthand for PORTAL_DB_DRIVER=sqlite PORTAL_DB_DSN=PATH)")
	fs.StringVar(&c.baseURL, "base-url", getenv("PORTAL_BASE_URL"), "external URL of the portal")
	fs.StringVar(&c.stateDir, "state-dir", getenv("PORTAL_STATE_DIR"), "test mode: directory for its secret key and emulated IAM account")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case c.testAccounts < 1 || c.testAccounts > maxTestAccounts:
		return nil, fmt.Errorf("--test-accounts must be 1 to %d, not %d", maxTestAccounts, c.testAccounts)
	case c.testAccounts > 1 && !c.testMode:
		return nil, fmt.Errorf("--test-accounts needs --test-mode")
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	var err error
	if _, port, err := net.SplitHostPort(c.addr); err != nil || port == "" {
		return nil, fmt.Errorf("PORTAL_ADDR / --addr=%q is not host:port (for example 127.0.0.1:8080 or :8080)", c.addr)
	}
	if c.dbDriver, c.dbDSN, err = parseDB(getenv, *db); err != nil {
		return nil, err
	}
	if c.stateDir == "" {
		c.stateDir = defaultStateDir(getenv, c.dbDriver)
	}
	if c.baseURL != "" {
		if err := checkURL("PORTAL_BASE_URL", c.baseURL); err != nil {
			return nil, err
		}
	}
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
	if c.trustedProxies, err = envPrefixes(getenv, "PORTAL_TRUSTED_PROXIES"); err != nil {
		return nil, err
	}
	if c.iamEndpoint = getenv("PORTAL_IAM_ENDPOINT"); c.iamEndpoint != "" {
		if err := checkURL("PORTAL_IAM_ENDPOINT", c.iamEndpoint); err != nil {
			return nil, err
		}
	}
	if c.deadline, err = envDuration(getenv, "PORTAL_DEADLINE", 7*24*time.Hour); err != nil {
		return nil, err
	}
	if c.inviteTTL, err = envDuration(getenv, "PORTAL_INVITE_TTL", 7*24*time.Hour); err != nil {
		return nil, err
	}
	if c.bulkConcurrency, err = envInt(getenv, "PORTAL_BULK_CONCURRENCY", 8, 1, 64); err != nil {
		return nil, err
	}
	if c.iamRate, err = envFloat(getenv, "PORTAL_IAM_RATE", 0, 0.1, 10000); err != nil {
		return nil, err
	}
	if c.metricsToken, err = secret(getenv, "PORTAL_METRICS_TOKEN"); err != nil {
		return nil, err
	}
	if c.jobLease, err = envDuration(getenv, "PORTAL_JOB_LEASE", 30*time.Second); err != nil {
		return nil, err
	}
	if c.resumeAfter, err = envDuration(getenv, "PORTAL_RESUME_AFTER", time.Minute); err != nil {
		return nil, err
	}
	if c.scimGrace, err = envDuration(getenv, "PORTAL_SCIM_DELETE_GRACE", scim.DefaultDeleteGrace); err != nil {
		return nil, err
	}
	if c.scimUserName, err = scim.ParseUserNameAttr(getenv("PORTAL_SCIM_USERNAME_ATTR")); err != nil {
		return nil, fmt.Errorf("PORTAL_SCIM_USERNAME_ATTR=%w", err)
	}
	c.replicaID = getenv("PORTAL_REPLICA_ID")
	if c.requestTimeout, err = envDuration(getenv, "PORTAL_REQUEST_TIMEOUT", 2*time.Minute); err != nil {
		return nil, err
	}
	// Links are never built from a request's Host header (a client chooses
	// it), so outside test mode the portal must be told its own URL.
	if c.baseURL == "" && !c.testMode {
		return nil, errors.New("PORTAL_BASE_URL (or --base-url) is required: the external URL people open the portal at, such as https://gatehouse.example.com; invite links and e-mails are built from it, never from a request's Host header")
	}
	return c, nil
}

// parseDB checks the database driver and DSN.
func parseDB(getenv func(string) string, dbFlag string) (driver, dsn string, err error) {
	if dbFlag != "" {
		return "sqlite", dbFlag, nil
	}
	driver = envOr(getenv, "PORTAL_DB_DRIVER", "sqlite")
	if dsn, err = secret(getenv, "PORTAL_DB_DSN"); err != nil {
		return "", "", err
	}
	switch driver {
	case "sqlite":
		if dsn == "" {
			dsn = "gatehouse.db"
		}
		if strings.Contains(dsn, "://") {
			return "", "", fmt.Errorf("PORTAL_DB_DSN looks like a URL, but PORTAL_DB_DRIVER is sqlite: set PORTAL_DB_DRIVER=postgres, or give a file path")
		}
	case "postgres":
		if dsn == "" {
			return "", "", errors.New("PORTAL_DB_DRIVER=postgres needs PORTAL_DB_DSN (or PORTAL_DB_DSN_FILE), for example postgres://gatehouse:PASSWORD@db:5432/gatehouse?sslmode=disable")
		}
		if u, perr := url.Parse(dsn); strings.Contains(dsn, "://") && (perr != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "") {
			return "", "", errors.New("PORTAL_DB_DSN is not a PostgreSQL URL: use postgres://user:password@host:5432/database?sslmode=disable")
		}
	default:
		return "", "", fmt.Errorf("PORTAL_DB_DRIVER=%q: use sqlite or postgres", driver)
	}
	return driver, dsn, nil
}

// checkURL checks that v is an absolute http(s) URL.
func checkURL(name, v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s=%q is not an http:// or https:// URL with a host", name, v)
	}
	return nil
}

// envInt parses an integer variable within [lo, hi].
func envInt(getenv func(string) string, name string, def, lo, hi int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s=%q is not a whole number from %d to %d", name, v, lo, hi)
	}
	return n, nil
}

// replicaID names this process in job leases.
func replicaID(c *serveConfig) string {
	if c.replicaID != "" {
		return c.replicaID
	}
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano()%1e6)
}

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse/portal/store/storetest"
)

// startPortal runs "portal serve --test-mode" in-process, exactly as the
// README's command does, and returns the lines it printed at start.
func startPortal(t *testing.T, args ...string) (lines map[string]string) {
	t.Helper()
	return startPortalEnv(t, nil, args...)
}

// startPortalEnv is startPortal with environment variables.
func startPortalEnv(t *testing.T, env map[string]string, args ...string) (lines map[string]string) {
	t.Helper()
	return startPortalUntil(t, env, "setup", args...)
}

// startPortalEnvUntilListening is startPortalEnv for a portal that has an
// operator already, so it prints no setup link.
func startPortalEnvUntilListening(t *testing.T, env map[string]string, args ...string) (lines map[string]string) {
	t.Helper()
	return startPortalUntil(t, env, "base", args...)
}

// startPortalUntil starts the portal and returns once it printed the line
// named until ("base" or "setup").
func startPortalUntil(t *testing.T, env map[string]string, until string, args ...string) (lines map[string]string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), func(k string) string { return env[k] }, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	})
	lines = map[string]string{}
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Test mode: IAM emulator at "):
			lines["emulator"] = strings.Fields(line)[5]
		case strings.Contains(line, "AWS_ACCESS_KEY_ID="):
			lines["creds"] = line
		case strings.HasPrefix(line, "Gatehouse is listening on "):
			lines["base"] = strings.Fields(line)[4]
			if until == "base" {
				go io.Copy(io.Discard, pr)
				return lines
			}
		case strings.HasPrefix(line, "http") && strings.Contains(line, "/setup/"):
			lines["setup"] = line
			go io.Copy(io.Discard, pr)
			return lines
		}
	}
	t.Fatalf("serve stopped before printing the %s line: %v", until, lines)
	return nil
}

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type browser struct {
	t *testing.T
	c *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, c: &http.Client{Jar: jar}} // follows redirects like a browser
}

func (b *browser) page(method, u string, form url.Values) (*goquery.Document, int) {
	b.t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(form.Encode()))
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return doc, resp.StatusCode
}

func testid(doc *goquery.Document, id string) string {
	return strings.TrimSpace(doc.Find(`[data-testid="` + id + `"]`).First().Text())
}

// TestServeTestModeEndToEnd drives the whole product as a person would:
// operator setup and sign-in, onboarding "test", the invite, MFA with
// computed codes — then checks the status list and IAM itself.
func TestServeTestModeEndToEnd(t *testing.T) {
	lines := startPortal(t, "--test-mode", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "gatehouse.db"))
	base, setup := lines["base"], lines["setup"]
	if !strings.HasPrefix(setup, base+"/setup/") {
		t.Fatalf("setup URL %q is not under %q", setup, base)
	}

	admin := newBrowser(t)
	doc, _ := admin.page("GET", setup, nil)
	opSecret := testid(doc, "totp-secret")
	doc, status := admin.page("POST", setup, url.Values{"username": {"root-admin"}, "password": {"a long enough passphrase"}, "code": {code(t, opSecret, time.Now())}})
	if status != 200 || doc.Find(`[data-testid="form-error"]`).Length() > 0 {
		t.Fatalf("setup: status %d: %s", status, testid(doc, "form-error"))
	}
	// Sign out and in again with password and the next code.
	admin.page("POST", base+"/signout", nil)
	doc, _ = admin.page("POST", base+"/signin", url.Values{"username": {"root-admin"}, "password": {"a long enough passphrase"}, "code": {code(t, opSecret, time.Now().Add(30*time.Second))}})
	if msg := testid(doc, "form-error"); msg != "" {
		t.Fatalf("sign-in: %s", msg)
	}

	doc, status = admin.page("POST", base+"/users", url.Values{"user_name": {"test"}, "display_name": {"Test User"}})
	invite := testid(doc, "invite-url")
	if status != http.StatusCreated || !strings.HasPrefix(invite, base+"/invite/") {
		t.Fatalf("onboarding: status %d, invite %q: %s", status, invite, testid(doc, "form-error"))
	}

	user := newBrowser(t)
	user.page("GET", invite, nil)
	doc, _ = user.page("POST", invite, nil)
	if got := testid(doc, "console-username"); got != "test" {
		t.Fatalf("credentials page user = %q", got)
	}
	doc, _ = user.page("POST", base+"/enroll/password/saved", url.Values{"next": {"mfa"}})
	secret := testid(doc, "mfa-secret")
	now := time.Now()
	doc, _ = user.page("POST", base+"/enroll/mfa", url.Values{"code1": {code(t, secret, now.Add(-30*time.Second))}, "code2": {code(t, secret, now)}})
	serial := testid(doc, "mfa-serial")
	if !regexp.MustCompile(`^arn:aws:iam::\d{12}:mfa/test$`).MatchString(serial) {
		t.Fatalf("done page serial = %q: %s", serial, testid(doc, "form-error"))
	}

	doc, _ = admin.page("GET", base+"/users", nil)
	if st, _ := doc.Find(`[data-testid="user-row"][data-user="test"] [data-testid="user-status"]`).Attr("data-status"); st != "enrolled" {
		t.Fatalf("status list says %q, want enrolled", st)
	}

	// IAM itself, through the SDK, with the root credentials serve printed.
	out, err := portalIAM(t, lines).ListMFADevices(context.Background(), &iam.ListMFADevicesInput{UserName: aws.String("test")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.MFADevices) != 1 || aws.ToString(out.MFADevices[0].SerialNumber) != serial {
		t.Fatalf("IAM lists %d MFA devices for test, want the one with serial %s", len(out.MFADevices), serial)
	}
}

func TestServeWithoutCredentialsFailsClearly(t *testing.T) {
	// A dead endpoint stands in for "no AWS": the SDK's default chain may
	// find nothing, or find something that does not work; both must end
	// with a message, not a hang or a panic.
	env := map[string]string{"PORTAL_SECRET_KEY": strings.Repeat("s", 32), "PORTAL_IAM_ENDPOINT": "http://127.0.0.1:1", "PORTAL_BASE_URL": "https://gatehouse.example.com",
		"AWS_ACCESS_KEY_ID": "", "AWS_EC2_METADATA_DISABLED": "true"}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := run(ctx, []string{"serve", "--db", filepath.Join(t.TempDir(), "x.db")}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "cannot use AWS") {
		t.Fatalf("serve without credentials: %v", err)
	}
	if !strings.Contains(err.Error(), "No AWS credentials") {
		t.Fatalf("the error does not say what is missing: %v", err)
	}
}

func TestServeRequiresSecretKeyOutsideTestMode(t *testing.T) {
	err := run(context.Background(), []string{"serve"}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "PORTAL_SECRET_KEY") {
		t.Fatalf("err = %v, want a message naming PORTAL_SECRET_KEY", err)
	}
}

// portalIAM is an SDK client for the emulator of a test-mode portal, with
// the root credentials it printed.
func portalIAM(t *testing.T, lines map[string]string) *iam.Client {
	t.Helper()
	m := regexp.MustCompile(`AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)`).FindStringSubmatch(lines["creds"])
	if m == nil {
		t.Fatalf("serve did not print emulator credentials: %q", lines["creds"])
	}
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("us-east-1"),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(m[1], m[2], "")))
	if err != nil {
		t.Fatal(err)
	}
	return iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(lines["emulator"]) })
}

// A restarted test-mode portal finds the emulated account as it left it,
// so the users its database remembers still exist in "IAM".
func TestServeTestModeKeepsTheEmulatedAccount(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gatehouse.db")
	args := []string{"--test-mode", "--addr", "127.0.0.1:0", "--db", db}
	t.Run("first run", func(t *testing.T) {
		_, err := portalIAM(t, startPortal(t, args...)).CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("kept")})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("after a restart", func(t *testing.T) {
		out, err := portalIAM(t, startPortal(t, args...)).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("kept")})
		if err != nil || aws.ToString(out.User.UserName) != "kept" {
			t.Fatalf("user created before the restart: %v", err)
		}
	})
}

// Test mode on PostgreSQL keeps its key and emulated account in the state
// directory (there is no database file to put them beside), and a restart
// finds both: the first admin signs in again, the IAM user is still there.
func TestServeTestModeOnPostgreSQL(t *testing.T) {
	if !slices.Contains(storetest.Engines(t), "postgres") { // under CI=true a missing PostgreSQL fails here
		t.Skip("PostgreSQL not configured (PORTAL_TEST_POSTGRES_URL)")
	}
	dsn := storetest.DSN(t, "postgres")
	state := t.TempDir()
	env := map[string]string{"PORTAL_DB_DRIVER": "postgres", "PORTAL_DB_DSN": dsn, "PORTAL_STATE_DIR": state}
	args := []string{"--test-mode", "--addr", "127.0.0.1:0"}
	var secret string
	t.Run("first run", func(t *testing.T) {
		lines := startPortalEnv(t, env, args...)
		admin := newBrowser(t)
		doc, _ := admin.page("GET", lines["setup"], nil)
		secret = testid(doc, "totp-secret")
		doc, status := admin.page("POST", lines["setup"], url.Values{"username": {"admin"}, "password": {"a long enough passphrase"},
			"code": {code(t, secret, time.Now())}})
		if status != 200 || testid(doc, "form-error") != "" {
			t.Fatalf("setup: status %d: %s", status, testid(doc, "form-error"))
		}
		if _, err := portalIAM(t, lines).CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("kept")}); err != nil {
			t.Fatal(err)
		}
	})
	files, _ := filepath.Glob(filepath.Join(state, "postgres-*"))
	if len(files) != 2 {
		t.Fatalf("state directory holds %v, want the key and the emulated account", files)
	}
	t.Run("after a restart", func(t *testing.T) {
		lines := startPortalEnvUntilListening(t, env, args...)
		if _, err := portalIAM(t, lines).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("kept")}); err != nil {
			t.Fatalf("user created before the restart: %v", err)
		}
		// The same key decrypts the admin's TOTP secret: sign-in works.
		b := newBrowser(t)
		doc, status := b.page("POST", lines["base"]+"/signin", url.Values{"username": {"admin"}, "password": {"a long enough passphrase"},
			"code": {code(t, secret, time.Now().Add(30*time.Second))}})
		if status != 200 || testid(doc, "form-error") != "" {
			t.Fatalf("sign-in after a restart: status %d: %s", status, testid(doc, "form-error"))
		}
	})
}

// TestServeTestModeTwoAccounts: --test-accounts 2 emulates a member account
// whose role is created and registered, so a user is onboarded and enrolled
// there through the assumed role, from the browser.
func TestServeTestModeTwoAccounts(t *testing.T) {
	const member = "222222222222"
	lines := startPortal(t, "--test-mode", "--test-accounts", "2", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "gatehouse.db"))
	base, setup := lines["base"], lines["setup"]
	admin := newBrowser(t)
	doc, _ := admin.page("GET", setup, nil)
	opSecret := testid(doc, "totp-secret")
	if _, status := admin.page("POST", setup, url.Values{"username": {"root-admin"}, "password": {"a long enough passphrase"}, "code": {code(t, opSecret, time.Now())}}); status != 200 {
		t.Fatalf("setup: status %d", status)
	}
	doc, _ = admin.page("GET", base+"/accounts", nil)
	if st, _ := doc.Find(`[data-testid="account-row"][data-account="` + member + `"]`).Attr("data-status"); st != "reachable" {
		t.Fatalf("member account status %q: %s", st, doc.Find(`[data-account="`+member+`"]`).Text())
	}
	doc, _ = admin.page("GET", base+"/users/new", nil)
	if doc.Find(`select[name="account"] option[value="`+member+`"]`).Length() != 1 {
		t.Fatal("the new-user form does not offer the member account")
	}
	doc, status := admin.page("POST", base+"/users", url.Values{"account": {member}, "user_name": {"test"}})
	invite := testid(doc, "invite-url")
	if status != http.StatusCreated || invite == "" {
		t.Fatalf("onboarding in the member account: status %d: %s", status, testid(doc, "form-error"))
	}
	user := newBrowser(t)
	user.page("GET", invite, nil)
	user.page("POST", invite, nil)
	doc, _ = user.page("POST", base+"/enroll/password/saved", url.Values{"next": {"mfa"}})
	secret := testid(doc, "mfa-secret")
	now := time.Now()
	doc, _ = user.page("POST", base+"/enroll/mfa", url.Values{"code1": {code(t, secret, now.Add(-30*time.Second))}, "code2": {code(t, secret, now)}})
	if serial := testid(doc, "mfa-serial"); serial != "arn:aws:iam::"+member+":mfa/test" {
		t.Fatalf("done page serial = %q: %s", serial, testid(doc, "form-error"))
	}
	doc, _ = admin.page("GET", base+"/users?account="+member, nil)
	if st, _ := doc.Find(`[data-testid="user-row"][data-user="test"] [data-testid="user-status"]`).Attr("data-status"); st != "enrolled" {
		t.Fatalf("status list says %q, want enrolled", st)
	}
}

// --test-accounts is 1 to 9, and only with --test-mode.
func TestTestAccountsFlag(t *testing.T) {
	for _, args := range [][]string{{"--test-mode", "--test-accounts", "0"}, {"--test-mode", "--test-accounts", "10"}, {"--test-accounts", "2"}} {
		if _, err := parseServe(args, func(string) string { return "" }, io.Discard); err == nil || !strings.Contains(err.Error(), "test-accounts") {
			t.Errorf("%v: %v", args, err)
		}
	}
}

package iamemu

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	pol "github.com/gatehouse/portal/policy"
)

// TestSeedVerificationCLI runs testdata/cli/seed_verification.sh — the
// seed's verification as an operator would type it — with the real AWS CLI
// against the enforcing emulator. Each "ok - NAME" line of the script
// becomes a subtest. Without aws on PATH the test skips, unless CI=true.
//
// The script starts about 35 AWS CLI processes, 1–3 s each on a busy
// machine, which would push the package past its time budget; so outside
// CI it runs only when asked: IAMEMU_CLI=1 go test -run CLI ./iamemu/.
func TestSeedVerificationCLI(t *testing.T) {
	needCLI(t)
	if os.Getenv("CI") != "true" && os.Getenv("IAMEMU_CLI") != "1" {
		t.Skip("slow (≈35 AWS CLI processes); set IAMEMU_CLI=1 or CI=true to run")
	}
	clock := &fakeClock{t: t0}
	e := New(Options{Now: clock.Now})
	mux := http.NewServeMux()
	// The script's only way to move the IAM clock: POST ?advance=SECONDS.
	mux.HandleFunc("POST /_test/clock", func(w http.ResponseWriter, r *http.Request) {
		sec, err := strconv.Atoi(r.URL.Query().Get("advance"))
		if err != nil {
			http.Error(w, "advance must be an integer", http.StatusBadRequest)
			return
		}
		clock.Advance(time.Duration(sec) * time.Second)
		fmt.Fprint(w, clock.Now().Unix())
	})
	mux.Handle("/", e)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	dir := t.TempDir()
	seedFile := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(seedFile, []byte(pol.Seed), 0o600); err != nil {
		t.Fatal(err)
	}
	key, secret := e.RootCredentials()
	cmd := exec.Command("bash", filepath.Join("testdata", "cli", "seed_verification.sh"))
	cmd.Env = append(cliEnv(),
		"AWS_ENDPOINT_URL="+srv.URL,
		"EMU_CLOCK_URL="+srv.URL+"/_test/clock",
		"AWS_ACCESS_KEY_ID="+key, "AWS_SECRET_ACCESS_KEY="+secret,
		"ACCOUNT_ID="+e.AccountID(),
		"SEED_POLICY_FILE="+seedFile,
		// Keep the developer's own profiles and credentials out of it.
		"AWS_CONFIG_FILE="+filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"),
	)
	out, runErr := cmd.CombinedOutput()

	passed := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "ok - "); ok {
			passed++
			t.Run(name, func(t *testing.T) {})
		} else if name, ok := strings.CutPrefix(line, "not ok - "); ok {
			t.Run(name, func(t *testing.T) { t.Fatalf("script output:\n%s", out) })
		}
	}
	if runErr != nil {
		t.Fatalf("seed_verification.sh: %v\n%s", runErr, out)
	}
	if passed < 25 {
		t.Fatalf("only %d assertions passed; the script stopped early:\n%s", passed, out)
	}
}

// cliEnv is the test process's environment without AWS_* settings, so the
// script sees only the credentials and endpoint the test gives it.
func cliEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return env
}

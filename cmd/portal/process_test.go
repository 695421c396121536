package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/portal/iamemu/iamfault"
)

// portalBin is the portal binary built once for the tests that run it as a
// real process (kill -9, several replicas).
var portalBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "portal-bin")
	if err != nil {
		panic(err)
	}
	portalBin = filepath.Join(dir, "portal")
	if out, err := exec.Command("go", "build", "-o", portalBin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build portal: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running portal process and what it printed at start.
type proc struct {
	cmd   *exec.Cmd
	lines map[string]string
}

// startProc runs the portal binary with args and env and waits for the
// line that says it is ready (prefix ready).
func startProc(t *testing.T, env []string, ready string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(portalBin, args...)
	cmd.Env = append(os.Environ(), withOwnPort(t, env)...)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if os.Getenv("PORTAL_TEST_LOGS") != "" {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, lines: map[string]string{}}
	t.Cleanup(func() { p.kill() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(line, "="); ok && strings.HasPrefix(k, "AWS_") {
			p.lines[k] = v
			if k == "AWS_ENDPOINT_URL" {
				p.lines["url"] = v
			}
		}
		if strings.HasPrefix(line, "Gatehouse is listening on ") {
			p.lines["base"] = strings.Fields(line)[4]
		}
		if strings.Contains(line, "/setup/") {
			p.lines["setup"] = line
		}
		if strings.HasPrefix(line, ready) {
			go io.Copy(io.Discard, out)
			return p
		}
	}
	t.Fatalf("%v stopped before %q: %v", args, ready, p.lines)
	return nil
}

// kill sends SIGKILL: no shutdown code runs, as with kill -9.
func (p *proc) kill() {
	if p.cmd.ProcessState == nil {
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.cmd.Wait()
	}
}

// startEmulator runs "portal emulator" as its own process, which the tests
// never kill: IAM's state outlives every portal crash.
func startEmulator(t *testing.T, args ...string) *proc {
	return startProc(t, nil, "Example:", append([]string{"emulator", "--addr", "127.0.0.1:0"}, args...)...)
}

// withOwnPort gives a replica started with PORTAL_ADDR=127.0.0.1:0 a free
// port of its own and the base URL of that port: outside test mode the
// portal builds links from PORTAL_BASE_URL, which must name where it is.
func withOwnPort(t *testing.T, env []string) []string {
	i := slices.Index(env, "PORTAL_ADDR=127.0.0.1:0")
	if i < 0 {
		return env
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	out := slices.Clone(env)
	out[i] = "PORTAL_ADDR=" + addr
	return append(out, "PORTAL_BASE_URL=http://"+addr)
}

// serveEnv returns the environment of a portal replica against emu.
func replicaEnv(emu *proc, driver, dsn string) []string {
	return []string{"PORTAL_DB_DRIVER=" + driver, "PORTAL_DB_DSN=" + dsn, "PORTAL_SECRET_KEY=" + strings.Repeat("s", 32),
		"PORTAL_IAM_ENDPOINT=" + emu.lines["url"], "AWS_ACCESS_KEY_ID=" + emu.lines["AWS_ACCESS_KEY_ID"],
		"AWS_SECRET_ACCESS_KEY=" + emu.lines["AWS_SECRET_ACCESS_KEY"], "AWS_REGION=us-east-1", "PORTAL_JOB_LEASE=2s",
		"PORTAL_ADDR=127.0.0.1:0"}
}

// signInFirstAdmin creates the first admin through the setup link.
func signInFirstAdmin(t *testing.T, setup string) *browser {
	t.Helper()
	admin := newBrowser(t)
	doc, _ := admin.page("GET", setup, nil)
	secret := testid(doc, "totp-secret")
	doc, status := admin.page("POST", setup, url.Values{"username": {"admin"}, "password": {"a long enough passphrase"}, "code": {code(t, secret, time.Now())}})
	if status != 200 || testid(doc, "form-error") != "" {
		t.Fatalf("setup: status %d: %s", status, testid(doc, "form-error"))
	}
	return admin
}

// bulkCSV returns n rows of users prefix-0 … prefix-(n-1).
func bulkCSV(prefix string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s-%03d,User %d,,\n", prefix, i, i)
	}
	return b.String()
}

// killAtCall arms a kill -9 of victim at the next call of action through
// the fault proxy: before the call reaches IAM (Down), or after IAM acted
// and before the portal hears the answer (DropAfterActing, when after).
// The call passes again once the kill has happened; the flag it returns
// says whether it has.
func killAtCall(faults *iamfault.Proxy, action string, after bool, victim *proc) *atomic.Bool {
	fault := iamfault.Down
	if after {
		fault = iamfault.DropAfterActing
	}
	var killed atomic.Bool
	faults.OnFault(action, func() {
		killed.Store(true)
		faults.Set(action, iamfault.Pass)
		victim.kill()
	})
	faults.Set(action, fault)
	return &killed
}

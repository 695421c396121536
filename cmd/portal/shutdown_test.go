package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// A client that sends its headers and then trickles (or stalls) the body
// holds a connection and a goroutine: the server cuts it off once the
// request timeout passes.
func TestSlowClientIsCutOff(t *testing.T) {
	lines := startPortalEnv(t, map[string]string{"PORTAL_REQUEST_TIMEOUT": "300ms"},
		"--test-mode", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "gatehouse.db"))
	conn, err := net.Dial("tcp", strings.TrimPrefix(lines["base"], "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nusername=a"))
	// A generous guard: the configured timeout is 300 ms; without one the
	// server would wait for the body forever.
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	// The server may answer (its read of the body failed) or just close;
	// what it must not do is wait.
	status, err := bufio.NewReader(conn).ReadString('\n')
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server still holds a connection whose body never comes")
	}
	t.Logf("the server gave up on the slow body: %q %v", status, err)
}

// SIGTERM in the middle of a bulk job: the rows in flight finish their
// sagas (no user is left half-created), no new row starts, the job goes
// back to the queue — written before the store closed, or it would still
// say running — and the next start finishes it exactly once (no row
// onboarded twice, one valid invite each).
func TestSIGTERMDuringBulkJobStopsAtASafePoint(t *testing.T) {
	emu := startEmulator(t, "--throttle-rate", "40")
	dbPath := filepath.Join(t.TempDir(), "gatehouse.db")
	env := replicaEnv(emu, "sqlite", dbPath)
	a := startProc(t, env, "http", "serve")
	admin := signInFirstAdmin(t, a.lines["setup"])
	const n = 40
	prog := startBulk(t, admin, a.lines["base"], bulkCSV("term", n))
	eventually.True(t, time.Minute, 20*time.Millisecond, "the job never got a quarter done", func() bool {
		p := progress(t, admin, a.lines["base"]+prog)
		if !p.Running {
			t.Fatalf("the job ended before SIGTERM: %+v", p)
		}
		return p.Done >= n/4
	})
	a.cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- a.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("portal exited with %v after SIGTERM", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("portal did not exit after SIGTERM")
	}

	st := storetest.Open(t, "sqlite", store.SQLiteDSN(dbPath))
	var running, provisioning int
	var state string
	st.DB().QueryRow(`SELECT COUNT(*) FROM bulk_items WHERE status = 'running'`).Scan(&running)
	st.DB().QueryRow(`SELECT COUNT(*) FROM users WHERE state = 'provisioning'`).Scan(&provisioning)
	st.DB().QueryRow(`SELECT state FROM jobs WHERE id = 1`).Scan(&state)
	if running != 0 || provisioning != 0 {
		t.Fatalf("SIGTERM cut sagas in the middle: %d rows running, %d users half-created", running, provisioning)
	}
	if state != store.JobQueued {
		t.Fatalf("after SIGTERM the job is %q, want queued (handed back)", state)
	}
	st.Close()

	b := startProc(t, env, "Gatehouse is listening", "serve")
	var p jobProgress
	eventually.True(t, 2*time.Minute, 100*time.Millisecond, "the job did not finish after the restart", func() bool {
		p = progress(t, admin, b.lines["base"]+prog)
		return !p.Running
	})
	if p.Done != n || p.Failed != 0 {
		t.Fatalf("after the restart: %+v, want %d done", p, n)
	}
	checkExactlyOnce(t, storetest.Open(t, "sqlite", store.SQLiteDSN(dbPath)), emu, "term-", n)
}

// Shutdown waits for every background loop — the job runner, the status
// sync and (in test mode) the emulator's saves — before anything closes.
func TestShutdownWaitsForEveryBackgroundLoop(t *testing.T) {
	getenv := func(string) string { return "" }
	cfg, err := parseServe([]string{"--test-mode", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "g.db")}, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	a, err := buildApp(context.Background(), cfg, portal.Links{}, getenv, io.Discard, io.Discard)
	defer a.close()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(a.background); got != 3 {
		t.Fatalf("%d background loops, want 3 (job runner, status sync, emulator saves)", got)
	}
	var exited atomic.Int32
	var loops []func(context.Context)
	for _, fn := range a.background {
		loops = append(loops, func(ctx context.Context) { fn(ctx); exited.Add(1) })
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveUntilDone(ctx, newHTTPServer(a.handler, time.Minute), ln, loops...) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := int(exited.Load()); got != len(loops) {
		t.Fatalf("shutdown returned with %d of %d background loops still running", len(loops)-got, len(loops))
	}
}

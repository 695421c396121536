// Command bulk measures bulk onboarding against the emulator throttled at a
// fixed rate: total time ÷ the floor (the IAM calls that succeeded, as the
// emulator answered them, ÷ rate), failed and duplicate users. Run:
//
//	go run ./bench/bulk -users 1000 -rate 100 -pace 100
//
// (-pace 0 -policy-ttl 0 is the unpaced, per-user policy check of the first
// measurement; add -error-rate 0.05 -throttle-share 0.10 for the fault run).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/bench/internal/measure"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
)

func main() {
	users := flag.Int("users", 1000, "users to onboard")
	rate := flag.Float64("rate", 100, "emulator throttle rate (calls/s)")
	errRate := flag.Float64("error-rate", 0, "share of calls answered 500 ServiceFailure")
	throttleShare := flag.Float64("throttle-share", 0, "extra share of calls answered Throttling at random")
	conc := flag.Int("concurrency", 8, "bulk concurrency")
	pace := flag.Float64("pace", 0, "client-side pacing of IAM calls (calls/s, PORTAL_IAM_RATE); 0 = the SDK's adaptive mode")
	ttl := flag.Duration("policy-ttl", 5*time.Minute, "trust a managed-policy check for this long; 0 = check for every user")
	runs := flag.Int("runs", 1, "repetitions; the ratio is reported as min–median–max")
	flag.Parse()
	var ratios, loads []float64
	for range *runs {
		r, err := run(os.Stdout, *users, *rate, *errRate, *throttleShare, *conc, *pace, *ttl)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ratios, loads = append(ratios, r.ratio), append(loads, r.load)
	}
	if *runs > 1 {
		fmt.Printf("ratio over %d runs: %s (load average %s)\n", *runs, measure.SpreadOf(ratios).Format("%.3f"), measure.SpreadOf(loads).Format("%.1f"))
	}
}

// outcome is one run's result.
type outcome struct {
	ratio              float64 // time ÷ floor
	done, failed, dups int
	load               float64 // 1-minute load average at the end
}

func run(out io.Writer, n int, rate, errRate, throttleShare float64, conc int, pace float64, ttl time.Duration) (outcome, error) {
	ctx := context.Background()
	emu := iamemu.New(iamemu.Options{})
	emu.SetFaults(iamemu.Faults{ThrottleRate: rate, ThrottleBurst: int(rate), ErrorRate: errRate})
	var ok, all atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		all.Add(1)
		if throttleShare > 0 && rand.Float64() < throttleShare {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>`)
			return
		}
		rec := &status{ResponseWriter: w, code: 200}
		emu.ServeHTTP(rec, r)
		// Needed calls: every answer but a throttle (400 here; no call
		// of the saga is invalid) or an injected ServiceFailure (500).
		// GetPolicy's NoSuchEntity (404) before CreatePolicy is needed.
		if rec.code != http.StatusBadRequest && rec.code != http.StatusInternalServerError {
			ok.Add(1)
		}
	}))
	defer srv.Close()
	key, secret := emu.RootCredentials()
	calls := &counter{n: map[string]int{}}
	iam, err := awsiam.New(ctx, awsiam.Config{Endpoint: srv.URL, AccessKeyID: key, SecretAccessKey: secret, MaxAttempts: 12,
		Rate: pace, Observe: calls.observe})
	if err != nil {
		return outcome{}, err
	}
	dir, _ := os.MkdirTemp("", "bench")
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, "sqlite", store.SQLiteDSN(filepath.Join(dir, "b.db")))
	if err != nil {
		return outcome{}, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	onb, _ := onboarding.New(onboarding.Config{Store: st, IAM: iam, Logger: log, Account: emu.AccountID(), PolicyName: policy.SeedName, PolicyDocument: policy.Seed,
		PolicyCacheTTL: ttl})
	box, _ := auth.NewBox([]byte(strings.Repeat("k", 32)))
	bulk, _ := jobs.NewBulk(jobs.BulkConfig{Store: st, Onboarding: onb, Box: box, Logger: log, Concurrency: conc})
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "bench-%05d,User %d,,\n", i, i)
	}
	good, _, err := jobs.ParseBulkCSV(strings.NewReader(b.String()), time.Now(), func(string) bool { return false })
	if err != nil {
		return outcome{}, err
	}
	j, err := bulk.Enqueue(ctx, "bench", good)
	if err != nil {
		return outcome{}, err
	}
	time.Sleep(time.Second) // let the throttle bucket fill as at rest
	start := time.Now()
	if err := bulk.Handle(ctx, j); err != nil {
		return outcome{}, err
	}
	elapsed := time.Since(start)
	p, _ := bulk.Progress(ctx, j.ID)
	// IAM names are unique, so a duplicate would show as a user record
	// beyond the requested n (or a failed row).
	var stored int
	st.DB().QueryRow(`SELECT COUNT(*) FROM users`).Scan(&stored)
	dups := max(0, stored-n)
	floor := time.Duration(float64(ok.Load()) / rate * float64(time.Second))
	fmt.Fprintf(out, "users=%d rate=%.0f/s pace=%.0f/s policy-ttl=%s errors=%.2f extra-throttle=%.2f concurrency=%d\n",
		n, rate, pace, ttl, errRate, throttleShare, conc)
	fmt.Fprintf(out, "calls by action (ok or final error): %s calls/user=%.3f\n", calls, float64(ok.Load())/float64(n))
	o := outcome{ratio: elapsed.Seconds() / floor.Seconds(), done: p.Done, failed: p.Failed, dups: dups, load: measure.Load()}
	fmt.Fprintf(out, "time=%s needed-calls=%d all-requests=%d floor=%s ratio=%.3f done=%d failed=%d duplicates=%d load=%.1f\n",
		elapsed.Round(time.Millisecond), ok.Load(), all.Load(), floor.Round(time.Millisecond), o.ratio, p.Done, p.Failed, dups, o.load)
	return o, nil
}

// counter counts finished calls by action and outcome (awsiam's observer).
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) observe(action, outcome string, _ time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[action+":"+outcome]++
}

func (c *counter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := slices.Sorted(maps.Keys(c.n))
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%d ", k, c.n[k])
	}
	return b.String()
}

type status struct {
	http.ResponseWriter
	code int
}

func (s *status) WriteHeader(c int) { s.code = c; s.ResponseWriter.WriteHeader(c) }

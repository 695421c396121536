// Command bulk measures bulk onboarding against the emulator throttled at a
// fixed rate: total time ÷ the floor (successful IAM calls ÷ rate), failed
// and duplicate users. Run: go run ./bench/bulk -users 1000 -rate 100
// (add -error-rate 0.05 -throttle-share 0.10 for the fault run).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
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
	flag.Parse()
	if err := run(*users, *rate, *errRate, *throttleShare, *conc); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(n int, rate, errRate, throttleShare float64, conc int) error {
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
		if rec.code == 200 {
			ok.Add(1)
		}
	}))
	defer srv.Close()
	key, secret := emu.RootCredentials()
	iam, err := awsiam.New(ctx, awsiam.Config{Endpoint: srv.URL, AccessKeyID: key, SecretAccessKey: secret, MaxAttempts: 12})
	if err != nil {
		return err
	}
	dir, _ := os.MkdirTemp("", "bench")
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, "sqlite", store.SQLiteDSN(filepath.Join(dir, "b.db")))
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	onb, _ := onboarding.New(onboarding.Config{Store: st, IAM: iam, Logger: log, Account: emu.AccountID(), PolicyName: policy.SeedName, PolicyDocument: policy.Seed})
	box, _ := auth.NewBox([]byte(strings.Repeat("k", 32)))
	bulk, _ := jobs.NewBulk(jobs.BulkConfig{Store: st, Onboarding: onb, Box: box, Logger: log, Concurrency: conc})
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "bench-%05d,User %d,,\n", i, i)
	}
	good, _, err := jobs.ParseBulkCSV(strings.NewReader(b.String()), time.Now(), func(string) bool { return false })
	if err != nil {
		return err
	}
	j, err := bulk.Enqueue(ctx, "bench", good)
	if err != nil {
		return err
	}
	time.Sleep(time.Second) // let the throttle bucket fill as at rest
	start := time.Now()
	if err := bulk.Handle(ctx, j); err != nil {
		return err
	}
	elapsed := time.Since(start)
	p, _ := bulk.Progress(ctx, j.ID)
	// IAM names are unique, so a duplicate would show as a user record
	// beyond the requested n (or a failed row).
	var stored int
	st.DB().QueryRow(`SELECT COUNT(*) FROM users`).Scan(&stored)
	dups := max(0, stored-n)
	floor := time.Duration(float64(ok.Load()) / rate * float64(time.Second))
	fmt.Printf("users=%d rate=%.0f/s errors=%.2f extra-throttle=%.2f concurrency=%d\n", n, rate, errRate, throttleShare, conc)
	fmt.Printf("time=%s successful-calls=%d all-requests=%d floor=%s ratio=%.3f done=%d failed=%d duplicates=%d\n",
		elapsed.Round(time.Millisecond), ok.Load(), all.Load(), floor.Round(time.Millisecond), elapsed.Seconds()/floor.Seconds(), p.Done, p.Failed, dups)
	return nil
}

type status struct {
	http.ResponseWriter
	code int
}

func (s *status) WriteHeader(c int) { s.code = c; s.ResponseWriter.WriteHeader(c) }

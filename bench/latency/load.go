package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/portal/bench/internal/measure"
)

// result is one path's latencies under load, and the server's CPU time
// spent meanwhile.
type result struct {
	requests, errors int
	p50, p99, max    time.Duration
	perSecond        float64
	bytes            int64
	cpu              time.Duration // the server process's CPU time during the measurement
}

func (r result) String() string {
	return fmt.Sprintf("requests=%d errors=%d req/s=%.0f p50=%s p99=%s max=%s cpu/req=%.3fms body=%dB", r.requests, r.errors, r.perSecond,
		r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.max.Round(10*time.Microsecond), r.cpuPerRequest(), r.bytes)
}

// cpuPerRequest is the server's CPU time per request in milliseconds.
func (r result) cpuPerRequest() float64 {
	if r.requests == 0 {
		return 0
	}
	return ms(r.cpu) / float64(r.requests)
}

// load runs clients goroutines that GET path on the server back to back
// for dur (after a warm-up of one request per connection) and returns the
// latencies. Pages send the session cookie, /api/ paths the bearer token.
// Non-200 answers count as errors.
func load(ctx context.Context, h hello, pid int, path string, clients int, dur time.Duration) (result, error) {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func() (time.Duration, int64, bool) {
		req, _ := http.NewRequestWithContext(ctx, "GET", h.URL+path, nil)
		if strings.HasPrefix(path, "/api/") {
			req.Header.Set("Authorization", "Bearer "+h.Token)
		} else {
			req.Header.Set("Cookie", h.Cookie)
		}
		start := time.Now()
		resp, err := c.Do(req)
		if err != nil {
			return time.Since(start), 0, false
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(start), n, resp.StatusCode == 200
	}
	var warm sync.WaitGroup
	for range clients {
		warm.Go(func() { get() })
	}
	warm.Wait()
	var mu sync.Mutex
	var all []time.Duration
	var r result
	var wg sync.WaitGroup
	cpu0, err := measure.CPU(pid)
	if err != nil {
		return r, err
	}
	start := time.Now()
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			var errs int
			var size int64
			for time.Since(start) < dur {
				d, n, ok := get()
				mine = append(mine, d)
				size = n
				if !ok {
					errs++
				}
			}
			mu.Lock()
			all = append(all, mine...)
			r.errors += errs
			r.bytes = size
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu1, err := measure.CPU(pid)
	if err != nil {
		return r, err
	}
	r.cpu = cpu1 - cpu0
	slices.Sort(all)
	r.requests = len(all)
	r.perSecond = float64(len(all)) / elapsed.Seconds()
	if len(all) > 0 {
		r.p50, r.p99, r.max = all[len(all)/2], all[len(all)*99/100], all[len(all)-1]
	}
	return r, nil
}

// pgSchema makes a schema of its own in the database at url and returns a
// URL that uses it and a function that drops it.
func pgSchema(url string) (string, func(), error) {
	if url == "" {
		return "", nil, fmt.Errorf("-driver postgres needs -dsn postgres://…")
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bench_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		return "", nil, err
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	drop := func() {
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	}
	return url + sep + "search_path=" + schema, drop, nil
}

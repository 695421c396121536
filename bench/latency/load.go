package main

import (
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
)

// result is one endpoint's latencies under load.
type result struct {
	requests, errors int
	p50, p99, max    time.Duration
	perSecond        float64
	bytes            int64
}

func (r result) String() string {
	return fmt.Sprintf("requests=%d errors=%d req/s=%.0f p50=%s p99=%s max=%s body=%dB", r.requests, r.errors, r.perSecond,
		r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.max.Round(10*time.Microsecond), r.bytes)
}

// load runs clients goroutines that GET url back to back for dur (after
// a short warm-up) and returns the latencies. Non-200 answers count as
// errors.
func load(url, cookie, token string, clients int, dur time.Duration) result {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func() (time.Duration, int64, bool) {
		req, _ := http.NewRequest("GET", url, nil)
		if !strings.HasSuffix(url, "/healthz") { // the trivial handler: no session to look up
			req.Header.Set("Cookie", cookie)
		}
		if strings.Contains(url, "/api/") {
			req.Header.Set("Authorization", "Bearer "+token)
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
	for range clients { // warm-up: one request per connection
		get()
	}
	var mu sync.Mutex
	var all []time.Duration
	var r result
	var wg sync.WaitGroup
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
	slices.Sort(all)
	r.requests = len(all)
	r.perSecond = float64(len(all)) / elapsed.Seconds()
	if len(all) > 0 {
		r.p50, r.p99, r.max = all[len(all)/2], all[len(all)*99/100], all[len(all)-1]
	}
	return r
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

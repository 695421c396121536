// Command latency measures every operator page and the API list at many
// managed users and many concurrent clients, against a trivial handler
// behind the same middleware and the same session (or API token) lookup on
// the same server (handlers.Deps.BenchRoutes). The portal runs as a process
// of its own, started from this executable; the harness drives it over
// loopback and reads its CPU time from /proc. Each page is measured right
// after its trivial baseline, so the two share the machine's load; -runs
// repeats the whole and reports min–median–max. Run:
//
//	go run ./bench/latency -users 10000 -clients 50
//	go run ./bench/latency -driver postgres -dsn "$PORTAL_TEST_POSTGRES_URL"
//
// With PostgreSQL it works in a schema of its own and drops it at the end.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/gatehouse/portal/bench/internal/measure"
)

// defaultPaths are every page of the performance target: the dashboard,
// the lists and a filter, the search and the API list.
const defaultPaths = "/dashboard,/users,/users?status=overdue,/users?status=invited,/users?q=user-00001,/api/v1/users?limit=50"

func main() {
	if measure.IsChild() != "" {
		if err := serveChild(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	var c config
	flag.StringVar(&c.driver, "driver", "sqlite", "sqlite or postgres")
	flag.StringVar(&c.dsn, "dsn", "", "PostgreSQL URL (driver postgres)")
	flag.IntVar(&c.users, "users", 10000, "managed users in the store")
	flag.IntVar(&c.clients, "clients", 50, "concurrent clients")
	flag.DurationVar(&c.duration, "duration", 5*time.Second, "measuring time per page and per baseline")
	flag.IntVar(&c.runs, "runs", 3, "repetitions of the whole measurement")
	paths := flag.String("paths", defaultPaths, "pages, comma-separated")
	flag.Parse()
	c.paths = splitPaths(*paths)
	c.out = os.Stdout
	if _, err := run(context.Background(), c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type config struct {
	driver, dsn    string
	users, clients int
	duration       time.Duration
	runs           int
	paths          []string
	out            io.Writer
}

// sample is one page measured once, with its baseline measured just before.
type sample struct {
	base, page result
	load       float64 // 1-minute load average at the end of the pair
}

// run measures c.paths c.runs times and prints the spreads; it returns the
// samples by path.
func run(ctx context.Context, c config) (map[string][]sample, error) {
	env := []string{"LATENCY_DRIVER=" + c.driver, fmt.Sprintf("LATENCY_USERS=%d", c.users)}
	if c.driver == "postgres" {
		dsn, drop, err := pgSchema(c.dsn)
		if err != nil {
			return nil, err
		}
		defer drop()
		env = append(env, "LATENCY_DSN="+dsn)
	}
	seedStart := time.Now()
	var h hello
	child, err := measure.StartChild("latency", env, &h)
	if err != nil {
		return nil, err
	}
	defer child.Stop()
	fmt.Fprintf(c.out, "driver=%s users=%d clients=%d duration=%s per page and per baseline, runs=%d (server pid %d, seeded in %s)\n",
		c.driver, c.users, c.clients, c.duration, c.runs, child.Pid, time.Since(seedStart).Round(time.Millisecond))
	printRSS(c.out, "after seeding", child.Pid)
	samples := map[string][]sample{}
	for i := range c.runs {
		for _, p := range c.paths {
			baseline := "/bench/trivial"
			if strings.HasPrefix(p, "/api/") {
				baseline = "/api/v1/bench/trivial"
			}
			var s sample
			if s.base, err = load(ctx, h, child.Pid, baseline, c.clients, c.duration); err == nil {
				s.page, err = load(ctx, h, child.Pid, p, c.clients, c.duration)
			}
			if err != nil {
				return nil, err
			}
			s.load = measure.Load()
			samples[p] = append(samples[p], s)
			fmt.Fprintf(c.out, "run %d %-28s %s | baseline %s | p99 ratio %.1f load %.1f\n", i+1, p, s.page, s.base,
				ratio(s.page.p99, s.base.p99), s.load)
		}
	}
	printRSS(c.out, "after the runs", child.Pid)
	report(c.out, c.paths, samples)
	return samples, nil
}

// printRSS prints the server process's resident memory and its high-water
// mark (the memory target is about the server, not the harness).
func printRSS(w io.Writer, when string, pid int) {
	rss, hwm, err := measure.RSS(pid)
	if err != nil {
		fmt.Fprintf(w, "server memory %s: %v\n", when, err)
		return
	}
	fmt.Fprintf(w, "server memory %s: VmRSS %.1f MB, VmHWM %.1f MB\n", when, float64(rss)/(1<<20), float64(hwm)/(1<<20))
}

func splitPaths(s string) []string { return strings.Split(s, ",") }

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// report prints one line per path: min–median–max over the runs.
func report(w io.Writer, paths []string, samples map[string][]sample) {
	fmt.Fprintln(w, "\npath | p50 ms | p99 ms | baseline p50 ms | baseline p99 ms | p50 ratio | p99 ratio | server CPU/request ms | baseline CPU/request ms | req/s | errors | load average")
	for _, p := range paths {
		var p50, p99, b50, b99, r50, r99, cpu, bcpu, rps, errs, ld []float64
		for _, s := range samples[p] {
			p50, p99 = append(p50, ms(s.page.p50)), append(p99, ms(s.page.p99))
			b50, b99 = append(b50, ms(s.base.p50)), append(b99, ms(s.base.p99))
			r50, r99 = append(r50, ratio(s.page.p50, s.base.p50)), append(r99, ratio(s.page.p99, s.base.p99))
			cpu, bcpu = append(cpu, s.page.cpuPerRequest()), append(bcpu, s.base.cpuPerRequest())
			rps, errs, ld = append(rps, s.page.perSecond), append(errs, float64(s.page.errors+s.base.errors)), append(ld, s.load)
		}
		sp := measure.SpreadOf
		fmt.Fprintf(w, "%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s\n", p,
			sp(p50).Format("%.1f"), sp(p99).Format("%.1f"), sp(b50).Format("%.1f"), sp(b99).Format("%.1f"),
			sp(r50).Format("%.1f"), sp(r99).Format("%.1f"), sp(cpu).Format("%.3f"), sp(bcpu).Format("%.3f"),
			sp(rps).Format("%.0f"), sp(errs).Format("%.0f"), sp(ld).Format("%.1f"))
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"github.com/gatehouse/portal/bench/internal/measure"
)

// TestMain runs the server process when the harness started this test
// binary as one (measure.StartChild).
func TestMain(m *testing.M) {
	if measure.IsChild() != "" {
		if err := serveChild(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// BenchmarkSmoke runs the harness end to end at a tiny size so it cannot
// rot (CI runs it with -benchtime 1x); its numbers mean nothing. Every
// default page must answer 200 and be measured against its baseline.
func BenchmarkSmoke(b *testing.B) {
	for b.Loop() {
		c := config{driver: "sqlite", users: 200, clients: 4, duration: 200 * time.Millisecond, runs: 1, paths: splitPaths(defaultPaths), out: io.Discard}
		if testing.Verbose() {
			c.out = os.Stdout
		}
		samples, err := run(context.Background(), c)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range c.paths {
			s := samples[p]
			if len(s) != 1 || s[0].page.requests == 0 || s[0].base.requests == 0 || s[0].page.errors+s[0].base.errors > 0 {
				b.Fatalf("%s: %+v", p, s)
			}
		}
	}
}

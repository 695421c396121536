package main

import (
	"io"
	"os"
	"testing"
	"time"
)

// BenchmarkSmoke runs the harness end to end at a tiny size, with faults,
// so it cannot rot (CI runs it with -benchtime 1x); its ratio means
// nothing at this size. Every user must be onboarded, none twice.
func BenchmarkSmoke(b *testing.B) {
	for b.Loop() {
		var out io.Writer = io.Discard
		if testing.Verbose() {
			out = os.Stdout
		}
		o, err := run(out, 20, 200, 0.05, 0.10, 8, 200, 5*time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		if o.done != 20 || o.failed != 0 || o.dups != 0 || o.ratio <= 0 {
			b.Fatalf("%+v", o)
		}
	}
}

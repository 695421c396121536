package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/gatehouse/portal/bench/internal/measure"
)

// TestMain runs the emulator process when the harness started this test
// binary as one (measure.StartChild).
func TestMain(m *testing.M) {
	if measure.IsChild() != "" {
		if err := serveEmulator(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// BenchmarkSmoke runs the harness end to end for a moment so it cannot rot
// (CI runs it with -benchtime 1x); its numbers mean nothing. Without moto
// the moto half is skipped, and the harness says so.
func BenchmarkSmoke(b *testing.B) {
	python := "python3"
	if exec.Command(python, "-c", "import moto").Run() != nil {
		b.Log("moto is not installed: the smoke run measures the emulator alone")
		python = ""
	}
	for b.Loop() {
		c := config{clients: 2, duration: 300 * time.Millisecond, runs: 1, python: python, out: io.Discard}
		if testing.Verbose() {
			c.out = os.Stdout
		}
		samples, err := run(context.Background(), c)
		if err != nil {
			b.Fatal(err)
		}
		names := []string{"emulator"}
		if python != "" {
			names = append(names, "moto")
		}
		for _, name := range names {
			s := samples[name]
			if len(s) != 1 || s[0].calls == 0 || s[0].errors > 0 {
				b.Fatalf("%s: %+v", name, s)
			}
		}
	}
}

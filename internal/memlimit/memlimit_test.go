package memlimit_test

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/gatehouse/portal/internal/memlimit"
)

func TestApply(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })

	debug.SetMemoryLimit(math.MaxInt64) // as the runtime starts without GOMEMLIMIT
	if got := memlimit.Apply(func(string) string { return "" }); got != memlimit.Default {
		t.Fatalf("Apply without GOMEMLIMIT = %d, want %d", got, memlimit.Default)
	}
	if got := debug.SetMemoryLimit(-1); got != memlimit.Default {
		t.Fatalf("runtime limit = %d, want the default %d", got, memlimit.Default)
	}

	debug.SetMemoryLimit(256 << 20) // as the runtime starts with GOMEMLIMIT=256MiB
	env := func(k string) string {
		if k == "GOMEMLIMIT" {
			return "256MiB"
		}
		return ""
	}
	if got := memlimit.Apply(env); got != 256<<20 {
		t.Fatalf("Apply with GOMEMLIMIT = %d, want the operator's %d", got, 256<<20)
	}
	if got := debug.SetMemoryLimit(-1); got != 256<<20 {
		t.Fatalf("runtime limit = %d, want the operator's %d", got, 256<<20)
	}
}

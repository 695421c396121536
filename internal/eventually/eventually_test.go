package eventually_test

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/portal/internal/eventually"
)

func TestTrueWaitsForTheCondition(t *testing.T) {
	var n atomic.Int32
	eventually.True(t, 5*time.Second, time.Millisecond, "never counted to 3", func() bool { return n.Add(1) >= 3 })
	if got := n.Load(); got != 3 {
		t.Fatalf("cond called %d times, want 3 (it stops at the first true)", got)
	}
}

func TestTrueFailsAfterTheBound(t *testing.T) {
	ft := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		eventually.True(ft, 20*time.Millisecond, time.Millisecond, "the condition", func() bool { return false })
	}()
	<-done
	if !ft.failed {
		t.Fatal("a condition that never came true did not fail the test")
	}
}

// fakeT records Fatalf instead of stopping the real test.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(string, ...any) {
	f.failed = true
	runtime.Goexit() // as t.Fatalf does
}

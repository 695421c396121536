// Package eventually waits in tests for something that happens in the
// background (a job finishing, a process starting): one polling loop
// instead of one per test, with a bound that fails the test instead of
// hanging it. It is not a timing assertion: the bound only stops a test
// whose condition never comes true.
package eventually

import (
	"testing"
	"time"
)

// True polls cond every interval until it returns true, and fails t with
// what if that has not happened within d.
func True(t testing.TB, d, interval time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", d, what)
		}
		time.Sleep(interval)
	}
}

// Package memlimit gives the portal's Go runtime a soft memory limit when
// the operator set none (docs/benchmarks.md, "Memory at 10,000 users").
//
// Without a limit the runtime lets the heap grow to twice what is live
// after each collection and hands freed memory back to the system slowly:
// after one sign-in (its argon2id hash holds 64 MiB for a moment) or a
// burst of concurrent pages, the process kept 60–100 MB resident for
// minutes though about 10 MB was in use. With a soft limit the collector
// runs, and freed memory goes back, as the process nears the limit; below
// it nothing changes. The limit is soft: a sign-in still takes its 64 MiB
// (the collector then works harder until the hash is done, within the
// runtime's cap of half the CPU), and the process is never stopped for
// being over it.
package memlimit

import "runtime/debug"

// Default is the soft limit of the Go runtime's memory when GOMEMLIMIT is
// not set: with the binary's code and SQLite's page caches (outside the Go
// heap) it keeps a portal of 10,000 users near 50 MB resident.
const Default = 40 << 20

// Apply sets the runtime's soft memory limit to Default unless GOMEMLIMIT
// is set (the runtime has read that one at start; "off" disables the
// limit). It returns the limit in force, in bytes.
func Apply(getenv func(string) string) int64 {
	if getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1)
	}
	debug.SetMemoryLimit(Default)
	return Default
}

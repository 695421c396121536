package auth

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// newTestService returns a Service on a fresh database of engine with an
// admin "alice" whose password is "right password".
func newTestService(t *testing.T, engine string, slots int) *Service {
	t.Helper()
	st := storetest.Open(t, engine, storetest.DSN(t, engine))
	box, err := NewBox([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Store: st, Box: box, HashSlots: slots})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	hash, err := argon2id.CreateHash("right password", argon2id.DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSetupToken(ctx, &store.SetupToken{TokenHash: "setup", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	op := &portal.Operator{Username: "alice", PasswordHash: hash, TOTPSecretEnc: box.Seal([]byte("JBSWY3DPEHPK3PXP")), Role: portal.RoleAdmin, CreatedAt: time.Now()}
	if err := st.CreateFirstAdmin(ctx, "setup", op); err != nil {
		t.Fatal(err)
	}
	return s
}

// signInAll runs n sign-ins at once and counts the error codes.
func signInAll(s *Service, n int, name func(i int) string) map[string]int {
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, _, err := s.SignIn(context.Background(), Caller{IP: "192.0.2.7"}, name(i), "wrong password", "000000")
			mu.Lock()
			codes[portal.ErrorCode(err)]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return codes
}

// Parallel wrong sign-ins for one operator: exactly portal.GuessLimit.Max
// of them reach the password check; the others are refused before it.
func TestParallelSignInsReachThePasswordCheckUpToTheLimit(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			s := newTestService(t, engine, 2)
			const n = 15
			codes := signInAll(s, n, func(int) string { return "alice" })
			if got, want := s.hash.total.Load(), int64(portal.GuessLimit.Max); got != want {
				t.Errorf("%d password checks ran, want %d", got, want)
			}
			if codes[portal.EUNAUTHORIZED] != portal.GuessLimit.Max || codes[portal.ETOOMANY] != n-portal.GuessLimit.Max {
				t.Errorf("outcomes %v, want %d unauthorized and %d too many", codes, portal.GuessLimit.Max, n-portal.GuessLimit.Max)
			}
		})
	}
}

// A burst of sign-ins with unknown names costs a hash each (so timing does
// not tell which names exist), but never more hashes at once than the gate
// has slots: memory stays at slots × 64 MiB whatever arrives.
func TestPasswordHashingIsBoundedWhateverArrives(t *testing.T) {
	s := newTestService(t, "sqlite", 2)
	const n = 8
	codes := signInAll(s, n, func(i int) string { return "nobody" + strconv.Itoa(i) })
	if codes[portal.EUNAUTHORIZED] != n {
		t.Fatalf("outcomes %v, want %d unauthorized", codes, n)
	}
	if got := s.hash.total.Load(); got != n {
		t.Errorf("%d hashes for %d unknown names: unknown names must cost a hash each", got, n)
	}
	if got := s.hash.peak.Load(); got > 2 {
		t.Errorf("%d hashes ran at once, the gate has 2 slots", got)
	}
	if got := s.hash.running.Load(); got != 0 {
		t.Errorf("%d hashes still counted as running", got)
	}
}

// The gate's default size follows the CPUs, capped so that a large machine
// does not multiply 64 MiB by its core count.
func TestHashGateDefaultSize(t *testing.T) {
	if got := cap(newHashGate(0).slots); got < 1 || got > maxHashSlots {
		t.Fatalf("default slots %d, want 1..%d", got, maxHashSlots)
	}
}

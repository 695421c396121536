package auth

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/pquerna/otp/totp"

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
// has slots: memory stays at slots × one hash's whatever arrives.
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
// does not multiply a hash's memory by its core count.
func TestHashGateDefaultSize(t *testing.T) {
	if got := cap(newHashGate(0).slots); got < 1 || got > maxHashSlots {
		t.Fatalf("default slots %d, want 1..%d", got, maxHashSlots)
	}
}

// Every hash Gatehouse writes uses hashParams (19 MiB), including the
// dummy that unknown names are checked against.
func TestNewHashesUseTheSmallerParameters(t *testing.T) {
	s := newTestService(t, "sqlite", 1)
	hash, err := s.hash.create(context.Background(), "a password")
	if err != nil {
		t.Fatal(err)
	}
	for name, h := range map[string]string{"new hash": hash, "dummy": s.dummy} {
		params, _, _, err := argon2id.DecodeHash(h)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if *params != *hashParams {
			t.Errorf("%s written with %+v, want %+v", name, *params, *hashParams)
		}
	}
	if hashParams.Memory > 19*1024 {
		t.Errorf("hash memory %d KiB, want at most 19 MiB", hashParams.Memory)
	}
}

// A hash written with other parameters (an older Gatehouse's: the
// library's 64 MiB default) still signs in, and that sign-in rewrites it
// with hashParams. A failed sign-in rewrites nothing, and a later sign-in
// checks against the new hash.
func TestSignInUpgradesAnOldPasswordHash(t *testing.T) {
	s := newTestService(t, "sqlite", 1)
	ctx := context.Background()
	stored := func() string {
		t.Helper()
		op, err := s.cfg.Store.FindOperatorByUsername(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		return op.PasswordHash
	}
	old := stored()
	if params, _, _, _ := argon2id.DecodeHash(old); *params == *hashParams {
		t.Fatal("the fixture's hash already has hashParams")
	}
	code := func() string {
		c, err := totp.GenerateCodeCustom("JBSWY3DPEHPK3PXP", time.Now(), totpOpts)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if _, _, err := s.SignIn(ctx, Caller{IP: "192.0.2.7"}, "alice", "wrong password", code()); err == nil {
		t.Fatal("a wrong password signed in")
	}
	if stored() != old {
		t.Fatal("a failed sign-in rewrote the hash")
	}
	if _, _, err := s.SignIn(ctx, Caller{IP: "192.0.2.7"}, "alice", "right password", code()); err != nil {
		t.Fatalf("sign-in with the old hash: %v", err)
	}
	upgraded := stored()
	params, _, _, err := argon2id.DecodeHash(upgraded)
	if err != nil || *params != *hashParams {
		t.Fatalf("after sign-in the hash has %+v (%v), want %+v", params, err, *hashParams)
	}
	if ok, err := argon2id.ComparePasswordAndHash("right password", upgraded); err != nil || !ok {
		t.Fatalf("the rewritten hash does not verify the password: %v %v", ok, err)
	}
	// The same TOTP step cannot be used twice: sign in with the next one.
	next, err := totp.GenerateCodeCustom("JBSWY3DPEHPK3PXP", time.Now().Add(30*time.Second), totpOpts)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SignIn(ctx, Caller{IP: "192.0.2.7"}, "alice", "right password", next); err != nil {
		t.Fatalf("sign-in with the rewritten hash: %v", err)
	}
	if stored() != upgraded {
		t.Error("a hash with the current parameters was rewritten again")
	}
}

// The rewrite is a compare-and-set: a password changed in the meantime is
// never overwritten with the old one's new hash.
func TestReplacePasswordHashKeepsANewerPassword(t *testing.T) {
	s := newTestService(t, "sqlite", 1)
	ctx := context.Background()
	op, err := s.cfg.Store.FindOperatorByUsername(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if wrote, err := s.cfg.Store.ReplacePasswordHash(ctx, op.ID, "not the stored hash", "x"); err != nil || wrote {
		t.Fatalf("replace from a stale hash: wrote=%v err=%v", wrote, err)
	}
	if again, _ := s.cfg.Store.FindOperatorByUsername(ctx, "alice"); again.PasswordHash != op.PasswordHash {
		t.Fatal("a stale replace changed the hash")
	}
}

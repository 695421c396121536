package awsiam_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
)

// fakeClock is a clock that moves only when a pacer sleeps on it (advance)
// or never (record only).
type fakeClock struct {
	mu      sync.Mutex
	t       time.Time
	advance bool
	slept   []time.Duration
}

func newFakeClock(advance bool) *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), advance: advance}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	if c.advance {
		c.t = c.t.Add(d)
	}
	return ctx.Err()
}

func TestPacer(t *testing.T) {
	ctx := context.Background()
	t.Run("after the burst, calls are one interval apart", func(t *testing.T) {
		clk := newFakeClock(true)
		p := awsiam.NewPacerWithClock(10, 3, clk.now, clk.sleep)
		start := clk.now()
		for range 10 {
			if err := p.Wait(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := clk.now().Sub(start), 700*time.Millisecond; got != want {
			t.Fatalf("10 calls at 10/s with a burst of 3 took %v on the clock, want %v", got, want)
		}
		if got, want := len(clk.slept), 7; got != want {
			t.Fatalf("slept %d times (%v), want %d", got, clk.slept, want)
		}
	})
	t.Run("concurrent callers each get a turn of their own", func(t *testing.T) {
		clk := newFakeClock(false)
		p := awsiam.NewPacerWithClock(100, 1, clk.now, clk.sleep)
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() { p.Wait(ctx) })
		}
		wg.Wait()
		slices.Sort(clk.slept)
		if got, want := len(clk.slept), 49; got != want {
			t.Fatalf("%d callers waited, want %d (one goes at once)", got, want)
		}
		for i, d := range clk.slept {
			if want := time.Duration(i+1) * 10 * time.Millisecond; d != want {
				t.Fatalf("turn %d waits %v, want %v", i+1, d, want)
			}
		}
	})
	t.Run("a caller that gives up returns its turn", func(t *testing.T) {
		clk := newFakeClock(false)
		p := awsiam.NewPacerWithClock(10, 1, clk.now, clk.sleep)
		p.Wait(ctx) // takes the free turn
		canceled, cancel := context.WithCancel(ctx)
		cancel()
		if err := p.Wait(canceled); err == nil {
			t.Fatal("Wait with a canceled context succeeded")
		}
		p.Wait(ctx)
		if got, want := clk.slept, []time.Duration{100 * time.Millisecond, 100 * time.Millisecond}; !slices.Equal(got, want) {
			t.Fatalf("waits %v, want %v (the canceled turn handed on)", got, want)
		}
	})
}

func TestPacedBackoff(t *testing.T) {
	base := 10 * time.Millisecond
	for _, tc := range []struct {
		attempt  int
		j        float64
		min, max time.Duration
	}{
		{1, 0, 5 * time.Millisecond, 5 * time.Millisecond},
		{1, 0.999, 5 * time.Millisecond, 10 * time.Millisecond},
		{3, 0.5, 20 * time.Millisecond, 40 * time.Millisecond},
		{8, 0.999, 500 * time.Millisecond, time.Second},
		{64, 0.999, 500 * time.Millisecond, time.Second},
	} {
		t.Run(fmt.Sprintf("retry %d jitter %.3f", tc.attempt, tc.j), func(t *testing.T) {
			if d := awsiam.PacedBackoff(base, tc.attempt, tc.j); d < tc.min || d > tc.max {
				t.Fatalf("back-off %v, want within [%v, %v]", d, tc.min, tc.max)
			}
		})
	}
}

// pacedClient is a client paced on clk against emu, counting the requests
// that reach the emulator.
func pacedClient(t *testing.T, emu *iamemu.Emulator, p *awsiam.Pacer, attempts int) (*awsiam.Client, *atomic.Int64) {
	t.Helper()
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	key, secret := emu.RootCredentials()
	c, err := awsiam.New(context.Background(), awsiam.Config{Endpoint: srv.URL, AccessKeyID: key, SecretAccessKey: secret,
		MaxAttempts: attempts, Pacer: p})
	if err != nil {
		t.Fatal(err)
	}
	return c, &requests
}

func TestPacedClient(t *testing.T) {
	ctx := context.Background()
	// The emulator refills its bucket once a second (its clock has second
	// precision), so IAM's "10/s" is 10 calls per clock second here.
	for _, tc := range []struct {
		name      string
		rate      float64
		throttled int
	}{
		{"paced at IAM's rate, no call is throttled", 10, 0},
		// 10 with a fixed rate: each throttle gives its turn back (at most one
		// per interval with a burst of 1), which costs 6 more throttles, and
		// once more than one attempt in three is throttled they lower the
		// rate.
		{"paced at twice IAM's rate, the excess of each second is throttled and the rate comes down", 20, 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock(true)
			emu := iamemu.New(iamemu.Options{Now: clk.now})
			emu.SetFaults(iamemu.Faults{ThrottleRate: 10, ThrottleBurst: 10})
			p := awsiam.NewPacerWithClock(tc.rate, 1, clk.now, clk.sleep)
			c, requests := pacedClient(t, emu, p, 1)
			var throttled int
			for i := range 30 {
				if _, err := c.CreateUser(ctx, fmt.Sprintf("u%02d", i), nil); portal.ErrorReason(err) == "Throttling" {
					throttled++
				} else if err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
			}
			if got, want := throttled, tc.throttled; got != want {
				t.Fatalf("%d of 30 calls throttled, want %d", got, want)
			}
			if got, want := requests.Load(), int64(30); got != want {
				t.Fatalf("%d requests reached IAM, want %d (one attempt each)", got, want)
			}
			if tc.throttled > 0 && p.Rate() >= tc.rate {
				t.Fatalf("rate after %d throttles = %v, want below %v", tc.throttled, p.Rate(), tc.rate)
			}
		})
	}
	t.Run("a server error's retry waits a turn of the pacer", func(t *testing.T) {
		clk := newFakeClock(true)
		emu := iamemu.New(iamemu.Options{Now: clk.now})
		emu.FailNext("CreateUser", "ServiceFailure", 3)
		p := awsiam.NewPacerWithClock(100, 1, clk.now, clk.sleep)
		c, requests := pacedClient(t, emu, p, 5)
		start := clk.now()
		if _, err := c.CreateUser(ctx, "alice", nil); err != nil {
			t.Fatalf("CreateUser after 3 server errors: %v", err)
		}
		if got, want := requests.Load(), int64(4); got != want {
			t.Fatalf("%d attempts reached IAM, want %d", got, want)
		}
		if got, want := clk.now().Sub(start), 30*time.Millisecond; got != want {
			t.Fatalf("the retries waited %v on the pacer's clock, want %v (one turn each: IAM may have charged a 500)", got, want)
		}
		if p.Rate() != 100 {
			t.Fatalf("rate after server errors = %v, want 100 (only throttles lower it)", p.Rate())
		}
	})
	t.Run("a throttled attempt gives its turn back", func(t *testing.T) {
		clk := newFakeClock(true)
		emu := iamemu.New(iamemu.Options{Now: clk.now})
		emu.FailNext("CreateUser", "Throttling", 1)
		p := awsiam.NewPacerWithClock(100, 1, clk.now, clk.sleep)
		c, requests := pacedClient(t, emu, p, 5)
		start := clk.now()
		if _, err := c.CreateUser(ctx, "alice", nil); err != nil {
			t.Fatalf("CreateUser after a throttle: %v", err)
		}
		if got, want := requests.Load(), int64(2); got != want {
			t.Fatalf("%d attempts reached IAM, want %d", got, want)
		}
		if got := clk.now().Sub(start); got != 0 {
			t.Fatalf("the retry waited %v on the pacer's clock, want 0: the throttled attempt's turn was given back", got)
		}
	})
}

func TestPacerThrottles(t *testing.T) {
	ctx := context.Background()
	t.Run("a throttle gives one turn back, at most one per interval", func(t *testing.T) {
		clk := newFakeClock(false)
		p := awsiam.NewPacerWithClock(10, 1, clk.now, clk.sleep)
		p.Wait(ctx) // at once
		p.Wait(ctx) // 100 ms
		p.Throttled()
		p.Throttled() // the same instant: no second turn back
		p.Wait(ctx)
		// The turn given back is the one at 100 ms; two throttles do not
		// lower the rate, so the next turn is one interval later.
		want := []time.Duration{100 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond}
		p.Wait(ctx)
		if !slices.Equal(clk.slept, want) {
			t.Fatalf("waits %v, want %v", clk.slept, want)
		}
	})
	t.Run("throttles answered together give back up to the burst", func(t *testing.T) {
		clk := newFakeClock(false)
		p := awsiam.NewPacerWithClock(10, 3, clk.now, clk.sleep)
		for range 6 { // 3 at once, then 100, 200 and 300 ms later
			p.Wait(ctx)
		}
		for range 4 { // below one in three throttled: the rate stays
			p.Throttled()
		}
		p.Wait(ctx)
		// Three turns came back (the burst), the fourth did not: the next
		// turn is due at 100 ms, not at 400 ms nor at once.
		want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond, 100 * time.Millisecond}
		if !slices.Equal(clk.slept, want) {
			t.Fatalf("waits %v, want %v", clk.slept, want)
		}
	})
	t.Run("frequent throttles lower the rate, answers raise it back to the configured one", func(t *testing.T) {
		clk := newFakeClock(true)
		p := awsiam.NewPacerWithClock(100, 1, clk.now, clk.sleep)
		// The moving share of throttles passes one in three at the 8th
		// throttle in a row (1 - 0.95^8 = 0.337): 3 of 10 lower the rate.
		for range 10 {
			p.Throttled()
		}
		if got, want := p.Rate(), 100*math.Pow(0.9, 3); math.Abs(got-want) > 1e-9 {
			t.Fatalf("rate after 10 throttles = %v, want %v", got, want)
		}
		for range 1000 {
			p.Throttled()
		}
		if got := p.Rate(); got != 10 {
			t.Fatalf("rate after 1,010 throttles = %v, want the floor 10", got)
		}
		// The share falls under one in three at the 22nd answer (0.95^22 <
		// 1/3); from then on each answer adds 1/s.
		for range 22 + 88 {
			p.Answered()
		}
		if got := p.Rate(); got != 99 {
			t.Fatalf("rate after 110 answers = %v, want 99", got)
		}
		for range 10 {
			p.Answered()
		}
		if got := p.Rate(); got != 100 {
			t.Fatalf("rate after 120 answers = %v, want back at 100 and no higher", got)
		}
	})
	t.Run("random throttles now and then cost almost nothing", func(t *testing.T) {
		// One attempt in ten throttled (given back), as bench/bulk injects:
		// 1,000 answered calls at 100/s take little more than 10 s.
		clk := newFakeClock(true)
		p := awsiam.NewPacerWithClock(100, 5, clk.now, clk.sleep)
		start := clk.now()
		for i, answered := 0, 0; answered < 1000; i++ {
			p.Wait(ctx)
			if i%10 == 9 {
				p.Throttled()
				continue
			}
			p.Answered()
			answered++
		}
		if got, max := clk.now().Sub(start), 10100*time.Millisecond; got > max {
			t.Fatalf("1,000 answered calls with 10 %% throttled took %v, want at most %v (a fixed pacer: 11.1 s)", got, max)
		}
	})
}

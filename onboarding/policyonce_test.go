package onboarding_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// callCounter counts IAM calls by action (through awsiam's observer).
type callCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *callCounter) observe(action, _ string, _ time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[action]++
}

func (c *callCounter) get(action string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[action]
}

// cachedEnv is a service with a policy cache of ttl on a settable clock.
func cachedEnv(t *testing.T, ttl time.Duration) (*onboarding.Service, *store.Store, *callCounter, *time.Time) {
	t.Helper()
	srv := iamemutest.Start(t, iamemu.Options{})
	emu := srv.Emulator
	calls := &callCounter{n: map[string]int{}}
	iam := srv.Client(t, awsiam.Config{Observe: calls.observe})
	st := storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	now := time.Now()
	svc, err := onboarding.New(onboarding.Config{Store: st, IAM: iam, Account: emu.AccountID(), PolicyName: policy.SeedName,
		PolicyDocument: policy.Seed, PolicyCacheTTL: ttl, Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return svc, st, calls, &now
}

func TestPolicyCheckedOncePerTTL(t *testing.T) {
	ctx := context.Background()
	onboardAll := func(t *testing.T, svc *onboarding.Service, st *store.Store, prefix string, n int) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = svc.Onboard(ctx, admin, portal.NewUser{UserName: fmt.Sprintf("%s%d", prefix, i)})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("onboard %s%d: %v", prefix, i, err)
			}
			u, _ := st.FindUserByName(ctx, fmt.Sprintf("%s%d", prefix, i))
			steps, err := st.FindSteps(ctx, u.ID)
			if err != nil || steps[onboarding.StepPolicy].Status != store.StepDone {
				t.Fatalf("%s%d: ensure_policy not recorded done (%+v, %v)", prefix, i, steps[onboarding.StepPolicy], err)
			}
		}
	}
	t.Run("concurrent onboardings ask IAM about the policy once", func(t *testing.T) {
		svc, st, calls, _ := cachedEnv(t, 5*time.Minute)
		onboardAll(t, svc, st, "a", 6)
		if got, want := calls.get("GetPolicy"), 1; got != want {
			t.Fatalf("GetPolicy called %d times for 6 users, want %d", got, want)
		}
		if got, want := calls.get("CreatePolicy"), 1; got != want {
			t.Fatalf("CreatePolicy called %d times, want %d", got, want)
		}
		if got, want := calls.get("AttachUserPolicy"), 6; got != want {
			t.Fatalf("AttachUserPolicy called %d times, want %d", got, want)
		}
	})
	t.Run("after the TTL the policy is checked again", func(t *testing.T) {
		svc, st, calls, now := cachedEnv(t, 5*time.Minute)
		onboardAll(t, svc, st, "b", 2)
		*now = now.Add(5 * time.Minute)
		onboardAll(t, svc, st, "c", 2)
		if got, want := calls.get("GetPolicy"), 2; got != want {
			t.Fatalf("GetPolicy called %d times across the TTL, want %d", got, want)
		}
		if got, want := calls.get("GetPolicyVersion"), 1; got != want {
			t.Fatalf("GetPolicyVersion called %d times, want %d (the first check created the policy)", got, want)
		}
	})
	t.Run("without a TTL every onboarding checks the policy", func(t *testing.T) {
		svc, st, calls, _ := cachedEnv(t, 0)
		onboardAll(t, svc, st, "d", 3)
		if got, want := calls.get("GetPolicy"), 3; got != want {
			t.Fatalf("GetPolicy called %d times, want %d", got, want)
		}
	})
}

package awsiam_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
)

type observed struct {
	mu    sync.Mutex
	calls []string
}

func (o *observed) fn(action, outcome string, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, action+":"+outcome)
}

func client(t *testing.T, emu *iamemu.Emulator, attempts int, o *observed) *awsiam.Client {
	t.Helper()
	return iamemutest.Serve(t, emu).Client(t, awsiam.Config{MaxAttempts: attempts, Observe: o.fn})
}

func TestRetryAndObserve(t *testing.T) {
	ctx := context.Background()
	t.Run("throttled calls are retried and counted once as ok", func(t *testing.T) {
		emu := iamemu.New(iamemu.Options{})
		emu.FailNext("CreateUser", "Throttling", 3)
		o := &observed{}
		c := client(t, emu, 5, o)
		if _, err := c.CreateUser(ctx, "alice", nil); err != nil {
			t.Fatalf("CreateUser after 3 throttles: %v", err)
		}
		if got, want := len(o.calls), 1; got != want {
			t.Fatalf("observed %v, want one call", o.calls)
		}
		if got, want := o.calls[0], "CreateUser:ok"; got != want {
			t.Fatalf("observed %q, want %q", got, want)
		}
	})
	t.Run("a call throttled past its attempts reports the IAM code", func(t *testing.T) {
		emu := iamemu.New(iamemu.Options{})
		emu.FailNext("CreateUser", "Throttling", 10)
		o := &observed{}
		c := client(t, emu, 2, o)
		_, err := c.CreateUser(ctx, "bob", nil)
		if got, want := portal.ErrorReason(err), "Throttling"; got != want {
			t.Fatalf("reason = %q, want %q (err %v)", got, want, err)
		}
		if got, want := o.calls[0], "CreateUser:Throttling"; got != want {
			t.Fatalf("observed %q, want %q", got, want)
		}
	})
}

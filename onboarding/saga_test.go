package onboarding_test

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/iamemu/iamfault"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

type env struct {
	emu *iamemu.Emulator
	// faults stands between the client and the emulator (pass-through
	// until a test sets a fault).
	faults *iamfault.Proxy
	iam    *awsiam.Client
	store  *store.Store
	svc    *onboarding.Service
}

func newEnv(t *testing.T) *env {
	t.Helper()
	emu := iamemu.New(iamemu.Options{})
	faults := iamfault.New(emu)
	srv := &iamemutest.Server{Emulator: emu, URL: faults.Serve(t)}
	e := &env{emu: emu, faults: faults, iam: srv.Client(t, awsiam.Config{ConsistencyWait: 3 * time.Second}),
		store: storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))}
	var err error
	e.svc, err = onboarding.New(onboarding.Config{Store: e.store, IAM: e.iam, Account: e.emu.AccountID(),
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

var admin = onboarding.Actor{Name: "admin"}

// iamUsers counts IAM users named name (ignoring case) in the emulator.
func (e *env) iamUsers(t *testing.T, name string) int {
	t.Helper()
	_, err := e.iam.GetUser(context.Background(), name)
	switch portal.ErrorCode(err) {
	case "":
		return 1
	case portal.ENOTFOUND:
		return 0
	}
	t.Fatal(err)
	return -1
}

func TestSagaResumesAfterAFailedStep(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// LimitExceeded (409) is not retried by the SDK, so the saga sees it.
	e.emu.FailNext("AttachUserPolicy", "LimitExceeded", 1)

	stopped, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "alice"})
	if err == nil {
		t.Fatal("onboarding succeeded although AttachUserPolicy failed")
	}
	u, err := e.store.FindUserByName(ctx, "alice")
	if err != nil {
		t.Fatalf("the record of a half-done onboarding was lost: %v", err)
	}
	// The error comes with the user whose progress the caller shows.
	if stopped == nil || stopped.User == nil || stopped.User.ID != u.ID || stopped.InviteToken != "" {
		t.Fatalf("hand-off of a stopped saga = %+v, want only its user", stopped)
	}
	if got, want := u.State, portal.StateProvisioning; got != want {
		t.Fatalf("state = %q, want %q", got, want)
	}
	steps, _ := e.svc.Progress(ctx, u)
	if steps[1].Status != store.StepDone || steps[2].Status != store.StepStarted || steps[2].LastErrorText.IsZero() {
		t.Fatalf("recorded steps = %+v, want create_user done and attach_policy started with its error", steps)
	}

	h, err := e.svc.Resume(ctx, admin, "alice")
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	if h.InviteToken == "" || h.User.State != portal.StateInvited {
		t.Fatalf("resume hand-off = %+v", h)
	}
	if got := e.iamUsers(t, "alice"); got != 1 {
		t.Fatalf("IAM users named alice = %d, want 1", got)
	}
	arns, err := e.iam.AttachedPolicyARNs(ctx, "alice")
	if err != nil || len(arns) != 1 || arns[0] != awsiam.PolicyARN(portal.PartitionAWS, e.emu.AccountID(), policy.SeedName) {
		t.Fatalf("attached policies = %v, %v", arns, err)
	}
	steps, _ = e.svc.Progress(ctx, h.User)
	for _, st := range steps {
		if st.Name == onboarding.StepUser && st.Attempts != 1 {
			t.Fatalf("create_user ran %d times, want once", st.Attempts)
		}
	}
}

func TestSagaTreatsItsOwnEarlierUserAsSuccess(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// A crash after IAM created the user but before the step was recorded
	// as done: the store says "started", IAM has the tagged user.
	u := &portal.User{UserName: "bob", State: portal.StateProvisioning, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := e.store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{onboarding.StepPolicy} {
		e.store.StartStep(ctx, u.ID, step, time.Now())
		e.store.FinishStep(ctx, u.ID, step, time.Now())
	}
	e.store.StartStep(ctx, u.ID, onboarding.StepUser, time.Now())
	if _, err := e.iam.CreateUser(ctx, "bob", map[string]string{onboarding.ManagedTagKey: onboarding.ManagedTagValue}); err != nil {
		t.Fatal(err)
	}
	e.iam.EnsurePolicy(ctx, awsiam.PolicyARN(portal.PartitionAWS, e.emu.AccountID(), policy.SeedName), policy.SeedName, policy.Seed)

	h, err := e.svc.Resume(ctx, admin, "bob")
	if err != nil {
		t.Fatalf("resume after a lost CreateUser answer: %v", err)
	}
	if h.User.ARN == "" || e.iamUsers(t, "bob") != 1 {
		t.Fatalf("user not adopted by the saga: %+v", h.User)
	}
}

func TestSagaRefusesAForeignUserWithTheSameName(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	if _, err := e.iam.CreateUser(ctx, "carol", nil); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "Carol"})
	if got, want := portal.ErrorCode(err), portal.EINVALID; got != want {
		t.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
	if _, err := e.store.FindUserByName(ctx, "carol"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("a refused onboarding left a record: %v", err)
	}
}

func TestSagaRetriesServerErrorsThroughTheSDK(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// Two 500s: the SDK's own retries (3 attempts) absorb them.
	e.emu.FailNext("CreateUser", "ServiceFailure", 2)
	h, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "dave"})
	if err != nil {
		t.Fatalf("onboard: %v", err)
	}
	if h.InviteToken == "" || e.iamUsers(t, "dave") != 1 {
		t.Fatalf("hand-off %+v", h)
	}
}

func TestSagaWaitsForEventualConsistency(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.emu.SetFaults(iamemu.Faults{ConsistencyDelay: 500 * time.Millisecond})
	h, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "erin"})
	if err != nil {
		t.Fatalf("onboard with a slow-to-appear user: %v", err)
	}
	if h.User.State != portal.StateInvited {
		t.Fatalf("state = %q", h.User.State)
	}
}

// The hand-off's user is the user as recorded at the end of the saga (its
// IAM identity, its state), as a read of the record returns it.
func TestHandoffHoldsTheRecordedUser(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	h, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "fred", Deadline: time.Now().Add(72 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := e.store.FindUserByID(ctx, h.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	if h.User.State != portal.StateInvited || h.User.ARN == "" || h.User.IAMUserID == "" || !reflect.DeepEqual(h.User, stored) {
		t.Fatalf("hand-off user\n%+v\nrecorded\n%+v", h.User, stored)
	}
}

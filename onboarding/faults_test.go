package onboarding_test

import (
	"context"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/iamemu/iamfault"
	"github.com/gatehouse/portal/onboarding"
)

// A client that disconnects while a saga step waits for IAM cancels the
// request's context; the step's failure must still be recorded (it is what
// the user page shows and what the next run trusts).
func TestFailedStepIsRecordedWhenTheClientDisconnects(t *testing.T) {
	e := newEnv(t)
	e.faults.Set("AttachUserPolicy", iamfault.Hang)
	arrived := e.faults.Arrived("AttachUserPolicy")
	ctx, disconnect := context.WithCancel(context.Background())
	go func() { <-arrived; disconnect() }()

	if _, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "carol"}); err == nil {
		t.Fatal("onboarding succeeded although the client went away during AttachUserPolicy")
	}
	u, err := e.store.FindUserByName(context.Background(), "carol")
	if err != nil {
		t.Fatal(err)
	}
	steps, err := e.store.FindSteps(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st := steps[onboarding.StepAttach]; st.LastErrorText.IsZero() {
		t.Fatalf("the failed step's error was lost with the request: %+v", st)
	}
	if st := steps[onboarding.StepUser]; st.Status != "done" {
		t.Fatalf("create_user is %q, want done", st.Status)
	}
}

package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/iamemu/iamfault"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// resumeEnv is an onboarding service behind an IAM fault proxy and a job
// runner that resumes interrupted onboardings, with waits of a few hundred
// milliseconds instead of minutes.
type resumeEnv struct {
	emu    *iamemu.Emulator
	faults *iamfault.Proxy
	iam    *awsiam.Client
	st     *store.Store
	onb    *onboarding.Service
	runner *jobs.Runner
}

func newResumeEnv(t *testing.T) *resumeEnv {
	t.Helper()
	emu := iamemu.New(iamemu.Options{})
	e := &resumeEnv{emu: emu, faults: iamfault.New(emu), st: storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))}
	srv := &iamemutest.Server{Emulator: emu, URL: e.faults.Serve(t)}
	// One attempt per call: the saga, not the SDK, meets each fault.
	e.iam = srv.Client(t, awsiam.Config{MaxAttempts: 1, ConsistencyWait: 3 * time.Second})
	var err error
	if e.onb, err = onboarding.New(onboarding.Config{Store: e.st, IAM: e.iam, Logger: quiet, Account: emu.AccountID(),
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, ResumeAfter: 100 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if e.runner, err = jobs.New(jobs.Config{Store: e.st, Holder: "a", Poll: 10 * time.Millisecond, Logger: quiet, Drain: time.Second,
		Periodic: []jobs.Periodic{{Every: e.onb.ResumeSweepEvery(), Run: e.onb.QueueStuckResumes}}}); err != nil {
		t.Fatal(err)
	}
	e.runner.Register(store.JobResume, jobs.Resumes(e.onb))
	return e
}

// run runs the job runner until the test ends.
func (e *resumeEnv) run(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.runner.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func (e *resumeEnv) state(t *testing.T, name string) portal.State {
	t.Helper()
	u, err := e.st.FindUserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.State
}

// waitResumed waits until the automatic resume of name's onboarding has
// ended (its job done, so its audit event is written), and checks that it
// left the user invited.
func (e *resumeEnv) waitResumed(t *testing.T, name string) {
	t.Helper()
	u, err := e.st.FindUserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	eventually.True(t, time.Minute, 20*time.Millisecond, "the interrupted onboarding was not resumed", func() bool {
		j, err := e.st.FindResumeJob(context.Background(), u.ID)
		return err == nil && j.State == store.JobDone
	})
	if got := e.state(t, name); got != portal.StateInvited {
		t.Fatalf("after the automatic resume %s is %s, want invited", name, got)
	}
}

// An onboarding interrupted at any saga step — IAM unreachable before it
// acted, or acting with its answer lost — is finished by the job runner
// without anyone pressing Retry: one IAM user, its policy attached, one
// valid invite, and the audit log says Gatehouse did it.
func TestInterruptedOnboardingResumesByItself(t *testing.T) {
	cases := []struct {
		action string
		fault  iamfault.Fault
	}{
		{"CreatePolicy", iamfault.Down},
		{"CreateUser", iamfault.Down},
		{"CreateUser", iamfault.DropAfterActing},
		{"AttachUserPolicy", iamfault.BadGateway},
		{"AttachUserPolicy", iamfault.DropAfterActing},
	}
	for _, c := range cases {
		name := c.action + map[iamfault.Fault]string{iamfault.Down: " down", iamfault.DropAfterActing: " answer lost", iamfault.BadGateway: " 502"}[c.fault]
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newResumeEnv(t)
			e.faults.Set(c.action, c.fault)
			if _, err := e.onb.Onboard(ctx, onboarding.Actor{Name: "admin"}, portal.NewUser{UserName: "ivy"}); err == nil {
				t.Fatalf("onboarding succeeded through %s", name)
			}
			if got := e.state(t, "ivy"); got != portal.StateProvisioning {
				t.Fatalf("after the interruption ivy is %s, want provisioning", got)
			}
			e.faults.Set(c.action, iamfault.Pass) // IAM is back; nobody presses Retry
			e.run(t)
			e.waitResumed(t, "ivy")
			u, _ := e.st.FindUserByName(ctx, "ivy")
			if iu, err := e.iam.GetUser(ctx, "ivy"); err != nil || iu.ID != u.IAMUserID {
				t.Fatalf("IAM user %+v (%v), want the one recorded (%s)", iu, err, u.IAMUserID)
			}
			if pols, err := e.iam.AttachedPolicyARNs(ctx, "ivy"); err != nil || len(pols) != 1 {
				t.Fatalf("ivy has policies %v (%v), want the managed one", pols, err)
			}
			if inv, err := e.st.FindLatestInvite(ctx, u.ID); err != nil || !inv.RevokedAt.IsZero() {
				t.Fatalf("ivy's invite: %+v %v", inv, err)
			}
			evs, err := e.st.FindAuditEvents(ctx, portal.AuditFilter{Target: "ivy", Action: "user.onboard"})
			if err != nil || len(evs) != 1 || evs[0].Actor != "system" || evs[0].Text.Key != "audit.onboard.resumed.auto" {
				t.Fatalf("the resume was audited as %+v (%v), want one automatic resume by system", evs, err)
			}
		})
	}
}

// When IAM stays down, the automatic resume backs off and gives up after a
// bounded number of attempts with an audit event; the saga then waits for
// a person's Retry (and no new automatic resume starts), which finishes it
// once IAM is back.
func TestAutomaticResumeGivesUpAndLeavesRetryToAPerson(t *testing.T) {
	ctx := context.Background()
	e := newResumeEnv(t)
	e.faults.Set("AttachUserPolicy", iamfault.Down)
	if _, err := e.onb.Onboard(ctx, onboarding.Actor{Name: "admin"}, portal.NewUser{UserName: "jo"}); err == nil {
		t.Fatal("onboarding succeeded with IAM down")
	}
	u, _ := e.st.FindUserByName(ctx, "jo")
	e.run(t)
	var j *store.Job
	eventually.True(t, 2*time.Minute, 20*time.Millisecond, "the automatic resume did not give up", func() bool {
		var err error
		j, err = e.st.FindResumeJob(ctx, u.ID)
		return err == nil && j.State == store.JobFailed
	})
	if j.Attempts != 6 {
		t.Fatalf("gave up after %d attempts, want 6", j.Attempts)
	}
	evs, err := e.st.FindAuditEvents(ctx, portal.AuditFilter{Target: "jo", Action: "onboard.resume.failed"})
	if err != nil || len(evs) != 1 || evs[0].Actor != "system" {
		t.Fatalf("the give-up was audited as %+v (%v)", evs, err)
	}
	if got := e.state(t, "jo"); got != portal.StateProvisioning {
		t.Fatalf("after the give-up jo is %s, want provisioning", got)
	}
	time.Sleep(500 * time.Millisecond) // several sweeps, each past ResumeAfter
	if again, err := e.st.FindResumeJob(ctx, u.ID); err != nil || again.ID != j.ID {
		t.Fatalf("a new automatic resume started after the give-up: %+v %v", again, err)
	}
	e.faults.Set("AttachUserPolicy", iamfault.Pass)
	if _, err := e.onb.Resume(ctx, onboarding.Actor{Name: "admin"}, "jo"); err != nil {
		t.Fatalf("a person's Retry: %v", err)
	}
	if got := e.state(t, "jo"); got != portal.StateInvited {
		t.Fatalf("after Retry jo is %s, want invited", got)
	}
}

// A person who presses Retry while the automatic resume is running the
// same saga is told it is running (409) instead of running it a second
// time, which would issue a second invite and revoke the link the first
// run hands out. The automatic resume then finishes with one invite.
func TestRetryDuringAnAutomaticResumeIsRefused(t *testing.T) {
	ctx := context.Background()
	e := newResumeEnv(t)
	e.faults.Set("AttachUserPolicy", iamfault.BadGateway)
	if _, err := e.onb.Onboard(ctx, onboarding.Actor{Name: "admin"}, portal.NewUser{UserName: "kit"}); err == nil {
		t.Fatal("onboarding succeeded through a 502")
	}
	e.faults.Set("AttachUserPolicy", iamfault.Hang) // the automatic resume waits in IAM
	arrived := e.faults.Arrived("AttachUserPolicy")
	e.run(t)
	select {
	case <-arrived:
	case <-time.After(time.Minute): // a guard, not a timing assertion
		t.Fatal("the automatic resume never reached AttachUserPolicy")
	}
	_, err := e.onb.Resume(ctx, onboarding.Actor{Name: "admin"}, "kit")
	if portal.ErrorCode(err) != portal.ECONFLICT || portal.ErrorReason(err) != onboarding.ReasonSagaRunning {
		t.Fatalf("Retry during the automatic resume: %v, want ECONFLICT (saga running)", err)
	}
	e.faults.Set("AttachUserPolicy", iamfault.Pass)
	e.faults.Release() // the hung call drops; the resume's next attempt passes
	e.waitResumed(t, "kit")
	u, _ := e.st.FindUserByName(ctx, "kit")
	var invites int
	e.st.DB().QueryRow(`SELECT COUNT(*) FROM invites WHERE user_id = ?`, u.ID).Scan(&invites)
	if invites != 1 {
		t.Fatalf("%d invites issued, want 1", invites)
	}
}

package onboarding_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/onboarding"
)

// fresh reports make every sync see the current account.
var freshReports = iamemu.Options{CredentialReportThrottle: -1}

func TestSyncDetectsWhatHappenedOutsideGatehouse(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	e.onboard(t, "console-enroller")
	e.onboard(t, "remover")
	e.onboard(t, "deleted")
	e.onboard(t, "still-pending")
	serial := e.consoleEnroll(t, "remover")
	e.consoleEnroll(t, "console-enroller")
	if _, err := e.svc.Sync(ctx, onboarding.SyncManual, admin); err != nil {
		t.Fatal(err)
	}
	e.consoleRemoveMFA(t, "remover", serial)
	for _, arn := range []string{"arn:aws:iam::" + e.emu.AccountID() + ":policy/" + "forced-mfa-and-my-sec-creds-self-manage"} {
		if _, err := e.raw.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("deleted"), PolicyArn: aws.String(arn)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.raw.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("deleted")}); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Minute)
	res, err := e.svc.Sync(ctx, onboarding.SyncManual, admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		want portal.State
	}{
		{"console-enroller", portal.StateEnrolled},
		{"remover", portal.StateMFARemoved},
		{"deleted", portal.StateOffboarded},
		{"still-pending", portal.StateInvited},
	} {
		t.Run(tc.name+" is "+string(tc.want), func(t *testing.T) {
			if got := e.state(t, tc.name); got != tc.want {
				t.Fatalf("state = %s, want %s", got, tc.want)
			}
		})
	}
	if got, want := res.Removed, 1; got != want {
		t.Errorf("Removed = %d, want %d", got, want)
	}
	if got, want := res.Gone, 1; got != want {
		t.Errorf("Gone = %d, want %d", got, want)
	}
	t.Run("only pending users are asked about live", func(t *testing.T) {
		// second sync: still-pending (invited) and remover (enrolled, no
		// MFA in the report); deleted is missing from a report newer than
		// it, and GetUser confirms it gone
		if got, want := res.LiveChecked, 2; got != want {
			t.Fatalf("LiveChecked = %d, want %d", got, want)
		}
	})
	t.Run("the run is recorded for the dashboard", func(t *testing.T) {
		last, err := e.store.LastSyncRun(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !last.OK || last.Source != onboarding.SyncManual || last.ReportAt.IsZero() {
			t.Fatalf("last run = %+v", last)
		}
	})
	if !contains(e.auditActions(t, "remover"), "mfa.removed") {
		t.Errorf("MFA removal not audited: %v", e.auditActions(t, "remover"))
	}
}

func TestSyncSeesTheFirstConsoleSignIn(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	u := e.onboard(t, "signer")
	if err := e.iam.CreateLoginProfile(ctx, "signer", "Aa1!aaaaaaaaaaaa"); err != nil {
		t.Fatal(err)
	}
	if err := e.emu.MarkConsoleSignIn("signer"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second sync must not audit it again
		if _, err := e.svc.Sync(ctx, onboarding.SyncScheduled, onboarding.Actor{Name: "system"}); err != nil {
			t.Fatal(err)
		}
	}
	f, err := e.store.FindUserFacts(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f.PasswordLastUsed.IsZero() || !f.PasswordEnabled {
		t.Fatalf("facts = %+v, want a password used", f)
	}
	n := 0
	for _, a := range e.auditActions(t, "signer") {
		if a == "console.signin.seen" {
			n++
		}
	}
	if got, want := n, 1; got != want {
		t.Fatalf("console.signin.seen audited %d times, want %d", got, want)
	}
}

func TestSyncWaitsForAReportInProgress(t *testing.T) {
	ctx := context.Background()
	// The report takes 3 s of IAM time; the test moves the clock on while
	// the sync polls, so INPROGRESS and ReportInProgress are both seen.
	e := newLifeEnv(t, iamemu.Options{CredentialReportDelay: 3 * time.Second, CredentialReportThrottle: -1}, onboarding.LifecycleConfig{})
	e.onboard(t, "waiter")
	e.consoleEnroll(t, "waiter")
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
				e.advance(500 * time.Millisecond)
			}
		}
	}()
	res, err := e.svc.Sync(ctx, onboarding.SyncManual, admin)
	close(done)
	if err != nil {
		t.Fatalf("sync while the report is in progress: %v", err)
	}
	if got, want := res.Enrolled, 1; got != want {
		t.Fatalf("Enrolled = %d, want %d", got, want)
	}
}

func TestSyncGivesUpClearlyWhenTheReportNeverCompletes(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, iamemu.Options{CredentialReportDelay: time.Hour}, onboarding.LifecycleConfig{ReportWait: 50 * time.Millisecond})
	_, err := e.svc.Sync(ctx, onboarding.SyncManual, admin)
	if got, want := portal.ErrorCode(err), portal.EUNAVAILABLE; got != want {
		t.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
	last, lerr := e.store.LastSyncRun(ctx)
	if lerr != nil {
		t.Fatal(lerr)
	}
	if last.OK || i18n.Text(i18n.EN, last.Text) != i18n.ErrorText(i18n.EN, err) {
		t.Fatalf("failed run recorded as %+v", last)
	}
}

func TestSyncRegeneratesAnExpiredReport(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, iamemu.Options{CredentialReportThrottle: 8 * time.Hour, CredentialReportExpiry: time.Hour}, onboarding.LifecycleConfig{})
	if _, err := e.svc.Sync(ctx, onboarding.SyncManual, admin); err != nil {
		t.Fatal(err)
	}
	e.advance(2 * time.Hour) // expired, but younger than the throttle
	_, err := e.svc.Sync(ctx, onboarding.SyncManual, admin)
	// Generate answers COMPLETE (throttled), Get answers ReportExpired: the
	// sync must say so clearly rather than loop.
	if err != nil && portal.ErrorReason(err) != "ReportExpired" {
		t.Fatalf("unexpected error: %v", err)
	}
}

func TestSyncNeverRunsTwiceAtOnce(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{Holder: "replica-b"})
	ok, err := e.store.AcquireLease(ctx, "status-sync", "replica-a", time.Minute, e.now())
	if err != nil || !ok {
		t.Fatalf("arrange lease: %v %v", ok, err)
	}
	_, err = e.svc.Sync(ctx, onboarding.SyncManual, admin)
	if got, want := portal.ErrorCode(err), portal.ECONFLICT; got != want {
		t.Fatalf("second sync: code %q, want %q", got, want)
	}
	if got := i18n.ErrorText(i18n.EN, err); got == "" {
		t.Fatal("no message for the person who pressed the button")
	}
}

// A credential report is reused for up to four hours, so it can predate a
// user. Pending users are asked about live whatever the report's age: a
// console enrollment of a user newer than the report, and an enrollment in
// the portal whose recording was lost (the portal stopped right after
// EnableMFADevice), are both found by the next sync.
func TestSyncChecksPendingUsersLiveWhateverTheReportsAge(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, iamemu.Options{}, onboarding.LifecycleConfig{}) // AWS's 4-hour report throttle
	e.onboard(t, "before")
	if _, err := e.svc.Sync(ctx, onboarding.SyncManual, admin); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Hour)
	e.onboard(t, "console-newbie")
	e.consoleEnroll(t, "console-newbie")
	e.onboard(t, "lost-answer")
	e.consoleEnroll(t, "lost-answer") // what EnableMFADevice did before the crash
	e.onboard(t, "waiting")
	res, err := e.svc.Sync(ctx, onboarding.SyncManual, admin)
	if err != nil {
		t.Fatal(err)
	}
	if !res.ReportAt.Before(e.now().Add(-30 * time.Minute)) {
		t.Fatalf("the sync used a fresh report (%v): the test proves nothing", res.ReportAt)
	}
	for name, want := range map[string]portal.State{"console-newbie": portal.StateEnrolled, "lost-answer": portal.StateEnrolled,
		"waiting": portal.StateInvited, "before": portal.StateInvited} {
		if got := e.state(t, name); got != want {
			t.Errorf("%s is %s, want %s", name, got, want)
		}
	}
	if got, want := res.Enrolled, 2; got != want {
		t.Errorf("Enrolled = %d, want %d", got, want)
	}
	if got, want := res.LiveChecked, 4; got != want {
		t.Errorf("LiveChecked = %d, want %d (one look per pending user)", got, want)
	}
	if res.Gone != 0 {
		t.Errorf("Gone = %d: a user newer than the report is not deleted", res.Gone)
	}
}

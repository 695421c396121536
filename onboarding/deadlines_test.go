package onboarding_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
)

func TestDeadlineActionIsOffByDefault(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	e.onboard(t, "late")
	if err := e.iam.CreateLoginProfile(ctx, "late", "Aa1!aaaaaaaaaaaa"); err != nil {
		t.Fatal(err)
	}
	e.advance(8 * 24 * time.Hour)
	e.svc.RunDeadlines(ctx)
	if has, err := e.iam.HasLoginProfile(ctx, "late"); err != nil || !has {
		t.Fatalf("console password removed although no action is configured: %v %v", has, err)
	}
}

func TestDeadlineActionsAreAppliedOnceAndAudited(t *testing.T) {
	ctx := context.Background()
	for _, action := range []string{onboarding.DeadlineActionDisableLogin, onboarding.DeadlineActionDeactivateKey} {
		t.Run(action, func(t *testing.T) {
			e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{DeadlineAction: action})
			e.onboard(t, "late")
			e.onboard(t, "on-time")
			for _, n := range []string{"late", "on-time"} {
				if err := e.iam.CreateLoginProfile(ctx, n, "Aa1!aaaaaaaaaaaa"); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := e.raw.CreateAccessKey(ctx, createKey("late")); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.ExtendDeadline(ctx, admin, "on-time", e.now().Add(30*24*time.Hour), "on leave"); err != nil {
				t.Fatal(err)
			}
			e.advance(8 * 24 * time.Hour)
			e.svc.RunDeadlines(ctx)
			e.svc.RunDeadlines(ctx) // the second run must not act again
			has, _ := e.iam.HasLoginProfile(ctx, "late")
			keys, _ := e.iam.ListAccessKeys(ctx, "late")
			switch action {
			case onboarding.DeadlineActionDisableLogin:
				if has {
					t.Fatal("console password of an overdue user still exists")
				}
			case onboarding.DeadlineActionDeactivateKey:
				if len(keys) != 1 || keys[0].Active {
					t.Fatalf("keys = %+v, want one inactive", keys)
				}
			}
			for _, want := range []string{"deadline.action", "user.overdue"} {
				n := 0
				for _, a := range e.auditActions(t, "late") {
					if a == want {
						n++
					}
				}
				if n != 1 {
					t.Fatalf("%s audited %d times, want 1", want, n)
				}
			}
			for _, a := range e.auditActions(t, "on-time") {
				if a == "user.overdue" {
					t.Fatal("a user whose deadline was extended is audited overdue")
				}
			}
			if hasOn, _ := e.iam.HasLoginProfile(ctx, "on-time"); !hasOn {
				t.Fatal("a user whose deadline was extended lost the console password")
			}
			if got := e.state(t, "late"); got != portal.StateInvited {
				t.Fatalf("state = %s", got)
			}
		})
	}
}

func TestExtendDeadlineNeedsAReasonAndAFutureDate(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	e.onboard(t, "x")
	for _, tc := range []struct {
		name, reason, field string
		d                   time.Duration
	}{{"no reason", " ", "reason", time.Hour}, {"past date", "leave", "deadline", -time.Hour}} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.ExtendDeadline(ctx, admin, "x", e.now().Add(tc.d), tc.reason)
			if pe, ok := err.(*portal.Error); !ok || pe.Field != tc.field {
				t.Fatalf("err = %v, want a field error on %s", err, tc.field)
			}
		})
	}
}

func TestDeadlineActionsActOnFreshFacts(t *testing.T) {
	ctx := context.Background()
	arrange := func(t *testing.T) *lifeEnv {
		e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{DeadlineAction: onboarding.DeadlineActionDisableLogin})
		e.onboard(t, "late")
		if err := e.iam.CreateLoginProfile(ctx, "late", "Aa1!aaaaaaaaaaaa"); err != nil {
			t.Fatal(err)
		}
		e.advance(8 * 24 * time.Hour)
		return e
	}
	t.Run("no deadline work after a failed sync", func(t *testing.T) {
		e := arrange(t)
		// LimitExceeded is not retried by the SDK: the sync fails.
		e.emu.FailNext("GenerateCredentialReport", "LimitExceeded", 1)
		e.svc.ScheduledRound(ctx, time.Hour)
		if has, _ := e.iam.HasLoginProfile(ctx, "late"); !has {
			t.Fatal("the console password was removed after a failed sync")
		}
		if last, err := e.store.LastSyncRun(ctx); err != nil || last.OK {
			t.Fatalf("last sync %+v, %v; want a failed one (the test did not fail it)", last, err)
		}
		e.svc.ScheduledRound(ctx, 0) // the next round's sync succeeds
		if has, _ := e.iam.HasLoginProfile(ctx, "late"); has {
			t.Fatal("the deadline action did not run after a successful sync")
		}
	})
	t.Run("MFA is checked live right before disabling", func(t *testing.T) {
		e := arrange(t)
		// Enrolled in the console after the last sync: the store still says
		// invited and overdue.
		e.consoleEnroll(t, "late")
		e.svc.RunDeadlines(ctx)
		if has, _ := e.iam.HasLoginProfile(ctx, "late"); !has {
			t.Fatal("the console password of a user with MFA was removed")
		}
		if got := e.state(t, "late"); got != portal.StateEnrolled {
			t.Fatalf("state = %s, want enrolled", got)
		}
		if acts := e.auditActions(t, "late"); contains(acts, "deadline.action") || !contains(acts, "mfa.enable") {
			t.Fatalf("audit = %v, want mfa.enable and no deadline.action", acts)
		}
	})
}

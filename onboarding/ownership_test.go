package onboarding_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
)

// recreate deletes name's IAM user outside Gatehouse and creates a new one
// of the same name, with the managed-by tag when tagged, a console password
// and an access key: someone else's user that must survive untouched.
func (e *lifeEnv) recreate(t *testing.T, name string, tagged bool) awsiam.User {
	t.Helper()
	ctx := context.Background()
	arns, _ := e.iam.AttachedPolicyARNs(ctx, name)
	for _, arn := range arns {
		if err := e.iam.DetachUserPolicy(ctx, name, arn); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.iam.DeleteLoginProfile(ctx, name); err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatal(err)
	}
	if err := e.iam.DeleteUser(ctx, name); err != nil {
		t.Fatal(err)
	}
	var tags map[string]string
	if tagged {
		tags = map[string]string{onboarding.ManagedTagKey: onboarding.ManagedTagValue}
	}
	iu, err := e.iam.CreateUser(ctx, name, tags)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.iam.CreateLoginProfile(ctx, name, "Aa1!aaaaaaaaaaaa"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.raw.CreateAccessKey(ctx, createKey(name)); err != nil {
		t.Fatal(err)
	}
	return iu
}

// untouched fails t unless name's IAM user is the given one, still with its
// console password and an active access key.
func (e *lifeEnv) untouched(t *testing.T, name string, want awsiam.User) {
	t.Helper()
	ctx := context.Background()
	iu, err := e.iam.GetUser(ctx, name)
	if err != nil || iu.ID != want.ID {
		t.Fatalf("IAM user %s = %+v, %v; want the one with ID %s", name, iu, err, want.ID)
	}
	has, _ := e.iam.HasLoginProfile(ctx, name)
	keys, _ := e.iam.ListAccessKeys(ctx, name)
	if !has || len(keys) != 1 || !keys[0].Active {
		t.Fatalf("the foreign user was changed: password %v, keys %+v", has, keys)
	}
}

// refusedAudit fails t unless the last audit event of name is a not-ours
// refusal naming what was refused.
func (e *lifeEnv) refusedAudit(t *testing.T, name, what string) {
	t.Helper()
	evs, err := e.store.FindAuditEvents(context.Background(), portal.AuditFilter{Target: name, Action: "user.not_ours"})
	if err != nil || len(evs) == 0 {
		t.Fatalf("no user.not_ours event for %s (%v)", name, err)
	}
	if !strings.Contains(i18n.Stored(i18n.EN, evs[0].Text, evs[0].Detail), "refused to "+what) {
		t.Fatalf("audit detail %q does not say it refused to %s", i18n.Stored(i18n.EN, evs[0].Text, evs[0].Detail), what)
	}
}

func isNotOurs(err error) bool {
	return portal.ErrorCode(err) == portal.ECONFLICT && portal.ErrorReason(err) == onboarding.ReasonNotOurs
}

func TestOnboardingAndAdoptionRecordTheIAMUserID(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	e.onboard(t, "fresh")
	if _, err := e.iam.CreateUser(ctx, "old", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Adopt(ctx, admin, "old", onboarding.AdoptOptions{Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"fresh", "old"} {
		iu, _ := e.iam.GetUser(ctx, name)
		u, _ := e.store.FindUserByName(ctx, name)
		if u.IAMUserID == "" || u.IAMUserID != iu.ID {
			t.Errorf("%s: recorded IAM UserId %q, IAM has %q", name, u.IAMUserID, iu.ID)
		}
	}
}

func TestDestructiveActionsActOnlyOnOurUser(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// recreated outside Gatehouse with the tag (new UserId), or the
		// same user with the tag removed
		tagged bool
	}{{"re-created with the tag", true}, {"tag removed", false}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{DeadlineAction: onboarding.DeadlineActionDisableLogin})
			for _, n := range []string{"off", "reset", "late", "claim"} {
				e.onboard(t, n)
			}
			foreign := map[string]awsiam.User{}
			for _, n := range []string{"off", "reset", "late", "claim"} {
				if tc.tagged {
					foreign[n] = e.recreate(t, n, true)
					continue
				}
				if _, err := e.raw.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String(n), TagKeys: []string{onboarding.ManagedTagKey}}); err != nil {
					t.Fatal(err)
				}
				if err := e.iam.CreateLoginProfile(ctx, n, "Aa1!aaaaaaaaaaaa"); err != nil {
					t.Fatal(err)
				}
				if _, err := e.raw.CreateAccessKey(ctx, createKey(n)); err != nil {
					t.Fatal(err)
				}
				foreign[n], _ = e.iam.GetUser(ctx, n)
			}

			t.Run("offboarding", func(t *testing.T) {
				if err := e.svc.Offboard(ctx, admin, "off", "left"); !isNotOurs(err) {
					t.Fatalf("err = %v, want a not-ours refusal", err)
				}
				e.untouched(t, "off", foreign["off"])
				e.refusedAudit(t, "off", "offboard")
				if got := e.state(t, "off"); got == portal.StateOffboarded {
					t.Fatal("the record was closed although nothing was removed")
				}
			})
			t.Run("MFA reset", func(t *testing.T) {
				if _, err := e.svc.ResetMFA(ctx, admin, "reset", "lost", "video call"); !isNotOurs(err) {
					t.Fatalf("err = %v, want a not-ours refusal", err)
				}
				e.untouched(t, "reset", foreign["reset"])
				e.refusedAudit(t, "reset", "reset MFA")
			})
			t.Run("claiming an invite", func(t *testing.T) {
				inv, err := e.svc.ResendInvite(ctx, admin, "claim")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := e.svc.ClaimInvite(ctx, inv.Token, "", "req"); !isNotOurs(err) {
					t.Fatalf("err = %v, want a not-ours refusal", err)
				}
				e.untouched(t, "claim", foreign["claim"])
				e.refusedAudit(t, "claim", "set a console password")
			})
			t.Run("deadline action", func(t *testing.T) {
				for _, n := range []string{"off", "reset", "claim"} {
					if _, err := e.svc.ExtendDeadline(ctx, admin, n, e.now().Add(60*24*time.Hour), "not this test"); err != nil {
						t.Fatal(err)
					}
				}
				e.advance(8 * 24 * time.Hour)
				e.svc.RunDeadlines(ctx)
				e.untouched(t, "late", foreign["late"])
				e.refusedAudit(t, "late", "apply the deadline action")
				if contains(e.auditActions(t, "late"), "deadline.action") {
					t.Fatal("a deadline action was audited as done")
				}
			})
		})
	}
}

func TestRecordsWithoutAnIAMUserIDLearnItOnce(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	// A record from before UserIds were stored: created by hand as the
	// migration leaves it, for an IAM user that carries the tag.
	iu, err := e.iam.CreateUser(ctx, "legacy", map[string]string{onboarding.ManagedTagKey: onboarding.ManagedTagValue})
	if err != nil {
		t.Fatal(err)
	}
	now := e.now()
	u := &portal.User{UserName: "legacy", State: portal.StateEnrolled, ARN: iu.ARN, CreatedAt: now, UpdatedAt: now}
	if err := e.store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ResetMFA(ctx, admin, "legacy", "lost", "video call"); err != nil {
		t.Fatalf("the first check of a tagged legacy user refused: %v", err)
	}
	got, _ := e.store.FindUserByName(ctx, "legacy")
	if got.IAMUserID != iu.ID || !contains(e.auditActions(t, "legacy"), "user.iam_id.recorded") {
		t.Fatalf("IAM UserId recorded %q (want %q), audit %v", got.IAMUserID, iu.ID, e.auditActions(t, "legacy"))
	}
	// From now on a re-created user is caught.
	foreign := e.recreate(t, "legacy", true)
	if _, err := e.svc.ResetMFA(ctx, admin, "legacy", "lost", "video call"); !isNotOurs(err) {
		t.Fatalf("err = %v, want a not-ours refusal", err)
	}
	e.untouched(t, "legacy", foreign)

	t.Run("a UserId another record holds is not learned", func(t *testing.T) {
		twin := &portal.User{UserName: "legacy2", State: portal.StateEnrolled, CreatedAt: now, UpdatedAt: now}
		if err := e.store.CreateUser(ctx, twin); err != nil {
			t.Fatal(err)
		}
		if _, err := e.iam.CreateUser(ctx, "legacy2", map[string]string{onboarding.ManagedTagKey: onboarding.ManagedTagValue}); err != nil {
			t.Fatal(err)
		}
		l2, _ := e.iam.GetUser(ctx, "legacy2")
		if err := e.store.UpdateUser(ctx, u.ID, store.UserUpdate{IAMUserID: &l2.ID}, now); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ResetMFA(ctx, admin, "legacy2", "lost", "video call"); !isNotOurs(err) {
			t.Fatalf("err = %v, want a refusal (legacy holds that UserId)", err)
		}
	})
}

package onboarding_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
)

// The helpdesk's work on a user of a member account acts in that account
// through its assumed role, over the real SDK: a lost-device reset removes
// the member's device and a new claim sets a new console password there,
// a deadline extension and the automatic deadline action (console password
// removed) touch the member's user, and offboarding deletes it — while the
// hub's user of the same name is left as it was after every step. Without
// the account, a name held in both is refused, never guessed.
func TestHelpdeskInAMemberAccount(t *testing.T) {
	var shift atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(shift.Load())) }
	e := newAcctEnvWith(t, acctOptions{now: clock, lifecycle: onboarding.LifecycleConfig{DeadlineAction: onboarding.DeadlineActionDisableLogin}})
	ctx := context.Background()
	if _, err := e.svc.AddAccount(ctx, admin, portal.NewAccount{ID: memberAcct, ExternalID: externalID}); err != nil {
		t.Fatal(err)
	}
	member, hub := e.rootOf(t, memberAcct), e.rootOf(t, e.hub)
	inMember := onboarding.InAccount(ctx, memberAcct)

	h, err := e.svc.Onboard(ctx, admin, portal.NewUser{Account: memberAcct, UserName: "dana"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "dana"}); err != nil {
		t.Fatal(err)
	}
	if err := hub.CreateLoginProfile(ctx, "dana", "Aa1!hub-password-x"); err != nil {
		t.Fatal(err)
	}
	hubUntouched := func(step string) {
		t.Helper()
		if _, err := hub.GetUser(ctx, "dana"); err != nil {
			t.Fatalf("%s: the hub's dana is gone: %v", step, err)
		}
		if has, err := hub.HasLoginProfile(ctx, "dana"); err != nil || !has {
			t.Fatalf("%s: the hub's dana lost its console password: %v %v", step, has, err)
		}
		if devs, err := hub.ListMFADevices(ctx, "dana"); err != nil || len(devs) != 0 {
			t.Fatalf("%s: the hub's dana has devices %v, %v", step, devs, err)
		}
		if u, err := e.store.FindUser(ctx, e.hub, "dana"); err != nil || u.State != portal.StateInvited {
			t.Fatalf("%s: the hub's dana is recorded as %+v, %v", step, u, err)
		}
	}

	// Enrolled in the member account.
	enroll := func(token string) string {
		t.Helper()
		creds, err := e.svc.ClaimInvite(ctx, token, "", "req")
		if err != nil {
			t.Fatalf("claim: %v", err)
		}
		cs, u, err := e.svc.ClaimSession(ctx, creds.SessionToken)
		if err != nil {
			t.Fatal(err)
		}
		setup, err := e.svc.StartMFA(ctx, cs, u, "req")
		if err != nil {
			t.Fatalf("start MFA: %v", err)
		}
		now := time.Now()
		if _, err := e.svc.EnrollMFA(ctx, cs, u, totpCode(t, setup.Secret, now.Add(-30*time.Second)), totpCode(t, setup.Secret, now), "req"); err != nil {
			t.Fatalf("enroll: %v", err)
		}
		return setup.Serial
	}
	if serial := enroll(h.InviteToken); !strings.HasPrefix(serial, "arn:aws:iam::"+memberAcct+":mfa/") {
		t.Fatalf("device %s is not the member account's", serial)
	}
	hubUntouched("enrolled")

	// Without the account the name is refused, in every helpdesk action.
	if _, err := e.svc.ResetMFA(ctx, admin, "dana", "lost phone", "video call"); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Fatalf("reset without the account: %v", err)
	}
	if err := e.svc.Offboard(ctx, admin, "dana", "left"); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Fatalf("offboard without the account: %v", err)
	}

	// Lost device: the member's device is deactivated and deleted.
	inv, err := e.svc.ResetMFA(inMember, admin, "dana", "lost phone", "video call")
	if err != nil {
		t.Fatalf("reset in the member account: %v", err)
	}
	if devs, err := member.ListMFADevices(ctx, "dana"); err != nil || len(devs) != 0 {
		t.Fatalf("after the reset the member's dana has %v, %v", devs, err)
	}
	if u, _ := e.store.FindUser(ctx, memberAcct, "dana"); u.State != portal.StateInvited || u.MFASerial != "" {
		t.Fatalf("after the reset: %+v", u)
	}
	hubUntouched("reset")
	// So the new claim has to set the member's console password itself.
	if err := member.DeleteLoginProfile(ctx, "dana"); err != nil {
		t.Fatal(err)
	}

	// The new invite: a new console password and a new device, there.
	second := enroll(inv.Token)
	if devs, err := member.ListMFADevices(ctx, "dana"); err != nil || len(devs) != 1 || devs[0].Serial != second {
		t.Fatalf("after enrolling again the member's dana has %v, %v", devs, err)
	}
	if has, err := member.HasLoginProfile(ctx, "dana"); err != nil || !has {
		t.Fatalf("the member's dana has no console password after the new claim: %v %v", has, err)
	}
	hubUntouched("enrolled again")

	// Reset again, then the deadline: extended for the member's dana only,
	// then passed, and the console password is removed there.
	if _, err := e.svc.ResetMFA(inMember, admin, "dana", "lost again", "in person"); err != nil {
		t.Fatal(err)
	}
	hubDeadline := func() time.Time {
		u, _ := e.store.FindUser(ctx, e.hub, "dana")
		return u.Deadline
	}
	before := hubDeadline()
	u, err := e.svc.ExtendDeadlineBy(inMember, admin, "dana", 3, "travelling")
	if err != nil || u.AccountID != memberAcct {
		t.Fatalf("extend in the member account: %+v, %v", u, err)
	}
	if got, _ := e.store.FindUser(ctx, memberAcct, "dana"); !got.Deadline.Equal(u.Deadline) || !hubDeadline().Equal(before) {
		t.Fatalf("deadlines: member %v (want %v), hub %v (was %v)", got.Deadline, u.Deadline, hubDeadline(), before)
	}
	// The hub's dana has a far deadline: only the member's passes.
	if _, err := e.svc.ExtendDeadline(onboarding.InAccount(ctx, e.hub), admin, "dana", clock().Add(60*24*time.Hour), "on leave"); err != nil {
		t.Fatal(err)
	}
	shift.Store(int64(20 * 24 * time.Hour))
	e.svc.RunDeadlines(ctx)
	if has, err := member.HasLoginProfile(ctx, "dana"); err != nil || has {
		t.Fatalf("the overdue member's dana keeps its console password: %v %v", has, err)
	}
	hubUntouched("deadline action")

	// Offboarding deletes the member's user and nothing of the hub's.
	if err := e.svc.Offboard(inMember, admin, "dana", "left"); err != nil {
		t.Fatalf("offboard in the member account: %v", err)
	}
	if _, err := member.GetUser(ctx, "dana"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("the member's dana still exists: %v", err)
	}
	if u, _ := e.store.FindUser(ctx, memberAcct, "dana"); u.State != portal.StateOffboarded {
		t.Fatalf("after offboarding: %+v", u)
	}
	hubUntouched("offboarded")
}

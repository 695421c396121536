package onboarding_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
)

func TestResetMFAToleratesADeviceRemovedInTheConsole(t *testing.T) {
	ctx := context.Background()
	for _, removedFirst := range []bool{false, true} {
		name := map[bool]string{false: "lost-phone", true: "already-removed"}[removedFirst]
		t.Run(name, func(t *testing.T) {
			e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
			e.onboard(t, name)
			serial := e.consoleEnroll(t, name)
			if _, err := e.svc.Sync(ctx, onboarding.SyncManual, admin); err != nil {
				t.Fatal(err)
			}
			if removedFirst {
				e.consoleRemoveMFA(t, name, serial)
			}
			inv, err := e.svc.ResetMFA(ctx, admin, name, "phone lost", "video call with ID")
			if err != nil {
				t.Fatal(err)
			}
			if inv.Token == "" {
				t.Fatal("no new invite")
			}
			devs, err := e.iam.ListMFADevices(ctx, name)
			if err != nil || len(devs) != 0 {
				t.Fatalf("devices after reset = %v, %v", devs, err)
			}
			left, err := e.iam.ListVirtualMFADevices(ctx, false)
			if err != nil || len(left) != 0 {
				t.Fatalf("unassigned devices left = %v, %v", left, err)
			}
			if got, want := e.state(t, name), portal.StateInvited; got != want {
				t.Fatalf("state = %s, want %s", got, want)
			}
			if !contains(e.auditActions(t, name), "mfa.reset") {
				t.Fatal("reset not audited")
			}
		})
	}
	t.Run("reason and verification are required", func(t *testing.T) {
		e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
		e.onboard(t, "bob")
		for _, tc := range []struct{ reason, verified, field string }{{"", "id", "reason"}, {"lost", " ", "verified_by"}} {
			_, err := e.svc.ResetMFA(ctx, admin, "bob", tc.reason, tc.verified)
			var pe *portal.Error
			if portal.ErrorCode(err) != portal.EINVALID {
				t.Fatalf("err = %v", err)
			}
			if pe = err.(*portal.Error); pe.Field != tc.field {
				t.Fatalf("field = %q, want %q", pe.Field, tc.field)
			}
		}
	})
}

func TestOffboardRemovesEveryKindOfCredential(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	e.onboard(t, "leaver")
	e.consoleEnroll(t, "leaver")
	if err := e.iam.CreateLoginProfile(ctx, "leaver", "Aa1!aaaaaaaaaaaa"); err != nil {
		t.Fatal(err)
	}
	u := aws.String("leaver")
	arrange := []func() error{
		func() error { _, err := e.raw.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: u}); return err },
		func() error { _, err := e.raw.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: u}); return err },
		func() error {
			_, err := e.raw.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: u, ServiceName: aws.String("codecommit.amazonaws.com")})
			return err
		},
		func() error {
			_, err := e.raw.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")})
			return err
		},
		func() error {
			_, err := e.raw.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: u, GroupName: aws.String("devs")})
			return err
		},
		func() error {
			_, err := e.raw.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: u, PolicyName: aws.String("inline"),
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`)})
			return err
		},
	}
	for i, f := range arrange {
		if err := f(); err != nil {
			t.Fatalf("arrange %d: %v", i, err)
		}
	}
	t.Run("a reason is required", func(t *testing.T) {
		if err := e.svc.Offboard(ctx, admin, "leaver", ""); portal.ErrorCode(err) != portal.EINVALID {
			t.Fatalf("err = %v", err)
		}
	})
	if err := e.svc.Offboard(ctx, admin, "leaver", "left the company"); err != nil {
		t.Fatal(err)
	}
	if got, want := e.iamUsers(t, "leaver"), 0; got != want {
		t.Fatalf("IAM users named leaver = %d, want %d", got, want)
	}
	if got, want := e.state(t, "leaver"), portal.StateOffboarded; got != want {
		t.Fatalf("state = %s, want %s", got, want)
	}
	if left, _ := e.iam.ListVirtualMFADevices(ctx, false); len(left) != 0 {
		t.Fatalf("devices left behind: %v", left)
	}
	t.Run("offboarding twice is a conflict", func(t *testing.T) {
		if err := e.svc.Offboard(ctx, admin, "leaver", "again"); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("err = %v", err)
		}
	})
}

// startMFA onboards name, claims its invite and starts the portal's MFA
// setup, returning the device Gatehouse created.
func (e *lifeEnv) startMFA(t *testing.T, name string) string {
	t.Helper()
	ctx := context.Background()
	h, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: name})
	if err != nil {
		t.Fatal(err)
	}
	creds, err := e.svc.ClaimInvite(ctx, h.InviteToken, "", "req")
	if err != nil {
		t.Fatal(err)
	}
	cs, u, err := e.svc.ClaimSession(ctx, creds.SessionToken)
	if err != nil {
		t.Fatal(err)
	}
	setup, err := e.svc.StartMFA(ctx, cs, u, "req")
	if err != nil {
		t.Fatal(err)
	}
	return setup.Serial
}

func TestDanglingDevicesAreOnlyTheOnesGatehouseCreated(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	// Under the seed policy anyone may create mfa/* devices: one named after
	// a managed user, created outside Gatehouse before it, is not ours.
	foreign, err := e.iam.CreateVirtualMFADevice(ctx, "quitter")
	if err != nil {
		t.Fatal(err)
	}
	ours := e.startMFA(t, "quitter")
	if ours == foreign.Serial || !strings.HasPrefix(ours, foreign.Serial+"-") {
		t.Fatalf("Gatehouse's device %s: the foreign %s was replaced instead of getting a suffixed name", ours, foreign.Serial)
	}
	if devs, _ := e.svc.DanglingDevices(ctx); len(devs) != 0 {
		t.Fatalf("dangling while the setup session is open: %v", devs)
	}
	e.advance(3 * time.Hour) // the setup session ends: the enrollment is abandoned
	devs, err := e.svc.DanglingDevices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 1 || devs[0].Serial != ours || devs[0].UserName != "quitter" {
		t.Fatalf("dangling = %v, want only %s", devs, ours)
	}
	t.Run("a device Gatehouse did not create is not deleted, and the refusal is audited", func(t *testing.T) {
		err := e.svc.DeleteDanglingDevice(ctx, admin, foreign.Serial)
		if portal.ErrorCode(err) != portal.ENOTFOUND {
			t.Fatalf("deleting a foreign device: %v", err)
		}
		if got := e.auditActions(t, foreign.Serial); !contains(got, "mfa.device.delete.refused") {
			t.Fatalf("audit = %v", got)
		}
	})
	if n, err := e.svc.DeleteAllDanglingDevices(ctx, admin); err != nil || n != 1 {
		t.Fatalf("delete all = %d, %v", n, err)
	}
	left, _ := e.iam.ListVirtualMFADevices(ctx, false)
	if len(left) != 1 || left[0].Serial != foreign.Serial {
		t.Fatalf("unassigned left = %v, want only the foreign one", left)
	}
}

func TestAdoptTakesInExistingUsers(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	for _, n := range []string{"legacy-nomfa", "legacy-mfa"} {
		if _, err := e.iam.CreateUser(ctx, n, nil); err != nil {
			t.Fatal(err)
		}
	}
	e.consoleEnroll(t, "legacy-mfa")
	e.onboard(t, "managed")
	cands, err := e.svc.AdoptionCandidates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(cands), 2; got != want {
		t.Fatalf("candidates = %+v, want %d", cands, want)
	}
	for _, tc := range []struct {
		name      string
		state     portal.State
		wantToken bool
	}{{"legacy-nomfa", portal.StateInvited, true}, {"legacy-mfa", portal.StateEnrolled, false}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.svc.Adopt(ctx, admin, tc.name, onboarding.AdoptOptions{Reason: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if got.User.State != tc.state || (got.Token != "") != tc.wantToken {
				t.Fatalf("adopted = %+v", got)
			}
			iu, _ := e.iam.GetUser(ctx, tc.name)
			if iu.Tags[onboarding.ManagedTagKey] != onboarding.ManagedTagValue {
				t.Fatalf("tags = %v", iu.Tags)
			}
		})
	}
}

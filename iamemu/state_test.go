package iamemu

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// testdata/state-v0.json was saved by the emulator as it was before
// partitions, SSH keys and signing certificates existed (users alice, bob,
// carol and spare; a login profile, keys, a managed and an inline policy, a
// group, an enabled and a spare MFA device, a password policy, a report).
const stateV0 = "testdata/state-v0.json"

func TestLoadState_AFileSavedByTheFirstVersionStillLoads(t *testing.T) {
	clock := &fakeClock{t: t0}
	e := New(Options{Now: clock.Now})
	if err := e.LoadState(stateV0); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	env := &testEnv{e: e, url: srv.URL, clock: clock}
	key, secret := e.RootCredentials()
	env.iam, env.sts = env.clients(key, secret, "")

	var names []string
	for _, u := range must[*iam.ListUsersOutput](t)(env.iam.ListUsers(ctx, &iam.ListUsersInput{})).Users {
		names = append(names, aws.ToString(u.UserName)+"="+aws.ToString(u.Arn))
	}
	want := "alice=arn:aws:iam::123456789012:user/alice bob=arn:aws:iam::123456789012:user/bob carol=arn:aws:iam::123456789012:user/carol spare=arn:aws:iam::123456789012:user/spare"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("users = %s, want %s", got, want)
	}
	if _, err := env.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("alice")}); err != nil {
		t.Fatalf("login profile lost: %v", err)
	}
	devs := must[*iam.ListMFADevicesOutput](t)(env.iam.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("carol")})).MFADevices
	if len(devs) != 1 || aws.ToString(devs[0].SerialNumber) != "arn:aws:iam::123456789012:mfa/carol" {
		t.Fatalf("carol's devices = %+v", devs)
	}
	// New kinds of credentials work on loaded users, and DeleteUser still
	// sees the old ones.
	if _, err := env.iam.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	_, err := env.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})
	wantErr(t, err, "DeleteConflict", 409)

	// AWS managed policies arrived after the file was saved.
	if _, err := env.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(adminArn)}); err != nil {
		t.Fatalf("AdministratorAccess after loading an old state: %v", err)
	}
	// Its documents were parsed on load: bob's inline policy is enforced.
	if docs, err := e.UserPolicies("bob"); err != nil || len(docs) != 1 || docs[0].Parsed == nil {
		t.Fatalf("bob's policies after load = %+v, %v", docs, err)
	}

	if err := New(Options{Partition: "aws-us-gov"}).LoadState(stateV0); err == nil || !strings.Contains(err.Error(), "partition aws, emulator is aws-us-gov") {
		t.Fatalf("loading an aws state into a GovCloud emulator: %v", err)
	}
}

func TestSaveState_KeepsEveryAccount(t *testing.T) {
	env := newOrgEnv(t)
	b := env.e.Account(acctB)
	if _, err := b.CreateRole("GatehouseAdmin", TrustAccountPolicy("aws", acctA, "x1"), adminArn); err != nil {
		t.Fatal(err)
	}
	bKey, bSecret := b.RootCredentials()
	rootB, _ := env.clients(bKey, bSecret, "")
	env.createUser(t, "in-a")
	must[*iam.CreateUserOutput](t)(rootB.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("in-b")}))
	path := filepath.Join(t.TempDir(), "state.json")
	if err := env.e.SaveState(path); err != nil {
		t.Fatal(err)
	}

	again := New(Options{AccountID: acctA, MemberAccounts: []string{acctB, acctC}, Now: env.clock.Now})
	if err := again.LoadState(path); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(again)
	t.Cleanup(srv.Close)
	env2 := &testEnv{e: again, url: srv.URL, clock: env.clock}
	if k, s := again.Account(acctB).RootCredentials(); k != bKey || s != bSecret {
		t.Fatal("B's root credentials changed across save and load")
	}
	ib, _ := env2.clients(bKey, bSecret, "")
	if _, err := ib.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("in-b")}); err != nil {
		t.Fatalf("B's user after load: %v", err)
	}
	if _, err := ib.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("in-a")}); apiCode(t, err) != "NoSuchEntity" {
		t.Fatalf("A's user leaked into B: %v", err)
	}
	r := must[*iam.ListAttachedRolePoliciesOutput](t)(ib.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("GatehouseAdmin")}))
	if len(r.AttachedPolicies) != 1 {
		t.Fatalf("role policies after load = %+v", r.AttachedPolicies)
	}
	// The trust policy was parsed again on load: the hub can assume the role.
	_, hubSTS := env2.userWithPolicy(t, acctA, "hub", allowAssume(roleB))
	must[*sts.AssumeRoleOutput](t)(hubSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleB), RoleSessionName: aws.String("after"), ExternalId: aws.String("x1")}))

	t.Run("an emulator that does not host one of the file's accounts refuses it", func(t *testing.T) {
		err := New(Options{AccountID: acctA, MemberAccounts: []string{acctC}}).LoadState(path)
		if err == nil || !strings.Contains(err.Error(), "holds account "+acctB) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("an account added since the file was saved starts empty", func(t *testing.T) {
		single := filepath.Join(t.TempDir(), "single.json")
		one := New(Options{AccountID: acctA})
		if err := one.SaveState(single); err != nil {
			t.Fatal(err)
		}
		grown := New(Options{AccountID: acctA, MemberAccounts: []string{acctB}})
		if err := grown.LoadState(single); err != nil {
			t.Fatal(err)
		}
		k1, _ := one.RootCredentials()
		if k2, _ := grown.RootCredentials(); k1 != k2 {
			t.Fatal("the first account's root credentials were not loaded")
		}
		if grown.Account(acctB) == nil {
			t.Fatal("account B lost")
		}
	})
}

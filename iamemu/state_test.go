package iamemu

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
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

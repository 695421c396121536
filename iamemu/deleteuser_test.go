package iamemu

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// moto blocks DeleteUser only for policies; AWS blocks for every dependent.
func TestDeleteUser_ConflictsForEveryDependent_MotoChecksOnlyPolicies(t *testing.T) {
	u := aws.String("alice")
	cases := []struct {
		name  string
		setup func(t *testing.T, env *testEnv)
		msg   string
	}{
		{"login profile", func(t *testing.T, env *testEnv) {
			must[*iam.CreateLoginProfileOutput](t)(env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: u, Password: aws.String("Corr3ct-Horse")}))
		}, "Cannot delete entity, must delete login profile first."},
		{"access key", func(t *testing.T, env *testEnv) {
			must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: u}))
		}, "Cannot delete entity, must delete access keys first."},
		{"service-specific credential", func(t *testing.T, env *testEnv) {
			must[*iam.CreateServiceSpecificCredentialOutput](t)(env.iam.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: u, ServiceName: aws.String("codecommit.amazonaws.com")}))
		}, "Cannot delete entity, must remove referenced objects first."},
		{"MFA device", func(t *testing.T, env *testEnv) {
			out := must[*iam.CreateVirtualMFADeviceOutput](t)(env.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: u}))
			seed := string(out.VirtualMFADevice.Base32StringSeed)
			if err := env.enable("alice", aws.ToString(out.VirtualMFADevice.SerialNumber), code(t, seed, t0.Add(-30*time.Second)), code(t, seed, t0)); err != nil {
				t.Fatal(err)
			}
		}, "Cannot delete entity, must delete MFA device first."},
		{"inline policy", func(t *testing.T, env *testEnv) {
			must[*iam.PutUserPolicyOutput](t)(env.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: u, PolicyName: aws.String("inline"), PolicyDocument: aws.String(forceMFA)}))
		}, "Cannot delete entity, must delete policies first."},
		{"attached policy", func(t *testing.T, env *testEnv) {
			arn := env.createPolicy(t, "force-mfa")
			must[*iam.AttachUserPolicyOutput](t)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: u, PolicyArn: aws.String(arn)}))
		}, "Cannot delete entity, must detach all policies first."},
		{"group membership", func(t *testing.T, env *testEnv) {
			must[*iam.CreateGroupOutput](t)(env.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("staff")}))
			must[*iam.AddUserToGroupOutput](t)(env.iam.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: u, GroupName: aws.String("staff")}))
		}, "Cannot delete entity, must remove users from group first."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t, Options{})
			env.createUser(t, "alice")
			tc.setup(t, env)
			_, err := env.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: u})
			var target *types.DeleteConflictException
			if !errors.As(err, &target) {
				t.Fatalf("err = %v, want DeleteConflictException", err)
			}
			if got := aws.ToString(target.Message); got != tc.msg {
				t.Fatalf("message = %q, want %q", got, tc.msg)
			}
		})
	}
	t.Run("user without dependents is deleted", func(t *testing.T) {
		env := newEnv(t, Options{})
		env.createUser(t, "alice")
		must[*iam.DeleteUserOutput](t)(env.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: u}))
		_, err := env.iam.GetUser(ctx, &iam.GetUserInput{UserName: u})
		if got, want := apiCode(t, err), "NoSuchEntity"; got != want {
			t.Fatalf("code = %q, want %q", got, want)
		}
	})
}

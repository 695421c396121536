package iamemu

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// userClient creates an access key for userName and returns an IAM client
// signed with it.
func (env *testEnv) userClient(t testing.TB, userName string) *iam.Client {
	t.Helper()
	k := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(userName)})).AccessKey
	ic, _ := env.clients(aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey), "")
	return ic
}

func TestChangePassword_MotoNotImplemented(t *testing.T) {
	env := newEnv(t, Options{DisablePolicyEnforcement: true}) // users here have no policies
	env.createUser(t, "alice")
	must[*iam.CreateLoginProfileOutput](t)(env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("Corr3ct-Horse"), PasswordResetRequired: true}))
	alice := env.userClient(t, "alice")
	change := func(c *iam.Client, old, new string) error {
		_, err := c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(old), NewPassword: aws.String(new)})
		return err
	}
	cases := []struct {
		name     string
		client   *iam.Client
		old, new string
		wantCode string
	}{
		{"root is not an IAM user", env.iam, "Corr3ct-Horse", "N3w-Password!", "InvalidUserType"},
		{"wrong old password", alice, "wrong", "N3w-Password!", "AccessDenied"},
		{"weak new password", alice, "Corr3ct-Horse", "weak", "PasswordPolicyViolation"},
		{"valid change", alice, "Corr3ct-Horse", "N3w-Password!", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := apiCode(t, change(tc.client, tc.old, tc.new)); got != tc.wantCode {
				t.Fatalf("code = %q, want %q", got, tc.wantCode)
			}
		})
	}
	lp := must[*iam.GetLoginProfileOutput](t)(env.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("alice")}))
	if lp.LoginProfile.PasswordResetRequired {
		t.Fatalf("PasswordResetRequired still set after ChangePassword")
	}
	t.Run("reuse prevention", func(t *testing.T) {
		must[*iam.UpdateAccountPasswordPolicyOutput](t)(env.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{PasswordReusePrevention: aws.Int32(2)}))
		if got, want := apiCode(t, change(alice, "N3w-Password!", "Corr3ct-Horse")), "PasswordPolicyViolation"; got != want {
			t.Fatalf("code = %q, want %q", got, want)
		}
	})
}

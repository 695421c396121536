package iamemu

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestLoginProfile(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")

	t.Run("weak password violates the default policy, moto never checks", func(t *testing.T) {
		_, err := env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("password")})
		var target *types.PasswordPolicyViolationException
		if !errors.As(err, &target) {
			t.Fatalf("err = %v, want PasswordPolicyViolationException", err)
		}
	})
	out := must[*iam.CreateLoginProfileOutput](t)(env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("Corr3ct-Horse"), PasswordResetRequired: true}))
	if !out.LoginProfile.PasswordResetRequired || aws.ToString(out.LoginProfile.UserName) != "alice" {
		t.Fatalf("LoginProfile = %+v, want reset required", out.LoginProfile)
	}
	t.Run("second profile is EntityAlreadyExists", func(t *testing.T) {
		_, err := env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("Corr3ct-Horse")})
		if got, want := apiMessage(t, err), "Login Profile for user alice already exists."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	t.Run("get reports the reset flag", func(t *testing.T) {
		got := must[*iam.GetLoginProfileOutput](t)(env.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("alice")}))
		if !got.LoginProfile.PasswordResetRequired {
			t.Fatalf("PasswordResetRequired = false, want true")
		}
	})
	t.Run("user without profile", func(t *testing.T) {
		env.createUser(t, "bob")
		_, err := env.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("bob")})
		if got, want := apiMessage(t, err), "Login Profile for User bob cannot be found."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
}

func TestGetAccountPasswordPolicy_NoCustomPolicyIsNoSuchEntity(t *testing.T) {
	env := newEnv(t, Options{})
	_, err := env.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	var target *types.NoSuchEntityException
	if !errors.As(err, &target) {
		t.Fatalf("err = %v, want NoSuchEntityException", err)
	}
	if got, want := aws.ToString(target.Message), "The Password Policy with domain name 123456789012 cannot be found."; got != want {
		t.Fatalf("message = %q, want %q", got, want)
	}
	must[*iam.UpdateAccountPasswordPolicyOutput](t)(env.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(12), RequireSymbols: true}))
	got := must[*iam.GetAccountPasswordPolicyOutput](t)(env.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{}))
	if aws.ToInt32(got.PasswordPolicy.MinimumPasswordLength) != 12 || !got.PasswordPolicy.RequireSymbols || got.PasswordPolicy.ExpirePasswords {
		t.Fatalf("PasswordPolicy = %+v, want min 12, symbols, no expiry", got.PasswordPolicy)
	}
}

func TestAccountPasswordPolicy_FieldsDefaultsAndErrors(t *testing.T) {
	env := newEnv(t, Options{})
	get := func() (*types.PasswordPolicy, error) {
		out, err := env.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		if err != nil {
			return nil, err
		}
		return out.PasswordPolicy, nil
	}
	_, err := get()
	wantErr(t, err, "NoSuchEntity", 404)

	t.Run("parameters left out take AWS's defaults", func(t *testing.T) {
		must[*iam.UpdateAccountPasswordPolicyOutput](t)(env.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{}))
		pp := must[*types.PasswordPolicy](t)(get())
		if aws.ToInt32(pp.MinimumPasswordLength) != 6 || pp.RequireSymbols || pp.RequireNumbers || pp.RequireUppercaseCharacters || pp.RequireLowercaseCharacters ||
			pp.AllowUsersToChangePassword || pp.ExpirePasswords || pp.MaxPasswordAge != nil || pp.PasswordReusePrevention != nil || aws.ToBool(pp.HardExpiry) {
			t.Fatalf("default policy = %+v", pp)
		}
	})
	t.Run("every field is kept; an update replaces the whole policy", func(t *testing.T) {
		must[*iam.UpdateAccountPasswordPolicyOutput](t)(env.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
			MinimumPasswordLength: aws.Int32(14), RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
			AllowUsersToChangePassword: true, MaxPasswordAge: aws.Int32(90), PasswordReusePrevention: aws.Int32(24), HardExpiry: aws.Bool(true)}))
		pp := must[*types.PasswordPolicy](t)(get())
		if aws.ToInt32(pp.MinimumPasswordLength) != 14 || !pp.RequireSymbols || !pp.RequireNumbers || !pp.RequireUppercaseCharacters || !pp.RequireLowercaseCharacters ||
			!pp.AllowUsersToChangePassword || !pp.ExpirePasswords || aws.ToInt32(pp.MaxPasswordAge) != 90 || aws.ToInt32(pp.PasswordReusePrevention) != 24 || !aws.ToBool(pp.HardExpiry) {
			t.Fatalf("policy = %+v", pp)
		}
		must[*iam.UpdateAccountPasswordPolicyOutput](t)(env.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(8)}))
		if pp := must[*types.PasswordPolicy](t)(get()); pp.RequireSymbols || pp.MaxPasswordAge != nil {
			t.Fatalf("fields left out were kept: %+v", pp)
		}
	})
	t.Run("values out of range are ValidationError", func(t *testing.T) {
		for _, in := range []*iam.UpdateAccountPasswordPolicyInput{
			{MinimumPasswordLength: aws.Int32(5)}, {MinimumPasswordLength: aws.Int32(129)},
			{MaxPasswordAge: aws.Int32(0)}, {MaxPasswordAge: aws.Int32(1096)},
			{PasswordReusePrevention: aws.Int32(0)}, {PasswordReusePrevention: aws.Int32(25)},
		} {
			_, err := env.iam.UpdateAccountPasswordPolicy(ctx, in)
			wantErr(t, err, "ValidationError", 400)
		}
	})
	t.Run("deleted, it is gone; deleting again is NoSuchEntity", func(t *testing.T) {
		must[*iam.DeleteAccountPasswordPolicyOutput](t)(env.iam.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{}))
		_, err := get()
		wantErr(t, err, "NoSuchEntity", 404)
		_, err = env.iam.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
		wantErr(t, err, "NoSuchEntity", 404)
	})
}

func TestAllowUsersToChangePassword_GrantsButDoesNotBeatADeny(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	must[*iam.CreateLoginProfileOutput](t)(env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("Corr3ct-Horse")}))
	alice := env.userClient(t, "alice")
	change := func(old, new string) error {
		_, err := alice.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(old), NewPassword: aws.String(new)})
		return err
	}
	wantErr(t, change("Corr3ct-Horse", "Batt3ry-Staple"), "AccessDenied", 403)

	must[*iam.UpdateAccountPasswordPolicyOutput](t)(env.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{AllowUsersToChangePassword: true}))
	if err := change("Corr3ct-Horse", "Batt3ry-Staple"); err != nil {
		t.Fatalf("with AllowUsersToChangePassword: %v", err)
	}
	if _, err := alice.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{}); err != nil {
		t.Fatalf("GetAccountPasswordPolicy with AllowUsersToChangePassword: %v", err)
	}
	_, err := alice.ListUsers(ctx, &iam.ListUsersInput{})
	wantErr(t, err, "AccessDenied", 403)

	arn := env.createPolicy(t, "force-mfa") // denies ChangePassword without MFA
	must[*iam.AttachUserPolicyOutput](t)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}))
	wantErr(t, change("Batt3ry-Staple", "Corr3ct-Horse2"), "AccessDenied", 403)
}

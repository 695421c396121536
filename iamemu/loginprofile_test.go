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

package iamemu

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestAccessKeys(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	u := aws.String("alice")
	k := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: u})).AccessKey
	if id := aws.ToString(k.AccessKeyId); !strings.HasPrefix(id, "AKIA") || len(id) != 20 || len(aws.ToString(k.SecretAccessKey)) != 40 || k.Status != types.StatusTypeActive {
		t.Fatalf("key = %+v, want Active AKIA…(20) with 40-char secret", k)
	}
	must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: u}))
	t.Run("third key exceeds the quota", func(t *testing.T) {
		_, err := env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: u})
		var target *types.LimitExceededException
		if !errors.As(err, &target) || aws.ToString(target.Message) != "Cannot exceed quota for AccessKeysPerUser: 2" {
			t.Fatalf("err = %v, want LimitExceeded AccessKeysPerUser: 2", err)
		}
	})
	t.Run("inactive key cannot sign", func(t *testing.T) {
		must[*iam.UpdateAccessKeyOutput](t)(env.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: u, AccessKeyId: k.AccessKeyId, Status: types.StatusTypeInactive}))
		ic, _ := env.clients(aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey), "")
		_, err := ic.GetUser(ctx, &iam.GetUserInput{})
		if got, want := apiCode(t, err), "InvalidClientTokenId"; got != want {
			t.Fatalf("code = %q, want %q", got, want)
		}
	})
	t.Run("list shows both without secrets", func(t *testing.T) {
		out := must[*iam.ListAccessKeysOutput](t)(env.iam.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: u}))
		if got, want := len(out.AccessKeyMetadata), 2; got != want {
			t.Fatalf("keys = %d, want %d", got, want)
		}
	})
	t.Run("never-used key reports N/A", func(t *testing.T) {
		out := must[*iam.GetAccessKeyLastUsedOutput](t)(env.iam.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId}))
		if aws.ToString(out.AccessKeyLastUsed.ServiceName) != "N/A" || out.AccessKeyLastUsed.LastUsedDate != nil {
			t.Fatalf("last used = %+v, want N/A", out.AccessKeyLastUsed)
		}
	})
	t.Run("delete then unknown id", func(t *testing.T) {
		must[*iam.DeleteAccessKeyOutput](t)(env.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: u, AccessKeyId: k.AccessKeyId}))
		_, err := env.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: u, AccessKeyId: k.AccessKeyId})
		if got, want := apiMessage(t, err), "The Access Key with id "+aws.ToString(k.AccessKeyId)+" cannot be found."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
}

func TestServiceSpecificCredentials_MotoNotImplemented(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	u := aws.String("alice")
	codecommit := aws.String("codecommit.amazonaws.com")
	c := must[*iam.CreateServiceSpecificCredentialOutput](t)(env.iam.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: u, ServiceName: codecommit})).ServiceSpecificCredential
	if aws.ToString(c.ServiceUserName) != "alice-at-123456789012" || len(aws.ToString(c.ServicePassword)) != 60 || !strings.HasPrefix(aws.ToString(c.ServiceSpecificCredentialId), "ACCA") {
		t.Fatalf("credential = %+v", c)
	}
	t.Run("unsupported service is NoSuchEntity, not NotSupportedService", func(t *testing.T) {
		_, err := env.iam.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: u, ServiceName: aws.String("lambda.amazonaws.com")})
		var target *types.NoSuchEntityException
		if !errors.As(err, &target) || aws.ToString(target.Message) != "No such service lambda.amazonaws.com is supported for Service Specific Credentials" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("third credential for one service exceeds the limit", func(t *testing.T) {
		must[*iam.CreateServiceSpecificCredentialOutput](t)(env.iam.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: u, ServiceName: codecommit}))
		_, err := env.iam.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: u, ServiceName: codecommit})
		var target *types.LimitExceededException
		if !errors.As(err, &target) {
			t.Fatalf("err = %v, want LimitExceededException", err)
		}
	})
	t.Run("list never shows passwords; reset rotates it", func(t *testing.T) {
		out := must[*iam.ListServiceSpecificCredentialsOutput](t)(env.iam.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: u}))
		if got, want := len(out.ServiceSpecificCredentials), 2; got != want {
			t.Fatalf("credentials = %d, want %d", got, want)
		}
		r := must[*iam.ResetServiceSpecificCredentialOutput](t)(env.iam.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{UserName: u, ServiceSpecificCredentialId: c.ServiceSpecificCredentialId}))
		if aws.ToString(r.ServiceSpecificCredential.ServicePassword) == aws.ToString(c.ServicePassword) {
			t.Fatalf("reset kept the password")
		}
		must[*iam.DeleteServiceSpecificCredentialOutput](t)(env.iam.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: u, ServiceSpecificCredentialId: c.ServiceSpecificCredentialId}))
		_, err := env.iam.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{UserName: u, ServiceSpecificCredentialId: c.ServiceSpecificCredentialId})
		if got, want := apiMessage(t, err), "No such credential "+aws.ToString(c.ServiceSpecificCredentialId)+" exists"; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
}

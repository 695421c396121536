package iamemu

import (
	"testing"
	"time"

	"github.com/gatehouse/portal/internal/testkeys"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestUpdateUser_RenameCarriesEverything(t *testing.T) {
	env := newEnv(t, Options{DisablePolicyEnforcement: true})
	serial, seed := env.newDevice(t, "bob")
	if err := env.enable("bob", serial, code(t, seed, t0.Add(-30*time.Second)), code(t, seed, t0)); err != nil {
		t.Fatal(err)
	}
	before := must[*iam.GetUserOutput](t)(env.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")})).User
	key := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})).AccessKey
	must[*iam.CreateLoginProfileOutput](t)(env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Corr3ct-Horse")}))
	must[*iam.CreateServiceSpecificCredentialOutput](t)(env.iam.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("bob"), ServiceName: aws.String("codecommit.amazonaws.com")}))
	k := testkeys.RSA(t, 1)[0]
	env.uploadSSH(t, "bob", openSSH(t, &k.PublicKey))
	if _, err := env.uploadCert("bob", selfSigned(t, k, &k.PublicKey, 1, t0.Add(-time.Hour), t0.AddDate(1, 0, 0))); err != nil {
		t.Fatal(err)
	}
	must[*iam.PutUserPolicyOutput](t)(env.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(forceMFA)}))
	must[*iam.TagUserOutput](t)(env.iam.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("bob"), Tags: []types.Tag{{Key: aws.String("managed-by"), Value: aws.String("gatehouse")}}}))

	must[*iam.UpdateUserOutput](t)(env.iam.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("BOB"), NewUserName: aws.String("robert"), NewPath: aws.String("/staff/")}))

	_, err := env.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")})
	wantErr(t, err, "NoSuchEntity", 404)
	after := must[*iam.GetUserOutput](t)(env.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("robert")})).User
	if aws.ToString(after.UserId) != aws.ToString(before.UserId) || aws.ToString(after.Arn) != "arn:aws:iam::123456789012:user/staff/robert" || aws.ToString(after.Path) != "/staff/" || len(after.Tags) != 1 {
		t.Fatalf("renamed user = %+v", after)
	}
	robert := aws.String("robert")
	if got := must[*iam.ListAccessKeysOutput](t)(env.iam.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: robert})).AccessKeyMetadata; len(got) != 1 || aws.ToString(got[0].UserName) != "robert" {
		t.Fatalf("keys after rename = %+v", got)
	}
	if got := must[*iam.ListMFADevicesOutput](t)(env.iam.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: robert})).MFADevices; len(got) != 1 || aws.ToString(got[0].UserName) != "robert" {
		t.Fatalf("devices after rename = %+v", got)
	}
	if _, err := env.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: robert}); err != nil {
		t.Fatalf("login profile after rename: %v", err)
	}
	for name, n := range map[string]int{
		"service credentials": len(must[*iam.ListServiceSpecificCredentialsOutput](t)(env.iam.ListServiceSpecificCredentials(ctx, &iam.ListServiceSpecificCredentialsInput{UserName: robert})).ServiceSpecificCredentials),
		"SSH keys":            len(must[*iam.ListSSHPublicKeysOutput](t)(env.iam.ListSSHPublicKeys(ctx, &iam.ListSSHPublicKeysInput{UserName: robert})).SSHPublicKeys),
		"certificates":        len(must[*iam.ListSigningCertificatesOutput](t)(env.iam.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{UserName: robert})).Certificates),
		"inline policies":     len(must[*iam.ListUserPoliciesOutput](t)(env.iam.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: robert})).PolicyNames),
	} {
		if n != 1 {
			t.Errorf("%s after rename: %d, want 1", name, n)
		}
	}
	t.Run("the old key now signs as the new name", func(t *testing.T) {
		_, sc := env.clients(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), "")
		id := must[*sts.GetCallerIdentityOutput](t)(sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
		if got, want := aws.ToString(id.Arn), "arn:aws:iam::123456789012:user/staff/robert"; got != want {
			t.Fatalf("caller = %q, want %q", got, want)
		}
	})
	t.Run("DeleteUser still sees what the user holds", func(t *testing.T) {
		_, err := env.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: robert})
		wantErr(t, err, "DeleteConflict", 409)
	})
}

func TestUpdateUser_Errors(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	env.createUser(t, "bob")
	update := func(in *iam.UpdateUserInput) error { _, err := env.iam.UpdateUser(ctx, in); return err }

	t.Run("a name taken in another case is EntityAlreadyExists", func(t *testing.T) {
		err := update(&iam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("BOB")})
		wantErr(t, err, "EntityAlreadyExists", 409)
		if got, want := apiMessage(t, err), "User with name BOB already exists."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	t.Run("a user may change the case of its own name", func(t *testing.T) {
		if err := update(&iam.UpdateUserInput{UserName: aws.String("alice"), NewUserName: aws.String("Alice")}); err != nil {
			t.Fatal(err)
		}
		u := must[*iam.GetUserOutput](t)(env.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})).User
		if got := aws.ToString(u.UserName); got != "Alice" {
			t.Fatalf("UserName = %q, want Alice", got)
		}
	})
	t.Run("an unknown user is NoSuchEntity", func(t *testing.T) {
		wantErr(t, update(&iam.UpdateUserInput{UserName: aws.String("nobody"), NewUserName: aws.String("x")}), "NoSuchEntity", 404)
	})
	t.Run("a bad new name or path is ValidationError", func(t *testing.T) {
		wantErr(t, update(&iam.UpdateUserInput{UserName: aws.String("bob"), NewUserName: aws.String("b o b")}), "ValidationError", 400)
		wantErr(t, update(&iam.UpdateUserInput{UserName: aws.String("bob"), NewPath: aws.String("staff")}), "ValidationError", 400)
	})
	t.Run("renaming needs permission on the new name too", func(t *testing.T) {
		env.createUser(t, "admin")
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:UpdateUser","Resource":"arn:aws:iam::123456789012:user/bob"}]}`
		must[*iam.PutUserPolicyOutput](t)(env.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("admin"), PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)}))
		admin := env.userClient(t, "admin")
		_, err := admin.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("bob"), NewUserName: aws.String("robert")})
		wantErr(t, err, "AccessDenied", 403)
		if _, err := admin.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("bob"), NewPath: aws.String("/")}); err != nil {
			t.Fatalf("same name and path needs only bob: %v", err)
		}
	})
}

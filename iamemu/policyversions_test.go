package iamemu

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestPolicyVersions(t *testing.T) {
	env := newEnv(t, Options{})
	arn := aws.String(env.createPolicy(t, "force-mfa"))
	for i := 2; i <= 5; i++ {
		out := must[*iam.CreatePolicyVersionOutput](t)(env.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(forceMFA), SetAsDefault: i == 5}))
		if got, want := aws.ToString(out.PolicyVersion.VersionId), fmt.Sprintf("v%d", i); got != want || out.PolicyVersion.Document != nil {
			t.Fatalf("VersionId = %q, want %q without Document", got, want)
		}
	}
	t.Run("sixth version exceeds the limit", func(t *testing.T) {
		_, err := env.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(forceMFA)})
		if got, want := apiMessage(t, err), "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	t.Run("default version cannot be deleted", func(t *testing.T) {
		_, err := env.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v5")})
		var target *types.DeleteConflictException
		if !errors.As(err, &target) || aws.ToString(target.Message) != "Cannot delete the default version of a policy." {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ids are never reused", func(t *testing.T) {
		must[*iam.DeletePolicyVersionOutput](t)(env.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v2")}))
		out := must[*iam.CreatePolicyVersionOutput](t)(env.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(forceMFA)}))
		if got, want := aws.ToString(out.PolicyVersion.VersionId), "v6"; got != want {
			t.Fatalf("VersionId = %q, want %q", got, want)
		}
	})
	t.Run("listed newest first", func(t *testing.T) {
		var ids []string
		p := iam.NewListPolicyVersionsPaginator(env.iam, &iam.ListPolicyVersionsInput{PolicyArn: arn, MaxItems: aws.Int32(2)})
		for p.HasMorePages() {
			for _, v := range must[*iam.ListPolicyVersionsOutput](t)(p.NextPage(ctx)).Versions {
				ids = append(ids, aws.ToString(v.VersionId))
			}
		}
		if got, want := strings.Join(ids, ","), "v6,v5,v4,v3,v1"; got != want {
			t.Fatalf("versions = %s, want %s", got, want)
		}
	})
	t.Run("missing version", func(t *testing.T) {
		_, err := env.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v9")})
		if got, want := apiMessage(t, err), "Policy "+aws.ToString(arn)+" version v9 does not exist or is not attachable."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
}

func TestDeletePolicy_Conflicts(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	arn := aws.String(env.createPolicy(t, "p"))
	must[*iam.CreatePolicyVersionOutput](t)(env.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(forceMFA), SetAsDefault: true}))
	must[*iam.AttachUserPolicyOutput](t)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: arn}))

	_, err := env.iam.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	wantErr(t, err, "DeleteConflict", 409)
	if got, want := apiMessage(t, err), "Cannot delete a policy attached to entities."; got != want {
		t.Fatalf("attached: message = %q, want %q", got, want)
	}
	must[*iam.DetachUserPolicyOutput](t)(env.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: arn}))

	_, err = env.iam.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	wantErr(t, err, "DeleteConflict", 409)
	if got, want := apiMessage(t, err), "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy."; got != want {
		t.Fatalf("versions: message = %q, want %q", got, want)
	}
	must[*iam.DeletePolicyVersionOutput](t)(env.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")}))
	if _, err := env.iam.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn}); err != nil {
		t.Fatalf("with only the default version left: %v", err)
	}
	_, err = env.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: arn})
	wantErr(t, err, "NoSuchEntity", 404)
	_, err = env.iam.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	wantErr(t, err, "NoSuchEntity", 404)
}

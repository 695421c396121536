package iamemu

import (
	"net/url"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const adminArn = "arn:aws:iam::aws:policy/AdministratorAccess"

func (env *testEnv) policyArns(t *testing.T, in *iam.ListPoliciesInput) []string {
	t.Helper()
	var out []string
	p := iam.NewListPoliciesPaginator(env.iam, in)
	for p.HasMorePages() {
		for _, pol := range must[*iam.ListPoliciesOutput](t)(p.NextPage(ctx)).Policies {
			out = append(out, aws.ToString(pol.Arn))
		}
	}
	return out
}

func TestAWSManagedPolicies(t *testing.T) {
	env := newEnv(t, Options{})
	custom := env.createPolicy(t, "custom")

	t.Run("ListPolicies scopes", func(t *testing.T) {
		aws := env.policyArns(t, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws})
		for _, want := range []string{adminArn, "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/IAMUserChangePassword"} {
			if !slices.Contains(aws, want) {
				t.Errorf("Scope=AWS lacks %s: %v", want, aws)
			}
		}
		if slices.Contains(aws, custom) {
			t.Errorf("Scope=AWS lists the customer policy")
		}
		if local := env.policyArns(t, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}); len(local) != 1 || local[0] != custom {
			t.Errorf("Scope=Local = %v", local)
		}
		if all := env.policyArns(t, &iam.ListPoliciesInput{}); len(all) != len(aws)+1 {
			t.Errorf("Scope=All lists %d, want %d", len(all), len(aws)+1)
		}
	})
	t.Run("GetPolicy and GetPolicyVersion", func(t *testing.T) {
		p := must[*iam.GetPolicyOutput](t)(env.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(adminArn)})).Policy
		if aws.ToString(p.PolicyName) != "AdministratorAccess" || aws.ToString(p.DefaultVersionId) != "v1" || !p.IsAttachable || aws.ToString(p.Path) != "/" ||
			aws.ToString(p.Description) == "" || len(aws.ToString(p.PolicyId)) != 21 {
			t.Fatalf("AdministratorAccess = %+v", p)
		}
		v := must[*iam.GetPolicyVersionOutput](t)(env.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(adminArn), VersionId: aws.String("v1")})).PolicyVersion
		doc, err := url.PathUnescape(aws.ToString(v.Document))
		if err != nil || doc != `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}` || !v.IsDefaultVersion {
			t.Fatalf("AdministratorAccess v1 = %q (%v)", doc, err)
		}
	})
	t.Run("attached, it is enforced and counted", func(t *testing.T) {
		env.createUser(t, "admin")
		must[*iam.AttachUserPolicyOutput](t)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("admin"), PolicyArn: aws.String(adminArn)}))
		admin := env.userClient(t, "admin")
		if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("made-by-admin")}); err != nil {
			t.Fatalf("AdministratorAccess allows CreateUser: %v", err)
		}
		env.createUser(t, "reader")
		env.createGroup(t, "readers", "reader")
		must[*iam.AttachGroupPolicyOutput](t)(env.iam.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("readers"), PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}))
		reader := env.userClient(t, "reader")
		if _, err := reader.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
			t.Fatalf("ReadOnlyAccess through a group allows ListUsers: %v", err)
		}
		_, err := reader.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
		wantErr(t, err, "AccessDenied", 403)

		if got := aws.ToInt32(must[*iam.GetPolicyOutput](t)(env.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(adminArn)})).Policy.AttachmentCount); got != 1 {
			t.Fatalf("AttachmentCount = %d", got)
		}
		attached := env.policyArns(t, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws, OnlyAttached: true})
		if len(attached) != 2 {
			t.Fatalf("attached AWS policies = %v", attached)
		}
		det := must[*iam.GetAccountAuthorizationDetailsOutput](t)(env.iam.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeAWSManagedPolicy}}))
		if len(det.Policies) != 2 {
			t.Fatalf("GetAccountAuthorizationDetails lists %d AWS policies, want the 2 attached", len(det.Policies))
		}
	})
	t.Run("an account cannot change or delete it", func(t *testing.T) {
		arn := aws.String(adminArn)
		_, err := env.iam.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
		wantErr(t, err, "AccessDenied", 403)
		_, err = env.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(forceMFA)})
		wantErr(t, err, "AccessDenied", 403)
		_, err = env.iam.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")})
		wantErr(t, err, "AccessDenied", 403)
		_, err = env.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")})
		wantErr(t, err, "AccessDenied", 403)
	})
	t.Run("a customer policy may share its name", func(t *testing.T) {
		p := must[*iam.CreatePolicyOutput](t)(env.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("AdministratorAccess"), PolicyDocument: aws.String(forceMFA)}))
		if got := aws.ToString(p.Policy.Arn); got != "arn:aws:iam::123456789012:policy/AdministratorAccess" {
			t.Fatalf("Arn = %q", got)
		}
	})
	t.Run("in GovCloud it lives in the partition", func(t *testing.T) {
		gov := newEnv(t, Options{Partition: "aws-us-gov"})
		if _, err := gov.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws-us-gov:iam::aws:policy/AdministratorAccess")}); err != nil {
			t.Fatal(err)
		}
	})
}

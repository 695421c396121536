package iamemu

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// authAccount builds: users alice (attached p, inline "own", in group
// staff) and bob (in staff); group staff with p attached and inline
// "grp"; policies p (two versions) and unused.
func authAccount(t *testing.T) (*testEnv, string) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	env.createUser(t, "bob")
	env.createGroup(t, "staff", "alice", "bob")
	arn := env.createPolicy(t, "p")
	must[*iam.CreatePolicyVersionOutput](t)(env.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(forceMFA), SetAsDefault: true}))
	env.createPolicy(t, "unused")
	must[*iam.AttachUserPolicyOutput](t)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}))
	must[*iam.AttachGroupPolicyOutput](t)(env.iam.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("staff"), PolicyArn: aws.String(arn)}))
	must[*iam.PutUserPolicyOutput](t)(env.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("own"), PolicyDocument: aws.String(forceMFA)}))
	must[*iam.PutGroupPolicyOutput](t)(env.iam.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("staff"), PolicyName: aws.String("grp"), PolicyDocument: aws.String(forceMFA)}))
	must[*iam.TagUserOutput](t)(env.iam.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("alice"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("ops")}}}))
	return env, arn
}

func TestListEntitiesForPolicy(t *testing.T) {
	env, arn := authAccount(t)
	list := func(in *iam.ListEntitiesForPolicyInput) string {
		in.PolicyArn = aws.String(arn)
		out := must[*iam.ListEntitiesForPolicyOutput](t)(env.iam.ListEntitiesForPolicy(ctx, in))
		var got []string
		for _, g := range out.PolicyGroups {
			got = append(got, "group:"+aws.ToString(g.GroupName))
		}
		for _, u := range out.PolicyUsers {
			got = append(got, "user:"+aws.ToString(u.UserName))
		}
		if out.PolicyRoles == nil || len(out.PolicyRoles) != 0 {
			t.Fatalf("PolicyRoles = %v, want an empty list", out.PolicyRoles)
		}
		return strings.Join(got, ",")
	}
	for _, tc := range []struct {
		name string
		in   *iam.ListEntitiesForPolicyInput
		want string
	}{
		{"everything attached", &iam.ListEntitiesForPolicyInput{}, "group:staff,user:alice"},
		{"users only", &iam.ListEntitiesForPolicyInput{EntityFilter: types.EntityTypeUser}, "user:alice"},
		{"groups only", &iam.ListEntitiesForPolicyInput{EntityFilter: types.EntityTypeGroup}, "group:staff"},
		{"roles: none", &iam.ListEntitiesForPolicyInput{EntityFilter: types.EntityTypeRole}, ""},
		{"a path nobody has", &iam.ListEntitiesForPolicyInput{PathPrefix: aws.String("/ops/")}, ""},
		{"as a boundary: none", &iam.ListEntitiesForPolicyInput{PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := list(tc.in); got != tc.want {
				t.Fatalf("entities = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("errors", func(t *testing.T) {
		_, err := env.iam.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/none")})
		wantErr(t, err, "NoSuchEntity", 404)
		_, err = env.iam.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(arn), EntityFilter: "Robot"})
		wantErr(t, err, "ValidationError", 400)
	})
}

func TestGetAccountAuthorizationDetails(t *testing.T) {
	env, arn := authAccount(t)
	out := must[*iam.GetAccountAuthorizationDetailsOutput](t)(env.iam.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{}))
	if len(out.UserDetailList) != 2 || len(out.GroupDetailList) != 1 || len(out.RoleDetailList) != 0 || len(out.Policies) != 2 || out.IsTruncated {
		t.Fatalf("counts: users %d groups %d roles %d policies %d", len(out.UserDetailList), len(out.GroupDetailList), len(out.RoleDetailList), len(out.Policies))
	}
	alice := out.UserDetailList[0]
	if aws.ToString(alice.UserName) != "alice" || aws.ToString(alice.Arn) != "arn:aws:iam::123456789012:user/alice" ||
		strings.Join(alice.GroupList, ",") != "staff" || len(alice.AttachedManagedPolicies) != 1 || aws.ToString(alice.AttachedManagedPolicies[0].PolicyArn) != arn ||
		len(alice.Tags) != 1 || len(alice.UserPolicyList) != 1 || aws.ToString(alice.UserPolicyList[0].PolicyName) != "own" {
		t.Fatalf("alice = %+v", alice)
	}
	if raw := aws.ToString(alice.UserPolicyList[0].PolicyDocument); !strings.HasPrefix(raw, "%7B") {
		t.Fatalf("inline document %q is not URL-encoded", raw[:10])
	} else if doc, err := url.PathUnescape(raw); err != nil || doc != forceMFA {
		t.Fatalf("inline document decodes to %q (%v)", doc, err)
	}
	staff := out.GroupDetailList[0]
	if aws.ToString(staff.GroupName) != "staff" || len(staff.GroupPolicyList) != 1 || len(staff.AttachedManagedPolicies) != 1 {
		t.Fatalf("staff = %+v", staff)
	}
	p := out.Policies[0]
	if aws.ToString(p.Arn) != arn || aws.ToString(p.DefaultVersionId) != "v2" || aws.ToInt32(p.AttachmentCount) != 2 || len(p.PolicyVersionList) != 2 {
		t.Fatalf("policy p = %+v", p)
	}
	for _, v := range p.PolicyVersionList {
		if doc, err := url.PathUnescape(aws.ToString(v.Document)); err != nil || !strings.HasPrefix(doc, "{") {
			t.Fatalf("version %s document %q (%v)", aws.ToString(v.VersionId), doc, err)
		}
	}

	t.Run("Filter keeps only the entity types asked for", func(t *testing.T) {
		out := must[*iam.GetAccountAuthorizationDetailsOutput](t)(env.iam.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{
			Filter: []types.EntityType{types.EntityTypeGroup, types.EntityTypeLocalManagedPolicy}}))
		if len(out.UserDetailList) != 0 || len(out.GroupDetailList) != 1 || len(out.Policies) != 2 {
			t.Fatalf("counts: users %d groups %d policies %d", len(out.UserDetailList), len(out.GroupDetailList), len(out.Policies))
		}
		_, err := env.iam.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{"Robot"}})
		wantErr(t, err, "ValidationError", 400)
	})
}

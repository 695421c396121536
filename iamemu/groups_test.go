package iamemu

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func (env *testEnv) createGroup(t testing.TB, name string, members ...string) {
	t.Helper()
	must[*iam.CreateGroupOutput](t)(env.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(name)}))
	for _, m := range members {
		must[*iam.AddUserToGroupOutput](t)(env.iam.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String(name), UserName: aws.String(m)}))
	}
}

func TestGetGroup_WithMembers(t *testing.T) {
	env := newEnv(t, Options{})
	for _, u := range []string{"carol", "alice", "bob"} {
		env.createUser(t, u)
	}
	env.createGroup(t, "admins", "carol", "alice")
	out := must[*iam.GetGroupOutput](t)(env.iam.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("ADMINS")}))
	if aws.ToString(out.Group.GroupName) != "admins" || aws.ToString(out.Group.Arn) != "arn:aws:iam::123456789012:group/admins" || out.IsTruncated {
		t.Fatalf("group = %+v", out.Group)
	}
	if got := strings.Join(names(out.Users, func(u types.User) *string { return u.UserName }), ","); got != "alice,carol" {
		t.Fatalf("members = %s, want alice,carol", got)
	}
	_, err := env.iam.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("nobody")})
	wantErr(t, err, "NoSuchEntity", 404)
	if got, want := apiMessage(t, err), "The group with name nobody cannot be found."; got != want {
		t.Fatalf("message = %q, want %q", got, want)
	}
	groups := must[*iam.ListGroupsOutput](t)(env.iam.ListGroups(ctx, &iam.ListGroupsInput{}))
	if len(groups.Groups) != 1 || aws.ToString(groups.Groups[0].GroupName) != "admins" {
		t.Fatalf("ListGroups = %+v", groups.Groups)
	}
}

func TestGroupPolicies(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	env.createGroup(t, "readers", "alice")
	g := aws.String("readers")
	allow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`
	arn := must[*iam.CreatePolicyOutput](t)(env.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}`)})).Policy.Arn
	must[*iam.AttachGroupPolicyOutput](t)(env.iam.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: g, PolicyArn: arn}))
	must[*iam.PutGroupPolicyOutput](t)(env.iam.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: g, PolicyName: aws.String("get"), PolicyDocument: aws.String(allow)}))

	t.Run("members are subject to the group's inline policy", func(t *testing.T) {
		alice := env.userClient(t, "alice")
		if _, err := alice.GetUser(ctx, &iam.GetUserInput{}); err != nil {
			t.Fatalf("GetUser allowed through the group's inline policy: %v", err)
		}
		if _, err := alice.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
			t.Fatalf("ListUsers allowed through the group's managed policy: %v", err)
		}
		_, err := alice.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
		wantErr(t, err, "AccessDenied", 403)
	})
	t.Run("attached and inline policies are listed and readable", func(t *testing.T) {
		att := must[*iam.ListAttachedGroupPoliciesOutput](t)(env.iam.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: g})).AttachedPolicies
		if len(att) != 1 || aws.ToString(att[0].PolicyArn) != aws.ToString(arn) {
			t.Fatalf("attached = %+v", att)
		}
		if got := must[*iam.ListGroupPoliciesOutput](t)(env.iam.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: g})).PolicyNames; len(got) != 1 || got[0] != "get" {
			t.Fatalf("inline = %v", got)
		}
		doc := must[*iam.GetGroupPolicyOutput](t)(env.iam.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: g, PolicyName: aws.String("get")})).PolicyDocument
		if got, err := url.PathUnescape(aws.ToString(doc)); err != nil || got != allow {
			t.Fatalf("document = %q (%v)", got, err)
		}
	})
	t.Run("errors", func(t *testing.T) {
		_, err := env.iam.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: g, PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Statement":[]}`)})
		wantErr(t, err, "MalformedPolicyDocument", 400)
		_, err = env.iam.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: g, PolicyName: aws.String("none")})
		wantErr(t, err, "NoSuchEntity", 404)
		_, err = env.iam.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: g, PolicyArn: aws.String(env.createPolicy(t, "other"))})
		wantErr(t, err, "NoSuchEntity", 404)
		_, err = env.iam.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("nogroup"), PolicyName: aws.String("x"), PolicyDocument: aws.String(allow)})
		wantErr(t, err, "NoSuchEntity", 404)
		_, err = env.iam.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: g})
		wantErr(t, err, "DeleteConflict", 409)
	})
	t.Run("detached and deleted, the group and the policy can go", func(t *testing.T) {
		must[*iam.DetachGroupPolicyOutput](t)(env.iam.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: g, PolicyArn: arn}))
		must[*iam.DeleteGroupPolicyOutput](t)(env.iam.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: g, PolicyName: aws.String("get")}))
		must[*iam.RemoveUserFromGroupOutput](t)(env.iam.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: g, UserName: aws.String("alice")}))
		must[*iam.DeleteGroupOutput](t)(env.iam.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: g}))
		must[*iam.DeletePolicyOutput](t)(env.iam.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn}))
	})
}

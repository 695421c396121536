package awsiam_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
)

func TestAuthorizationDetails_UsersGroupsAndAttachedPolicies(t *testing.T) {
	ctx := context.Background()
	srv := iamemutest.Start(t, iamemu.Options{})
	// MaxItems 1: every entity on its own page, so paging is exercised.
	c := srv.Client(t, awsiam.Config{PageSize: 1})
	sdk := srv.SDK(t, "", "")
	admin := "arn:aws:iam::aws:policy/AdministratorAccess"
	for _, u := range []string{"alice", "bob"} {
		if _, err := c.CreateUser(ctx, u, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.AttachUserPolicy(ctx, "alice", admin); err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error {
			_, err := sdk.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("ops")})
			return err
		},
		func() error {
			_, err := sdk.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("ops"), UserName: aws.String("bob")})
			return err
		},
		func() error {
			_, err := sdk.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("mine"),
				PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)})
			return err
		},
	}
	for _, s := range steps {
		if err := s(); err != nil {
			t.Fatal(err)
		}
	}
	arn, err := c.CreatePolicy(ctx, "Everything", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdk.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("ops"), PolicyArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreatePolicy(ctx, "Unused", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, ""); err != nil {
		t.Fatal(err)
	}

	d, err := c.AuthorizationDetails(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Users) != 2 || d.Users[0].Name != "alice" || !slices.Equal(d.Users[0].Attached, []string{admin}) ||
		!slices.Equal(d.Users[1].Groups, []string{"ops"}) || !slices.Equal(d.Users[1].Inline, []string{"mine"}) {
		t.Fatalf("users = %+v", d.Users)
	}
	if len(d.Groups) != 1 || !slices.Equal(d.Groups[0].Attached, []string{arn}) {
		t.Fatalf("groups = %+v", d.Groups)
	}
	byName := map[string]awsiam.AuthPolicy{}
	for _, p := range d.Policies {
		byName[p.Name] = p
	}
	if p := byName["AdministratorAccess"]; !p.AWSManaged || p.Attachments != 1 || !awsiam.SameJSON(p.Document, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`) {
		t.Fatalf("AdministratorAccess = %+v", p)
	}
	if p := byName["Everything"]; p.AWSManaged || p.ARN != arn {
		t.Fatalf("Everything = %+v", p)
	}
	if _, ok := byName["Unused"]; ok {
		t.Fatal("an unattached policy is listed")
	}
}

func TestPasswordPolicy_CustomAndReuse(t *testing.T) {
	ctx := context.Background()
	srv := iamemutest.Start(t, iamemu.Options{})
	c := srv.Client(t, awsiam.Config{})
	if _, err := srv.SDK(t, "", "").UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(14), PasswordReusePrevention: aws.Int32(24)}); err != nil {
		t.Fatal(err)
	}
	p, err := c.PasswordPolicy(ctx)
	if err != nil || !p.Custom || p.MinLength != 14 || p.ReusePrevention != 24 {
		t.Fatalf("policy = %+v, %v", p, err)
	}
}

package onboarding_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
)

func TestPartitionComesFromTheCaller(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		caller string
		want   portal.Partition
		signin string
	}{
		{"", portal.PartitionAWS, "https://123456789012.signin.aws.amazon.com/console"},
		{"arn:aws-us-gov:iam::123456789012:user/gatehouse", portal.PartitionGovCloud, "https://123456789012.signin.amazonaws-us-gov.com/console"},
		{"arn:aws-cn:sts::123456789012:assumed-role/gatehouse/s", portal.PartitionChina, "https://123456789012.signin.amazonaws.cn/console"},
	} {
		svc, err := onboarding.New(onboarding.Config{Store: e.store, IAM: e.iam, Account: "123456789012", CallerARN: tc.caller,
			PolicyName: policy.SeedName, PolicyDocument: policy.Seed})
		if err != nil {
			t.Fatal(err)
		}
		if svc.Partition() != tc.want || svc.SigninURL(context.Background()) != tc.signin {
			t.Errorf("caller %q: partition %q, sign-in %s; want %q, %s", tc.caller, svc.Partition().ID, svc.SigninURL(context.Background()), tc.want.ID, tc.signin)
		}
	}
	if _, err := onboarding.New(onboarding.Config{Store: e.store, IAM: e.iam, Account: "123456789012", CallerARN: "arn:aws-iso:iam::123456789012:user/x",
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed}); err == nil {
		t.Fatal("an unsupported partition was accepted")
	}
}

func TestSigninURLUsesTheAccountAlias(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	if got, want := e.svc.SigninURL(ctx), "https://123456789012.signin.aws.amazon.com/console"; got != want {
		t.Fatalf("without an alias: %s, want %s", got, want)
	}
	if _, err := e.raw.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("example-corp")}); err != nil {
		t.Fatal(err)
	}
	e.advance(11 * time.Minute) // past the alias cache
	if got, want := e.svc.SigninURL(ctx), "https://example-corp.signin.aws.amazon.com/console"; got != want {
		t.Fatalf("with an alias: %s, want %s", got, want)
	}
}

package iamemu

import (
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const forceMFA = `{"Version":"2012-10-17","Statement":[{"Sid":"AllowViewAccountInfo","Effect":"Allow","Action":["iam:GetAccountPasswordPolicy","iam:ListVirtualMFADevices"],"Resource":"*"},{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","sts:GetSessionToken"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}]}`

func (env *testEnv) createPolicy(t testing.TB, name string) string {
	t.Helper()
	out := must[*iam.CreatePolicyOutput](t)(env.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(name), PolicyDocument: aws.String(forceMFA), Description: aws.String("force MFA")}))
	return aws.ToString(out.Policy.Arn)
}

func TestCreatePolicy(t *testing.T) {
	env := newEnv(t, Options{})
	out := must[*iam.CreatePolicyOutput](t)(env.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("force-mfa"), PolicyDocument: aws.String(forceMFA), Description: aws.String("d")}))
	p := out.Policy
	if got, want := aws.ToString(p.Arn), "arn:aws:iam::123456789012:policy/force-mfa"; got != want {
		t.Fatalf("Arn = %q, want %q", got, want)
	}
	if aws.ToString(p.DefaultVersionId) != "v1" || aws.ToInt32(p.AttachmentCount) != 0 || !p.IsAttachable || p.Description != nil {
		t.Fatalf("policy = %+v, want v1, 0 attachments, attachable, no Description", p)
	}

	got := must[*iam.GetPolicyOutput](t)(env.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: p.Arn}))
	if aws.ToString(got.Policy.Description) != "d" || got.Policy.Tags == nil {
		t.Fatalf("GetPolicy = %+v, want Description and empty Tags", got.Policy)
	}

	t.Run("document comes back URL-encoded per RFC 3986", func(t *testing.T) {
		v := must[*iam.GetPolicyVersionOutput](t)(env.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v1")}))
		raw := aws.ToString(v.PolicyVersion.Document)
		doc, err := url.PathUnescape(raw)
		if err != nil || doc != forceMFA {
			t.Fatalf("unescaped document = %q (%v), want the original", doc, err)
		}
		if raw[:3] != "%7B" {
			t.Fatalf("document = %q, want percent-encoded", raw[:10])
		}
	})

	errCases := []struct {
		name, policyName, doc, code, msg string
	}{
		{"duplicate name ignoring case", "FORCE-MFA", forceMFA, "EntityAlreadyExists", "A policy called FORCE-MFA already exists. Duplicate names are not allowed."},
		{"not JSON", "p1", "{", "MalformedPolicyDocument", "Syntax errors in policy."},
		{"old version", "p2", `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, "MalformedPolicyDocument", "Policy document must be version 2012-10-17 or greater."},
		{"action without vendor", "p3", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ListBucket","Resource":"*"}]}`, "MalformedPolicyDocument", "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"no resource", "p4", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}`, "MalformedPolicyDocument", "Policy statement must contain resources."},
		{"no Version", "p6", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, "MalformedPolicyDocument", "Policy document must be version 2012-10-17 or greater."},
		{"action with two colons", "p7", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:List:Bucket","Resource":"*"}]}`, "MalformedPolicyDocument", "Actions/Condition can contain only one colon."},
		{"wildcard in the vendor", "p8", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s*:ListBucket","Resource":"*"}]}`, "MalformedPolicyDocument", "Vendor s* is not valid"},
		{"resource that is no ARN", "p9", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}]}`, "MalformedPolicyDocument", `Resource bucket must be in ARN format or "*".`},
		{"Id in an identity policy", "p10", `{"Id":"x","Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, "MalformedPolicyDocument", "Syntax errors in policy."},
		{"Principal in an identity policy", "p11", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`, "MalformedPolicyDocument", "Syntax errors in policy."},
		{"duplicate key", "p12", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Action":"s3:Get*","Resource":"*"}]}`, "MalformedPolicyDocument", "Syntax errors in policy."},
		{"unknown condition operator", "p13", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqual":{"aws:username":"x"}}}]}`, "MalformedPolicyDocument", "Syntax errors in policy."},
		{"over 6144 characters", "p5", fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::%06144d"}]}`, 0), "LimitExceeded", "Cannot exceed quota for PolicySize: 6144"},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(tc.policyName), PolicyDocument: aws.String(tc.doc)})
			wantErr(t, err, tc.code, map[string]int{"EntityAlreadyExists": 409, "LimitExceeded": 409, "MalformedPolicyDocument": 400, "ValidationError": 400, "NoSuchEntity": 404}[tc.code])
			if got := apiMessage(t, err); got != tc.msg {
				t.Fatalf("message = %q, want %q", got, tc.msg)
			}
		})
	}
}

func TestAttachUserPolicy(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	arn := env.createPolicy(t, "force-mfa")
	must[*iam.AttachUserPolicyOutput](t)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}))
	out := must[*iam.ListAttachedUserPoliciesOutput](t)(env.iam.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("alice")}))
	if len(out.AttachedPolicies) != 1 || aws.ToString(out.AttachedPolicies[0].PolicyName) != "force-mfa" || out.IsTruncated {
		t.Fatalf("attached = %+v, want force-mfa", out.AttachedPolicies)
	}
	p := must[*iam.GetPolicyOutput](t)(env.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)}))
	if got, want := aws.ToInt32(p.Policy.AttachmentCount), int32(1); got != want {
		t.Fatalf("AttachmentCount = %d, want %d", got, want)
	}

	cases := []struct{ name, user, arn, code, msg string }{
		{"bare name is not an ARN", "alice", "force-mfa-policy-name", "ValidationError", "Invalid ARN:  Could not be parsed!"},
		{"unknown policy", "alice", "arn:aws:iam::123456789012:policy/nope", "NoSuchEntity", "Policy arn:aws:iam::123456789012:policy/nope does not exist or is not attachable."},
		{"unknown user", "bob", arn, "NoSuchEntity", "The user with name bob cannot be found."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(tc.user), PolicyArn: aws.String(tc.arn)})
			wantErr(t, err, tc.code, map[string]int{"EntityAlreadyExists": 409, "LimitExceeded": 409, "MalformedPolicyDocument": 400, "ValidationError": 400, "NoSuchEntity": 404}[tc.code])
			if got := apiMessage(t, err); got != tc.msg {
				t.Fatalf("message = %q, want %q", got, tc.msg)
			}
		})
	}

	t.Run("eleventh policy exceeds PoliciesPerUser, moto has no quota", func(t *testing.T) {
		for i := 2; i <= 11; i++ {
			a := env.createPolicy(t, fmt.Sprintf("p%d", i))
			_, err := env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(a)})
			if i <= 10 && err != nil {
				t.Fatalf("attach %d: %v", i, err)
			}
			if i == 11 {
				var target *types.LimitExceededException
				if !errors.As(err, &target) || aws.ToString(target.Message) != "Cannot exceed quota for PoliciesPerUser: 10" {
					t.Fatalf("err = %v, want LimitExceeded PoliciesPerUser: 10", err)
				}
			}
		}
	})
}

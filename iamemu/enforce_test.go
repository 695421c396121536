package iamemu

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestRequestContext_MFAKeysFollowTheCredential(t *testing.T) {
	now := t0.Add(90 * time.Second)
	cases := []struct {
		name        string
		p           Principal
		present     string // "" = absent
		age         string
		wantUserKey string
	}{
		{"long-term key has no MFA keys", Principal{UserName: "test"}, "", "", "test"},
		{"session without MFA says false", Principal{UserName: "test", Session: true}, "false", "", "test"},
		{"MFA session says true with the age in seconds", Principal{UserName: "test", Session: true, MFAPresent: true, MFAAuthTime: t0}, "true", "90", "test"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := RequestContext(tc.p, "123456789012", now)
			if g := strings.Join(got["aws:MultiFactorAuthPresent"], ","); g != tc.present {
				t.Fatalf("aws:MultiFactorAuthPresent = %q, want %q", g, tc.present)
			}
			if g := strings.Join(got["aws:MultiFactorAuthAge"], ","); g != tc.age {
				t.Fatalf("aws:MultiFactorAuthAge = %q, want %q", g, tc.age)
			}
			if g, w := strings.Join(got["aws:username"], ","), tc.wantUserKey; g != w {
				t.Fatalf("aws:username = %q, want %q", g, w)
			}
			if g, w := strings.Join(got["aws:CurrentTime"], ","), "2026-11-28T12:01:30Z"; g != w {
				t.Fatalf("aws:CurrentTime = %q, want %q", g, w)
			}
		})
	}
}

func TestPolicyEnforcement_Switch(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     Options
		wantCode string
	}{
		{"on by default: a user without policies is implicitly denied", Options{}, "AccessDenied"},
		{"DisablePolicyEnforcement lets every user through", Options{DisablePolicyEnforcement: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t, tc.opts)
			env.createUser(t, "alice")
			alice := env.userClient(t, "alice")
			_, err := alice.ListUsers(ctx, &iam.ListUsersInput{})
			wantCode(t, err, tc.wantCode)
			if tc.wantCode != "" {
				want := "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:ListUsers on resource: * because no identity-based policy allows the iam:ListUsers action"
				if got := apiMessage(t, err); got != want {
					t.Fatalf("message = %q, want %q", got, want)
				}
			}
		})
	}
	t.Run("root is never restricted", func(t *testing.T) {
		env := newEnv(t, Options{})
		_, err := env.iam.ListUsers(ctx, &iam.ListUsersInput{})
		wantCode(t, err, "")
		key, _ := env.e.RootCredentials()
		if err := env.e.Authorize(ctx, key, "", "s3:ListAllMyBuckets", ""); err != nil {
			t.Fatalf("Authorize(root) = %v", err)
		}
	})
}

func TestGetAccessKeyLastUsed_AuthorizesAgainstTheKeyOwner(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	env.createUser(t, "bob")
	must[*iam.PutUserPolicyOutput](t)(env.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{
		UserName: aws.String("alice"), PolicyName: aws.String("own-keys"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"arn:aws:iam::*:user/${aws:username}"}]}`),
	}))
	alice := env.userClient(t, "alice")
	own := must[*iam.CreateAccessKeyOutput](t)(alice.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})).AccessKey
	bobs := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})).AccessKey
	t.Run("own key is allowed", func(t *testing.T) {
		_, err := alice.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: own.AccessKeyId})
		wantCode(t, err, "")
	})
	t.Run("another user's key is denied on that user", func(t *testing.T) {
		_, err := alice.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: bobs.AccessKeyId})
		if got := apiMessage(t, err); !strings.Contains(got, "on resource: arn:aws:iam::123456789012:user/bob ") {
			t.Fatalf("message = %q, want the resource to be bob", got)
		}
	})
}

// BenchmarkEnforcedCall is one policy-checked call by an IAM user whose
// managed and inline policies were parsed when they were created.
func BenchmarkEnforcedCall(b *testing.B) {
	env := newEnv(b, Options{})
	env.createUser(b, "alice")
	arn := env.createPolicy(b, "force-mfa")
	must[*iam.AttachUserPolicyOutput](b)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}))
	alice := env.userClient(b, "alice")
	for b.Loop() {
		alice.GetUser(ctx, &iam.GetUserInput{})
	}
}

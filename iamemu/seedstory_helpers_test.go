package iamemu

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	pol "github.com/gatehouse/portal/policy"
)

// otpCode computes the authenticator app's code for seed at t with
// pquerna/otp, independently of the emulator's own TOTP code.
func otpCode(t *testing.T, seed string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(seed, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// onboardSeedUser does the root side of the seed's verification: it
// creates userName with a console password, uploads the seed policy
// (pol.SeedName, once per account), attaches it and returns a long-term
// access key for the user.
func (env *testEnv) onboardSeedUser(t *testing.T, userName, password string) (keyID, secret string) {
	t.Helper()
	env.createUser(t, userName)
	must[*iam.CreateLoginProfileOutput](t)(env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(userName), Password: aws.String(password)}))
	arn := "arn:aws:iam::" + env.e.AccountID() + ":policy/" + pol.SeedName
	if _, err := env.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arn)}); err != nil {
		out := must[*iam.CreatePolicyOutput](t)(env.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(pol.SeedName), PolicyDocument: aws.String(pol.Seed)}))
		arn = aws.ToString(out.Policy.Arn)
	}
	must[*iam.AttachUserPolicyOutput](t)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(userName), PolicyArn: aws.String(arn)}))
	k := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(userName)})).AccessKey
	return aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey)
}

// withExtraParam appends key=value to the Query body before signing, to
// send a parameter the SDK's input shape does not have (e.g. a UserName on
// ChangePassword).
func withExtraParam(key, value string) func(*iam.Options) {
	return func(o *iam.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Build.Add(middleware.BuildMiddlewareFunc("ExtraParam", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
				req := in.Request.(*smithyhttp.Request)
				body, err := io.ReadAll(req.GetStream())
				if err != nil {
					return middleware.BuildOutput{}, middleware.Metadata{}, err
				}
				body = append(body, "&"+url.QueryEscape(key)+"="+url.QueryEscape(value)...)
				if req, err = req.SetStream(bytes.NewReader(body)); err != nil {
					return middleware.BuildOutput{}, middleware.Metadata{}, err
				}
				req.ContentLength = int64(len(body))
				in.Request = req
				return next.HandleBuild(ctx, in)
			}), middleware.After)
		})
	}
}

// wantCode fails unless err carries the AWS error code want ("" = success).
func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := apiCode(t, err); got != want {
		t.Fatalf("code = %q, want %q (err: %v)", got, want, err)
	}
}

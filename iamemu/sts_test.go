package iamemu

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestGetCallerIdentity(t *testing.T) {
	env := newEnv(t, Options{DisablePolicyEnforcement: true}) // users here have no policies
	out := must[*sts.GetCallerIdentityOutput](t)(env.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if aws.ToString(out.Account) != "123456789012" || aws.ToString(out.Arn) != "arn:aws:iam::123456789012:root" || aws.ToString(out.UserId) != "123456789012" {
		t.Fatalf("root identity = %s %s %s", aws.ToString(out.Account), aws.ToString(out.Arn), aws.ToString(out.UserId))
	}

	t.Run("a user's own key resolves to that user", func(t *testing.T) {
		env.createUser(t, "alice")
		key := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})).AccessKey
		ic, sc := env.clients(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), "")
		id := must[*sts.GetCallerIdentityOutput](t)(sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
		if got, want := aws.ToString(id.Arn), "arn:aws:iam::123456789012:user/alice"; got != want {
			t.Fatalf("Arn = %q, want %q", got, want)
		}
		u := must[*iam.GetUserOutput](t)(ic.GetUser(ctx, &iam.GetUserInput{}))
		if got, want := aws.ToString(u.User.UserName), "alice"; got != want {
			t.Fatalf("GetUser without UserName = %q, want %q", got, want)
		}
	})
}

func TestGetSessionToken_WithMFA_MarksSession(t *testing.T) {
	env := newEnv(t, Options{DisablePolicyEnforcement: true}) // users here have no policies
	serial, seed := env.newDevice(t, "alice")
	if err := env.enable("alice", serial, code(t, seed, t0.Add(-30*time.Second)), code(t, seed, t0)); err != nil {
		t.Fatal(err)
	}
	key := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})).AccessKey
	_, userSTS := env.clients(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), "")
	env.clock.Advance(30 * time.Second)

	t.Run("a code already used for EnableMFADevice is refused", func(t *testing.T) {
		_, err := userSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code(t, seed, t0))})
		if got, want := apiMessage(t, err), "MultiFactorAuthentication failed with invalid MFA one time pass code."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	t.Run("wrong code is AccessDenied", func(t *testing.T) {
		_, err := userSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String("000000")})
		if got, want := apiCode(t, err), "AccessDenied"; got != want {
			t.Fatalf("code = %q, want %q", got, want)
		}
	})

	out := must[*sts.GetSessionTokenOutput](t)(userSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code(t, seed, env.clock.Now()))}))
	c := out.Credentials
	if !strings.HasPrefix(aws.ToString(c.AccessKeyId), "ASIA") || len(aws.ToString(c.SecretAccessKey)) != 40 || aws.ToString(c.SessionToken) == "" {
		t.Fatalf("credentials = %+v, want ASIA key, secret and token", c)
	}
	if got, want := c.Expiration.UTC(), env.clock.Now().Add(12*time.Hour); !got.Equal(want) {
		t.Fatalf("Expiration = %v, want %v", got, want)
	}
	p, ok := env.e.st.Sessions[aws.ToString(c.AccessKeyId)]
	if !ok || !p.MFA || !p.MFAAuthTime.Equal(env.clock.Now()) {
		t.Fatalf("session = %+v, want MFA present at now", p)
	}
	sessIAM, sessSTS := env.clients(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	id := must[*sts.GetCallerIdentityOutput](t)(sessSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, want := aws.ToString(id.Arn), "arn:aws:iam::123456789012:user/alice"; got != want {
		t.Fatalf("session identity = %q, want %q", got, want)
	}
	if _, err := sessIAM.ListMFADevices(ctx, &iam.ListMFADevicesInput{}); err != nil {
		t.Fatalf("ListMFADevices with session credentials: %v", err)
	}
	t.Run("session credentials cannot call GetSessionToken", func(t *testing.T) {
		_, err := sessSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
		if got, want := apiCode(t, err), "AccessDenied"; got != want {
			t.Fatalf("code = %q, want %q", got, want)
		}
	})
	t.Run("expired session token", func(t *testing.T) {
		env.clock.Advance(13 * time.Hour)
		_, err := sessSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if got, want := apiCode(t, err), "ExpiredToken"; got != want {
			t.Fatalf("code = %q, want %q", got, want)
		}
	})
}

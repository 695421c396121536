package iamemu

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestSeedVerification is the seed's 動作確認 as a test: an IAM user under
// the forced-MFA policy can only enrol MFA with a long-term key, and manages
// its own password, keys, Git credentials and MFA device only from an MFA
// session — never another user's.
func TestSeedVerification(t *testing.T) {
	env := newEnv(t, Options{})
	codecommit := aws.String("codecommit.amazonaws.com")
	keyID, secret := env.onboardSeedUser(t, "test", "Initial-Passw0rd!")
	env.onboardSeedUser(t, "other", "Other-Passw0rd!")
	ltIAM, ltSTS := env.clients(keyID, secret, "")

	t.Run("long-term key", func(t *testing.T) {
		denied := []struct {
			name string
			call func() error
		}{
			{"ChangePassword is denied", func() error {
				_, err := ltIAM.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("Initial-Passw0rd!"), NewPassword: aws.String("Second-Passw0rd!")})
				return err
			}},
			{"CreateAccessKey is denied", func() error { _, err := ltIAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}); return err }},
			{"CreateServiceSpecificCredential is denied", func() error {
				_, err := ltIAM.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("test"), ServiceName: codecommit})
				return err
			}},
			{"ListUsers is denied", func() error { _, err := ltIAM.ListUsers(ctx, &iam.ListUsersInput{}); return err }},
		}
		for _, tc := range denied {
			t.Run(tc.name, func(t *testing.T) { wantCode(t, tc.call(), "AccessDenied") })
		}
		t.Run("denial names the explicit deny", func(t *testing.T) {
			_, err := ltIAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
			want := "User: arn:aws:iam::123456789012:user/test is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::123456789012:user/test with an explicit deny in an identity-based policy"
			if got := apiMessage(t, err); got != want {
				t.Fatalf("message = %q, want %q", got, want)
			}
		})
		t.Run("s3:ListAllMyBuckets is denied before MFA", func(t *testing.T) {
			err := env.e.Authorize(ctx, keyID, "", "s3:ListAllMyBuckets", "")
			if err == nil || !strings.HasPrefix(err.Error(), "AccessDenied: ") || !strings.HasSuffix(err.Error(), "on resource: * with an explicit deny in an identity-based policy") {
				t.Fatalf("Authorize = %v, want AccessDenied with an explicit deny", err)
			}
		})
		t.Run("GetCallerIdentity needs no permission", func(t *testing.T) {
			_, err := ltSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			wantCode(t, err, "")
		})
	})

	var serial, seed string
	t.Run("MFA enrolment with the long-term key", func(t *testing.T) {
		t.Run("CreateVirtualMFADevice is allowed", func(t *testing.T) {
			out, err := ltIAM.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("test")})
			wantCode(t, err, "")
			serial, seed = aws.ToString(out.VirtualMFADevice.SerialNumber), string(out.VirtualMFADevice.Base32StringSeed)
		})
		t.Run("EnableMFADevice is allowed", func(t *testing.T) {
			_, err := ltIAM.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
				UserName: aws.String("test"), SerialNumber: aws.String(serial),
				AuthenticationCode1: aws.String(otpCode(t, seed, t0.Add(-30*time.Second))), AuthenticationCode2: aws.String(otpCode(t, seed, t0)),
			})
			wantCode(t, err, "")
		})
		t.Run("ListMFADevices is allowed", func(t *testing.T) {
			out, err := ltIAM.ListMFADevices(ctx, &iam.ListMFADevicesInput{})
			wantCode(t, err, "")
			if got, want := len(out.MFADevices), 1; got != want {
				t.Fatalf("devices = %d, want %d", got, want)
			}
		})
		t.Run("GetUser on self is allowed", func(t *testing.T) {
			_, err := ltIAM.GetUser(ctx, &iam.GetUserInput{})
			wantCode(t, err, "")
		})
	})
	if serial == "" {
		t.Fatal("no MFA device; the MFA-session steps cannot run")
	}

	// A fresh code from the next 30-second window: the enrolment codes are
	// single-use. SigV4 still signs with real time; only IAM's clock moves.
	env.clock.Advance(30 * time.Second)
	sess := must[*sts.GetSessionTokenOutput](t)(ltSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(otpCode(t, seed, env.clock.Now()))})).Credentials
	mfaIAM, _ := env.clients(aws.ToString(sess.AccessKeyId), aws.ToString(sess.SecretAccessKey), aws.ToString(sess.SessionToken))

	t.Run("MFA session", func(t *testing.T) {
		var newKey, credID *string
		steps := []struct {
			name string
			call func(t *testing.T) error
		}{
			{"ChangePassword works", func(t *testing.T) error {
				_, err := mfaIAM.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("Initial-Passw0rd!"), NewPassword: aws.String("Second-Passw0rd!")})
				return err
			}},
			{"CreateAccessKey works", func(t *testing.T) error {
				out, err := mfaIAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
				if err == nil {
					newKey = out.AccessKey.AccessKeyId
				}
				return err
			}},
			{"UpdateAccessKey deactivates it", func(t *testing.T) error {
				_, err := mfaIAM.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: newKey, Status: types.StatusTypeInactive})
				return err
			}},
			{"DeleteAccessKey works", func(t *testing.T) error {
				_, err := mfaIAM.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: newKey})
				return err
			}},
			{"CreateServiceSpecificCredential for CodeCommit works", func(t *testing.T) error {
				out, err := mfaIAM.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("test"), ServiceName: codecommit})
				if err == nil {
					credID = out.ServiceSpecificCredential.ServiceSpecificCredentialId
				}
				return err
			}},
			{"ResetServiceSpecificCredential works", func(t *testing.T) error {
				_, err := mfaIAM.ResetServiceSpecificCredential(ctx, &iam.ResetServiceSpecificCredentialInput{ServiceSpecificCredentialId: credID})
				return err
			}},
			{"DeleteServiceSpecificCredential works", func(t *testing.T) error {
				_, err := mfaIAM.DeleteServiceSpecificCredential(ctx, &iam.DeleteServiceSpecificCredentialInput{ServiceSpecificCredentialId: credID})
				return err
			}},
			{"ResyncMFADevice works", func(t *testing.T) error {
				env.clock.Advance(60 * time.Second)
				now := env.clock.Now()
				_, err := mfaIAM.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{
					UserName: aws.String("test"), SerialNumber: aws.String(serial),
					AuthenticationCode1: aws.String(otpCode(t, seed, now.Add(-30*time.Second))), AuthenticationCode2: aws.String(otpCode(t, seed, now)),
				})
				return err
			}},
			{"DeactivateMFADevice works", func(t *testing.T) error {
				_, err := mfaIAM.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("test"), SerialNumber: aws.String(serial)})
				return err
			}},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) { wantCode(t, s.call(t), "") })
		}
	})

	t.Run("other users stay out of reach", func(t *testing.T) {
		other := aws.String("other")
		t.Run("ListAccessKeys for other is denied", func(t *testing.T) {
			_, err := mfaIAM.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: other})
			wantCode(t, err, "AccessDenied")
		})
		t.Run("CreateAccessKey for other is denied", func(t *testing.T) {
			_, err := mfaIAM.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: other})
			wantCode(t, err, "AccessDenied")
		})
		t.Run("UpdateLoginProfile for other is denied", func(t *testing.T) {
			_, err := mfaIAM.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: other, Password: aws.String("Hijack-Passw0rd!")})
			wantCode(t, err, "AccessDenied")
		})
		t.Run("ChangePassword with a smuggled UserName changes only the caller", func(t *testing.T) {
			before := env.e.st.Users["other"].Login.Hash
			_, err := mfaIAM.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("Second-Passw0rd!"), NewPassword: aws.String("Third-Passw0rd!")}, withExtraParam("UserName", "other"))
			wantCode(t, err, "")
			if env.e.st.Users["other"].Login.Hash != before {
				t.Fatalf("other's password changed")
			}
		})
		t.Run("s3:ListAllMyBuckets is not granted even with MFA", func(t *testing.T) {
			err := env.e.Authorize(ctx, aws.ToString(sess.AccessKeyId), aws.ToString(sess.SessionToken), "s3:ListAllMyBuckets", "")
			if err == nil || !strings.HasSuffix(err.Error(), "because no identity-based policy allows the s3:ListAllMyBuckets action") {
				t.Fatalf("Authorize = %v, want an implicit deny", err)
			}
		})
	})

	t.Run("session without MFA", func(t *testing.T) {
		noMFA := must[*sts.GetSessionTokenOutput](t)(ltSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{})).Credentials
		id, token := aws.ToString(noMFA.AccessKeyId), aws.ToString(noMFA.SessionToken)
		noMFAIAM, _ := env.clients(id, aws.ToString(noMFA.SecretAccessKey), token)
		t.Run("ChangePassword is refused: IAM rejects non-MFA session tokens", func(t *testing.T) {
			_, err := noMFAIAM.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("Third-Passw0rd!"), NewPassword: aws.String("Fourth-Passw0rd!")})
			wantCode(t, err, "InvalidClientTokenId")
		})
		t.Run("the policy explicitly denies it too", func(t *testing.T) {
			ctxKeys := RequestContext(Principal{UserName: "test", Session: true}, "123456789012", env.clock.Now())
			if got, want := strings.Join(ctxKeys["aws:MultiFactorAuthPresent"], ","), "false"; got != want {
				t.Fatalf("aws:MultiFactorAuthPresent = %q, want %q", got, want)
			}
			err := env.e.Authorize(ctx, id, token, "s3:ListAllMyBuckets", "")
			if err == nil || !strings.HasSuffix(err.Error(), "with an explicit deny in an identity-based policy") {
				t.Fatalf("Authorize = %v, want an explicit deny", err)
			}
		})
	})
}

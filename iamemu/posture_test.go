package iamemu

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// What an account's credential posture is read from: the credential
// report, GetAccessKeyLastUsed and PasswordLastUsed.

func TestCredentialUse_IsRecordedAsAWSRecordsIt(t *testing.T) {
	env := newEnv(t, Options{CredentialReportThrottle: -1, DisablePolicyEnforcement: true})
	env.createUser(t, "alice")
	env.createUser(t, "bob")
	must[*iam.CreateLoginProfileOutput](t)(env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("Corr3ct-Horse")}))
	k1 := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})).AccessKey
	k2 := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})).AccessKey
	lastUsed := func(k *types.AccessKey) *types.AccessKeyLastUsed {
		return must[*iam.GetAccessKeyLastUsedOutput](t)(env.iam.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})).AccessKeyLastUsed
	}

	t.Run("nothing used yet", func(t *testing.T) {
		row := env.reportRow(t, "alice")
		for col, want := range map[string]string{
			"password_enabled": "true", "password_last_used": "no_information",
			"access_key_1_active": "true", "access_key_1_last_used_date": "N/A", "access_key_1_last_used_region": "N/A", "access_key_1_last_used_service": "N/A",
			"access_key_2_last_used_date": "N/A",
		} {
			if row[col] != want {
				t.Errorf("%s = %q, want %q", col, row[col], want)
			}
		}
		if got := env.reportRow(t, "bob")["password_last_used"]; got != "N/A" {
			t.Errorf("bob (no password) password_last_used = %q, want N/A", got)
		}
		lu := lastUsed(k1)
		if lu.LastUsedDate != nil || aws.ToString(lu.ServiceName) != "N/A" || aws.ToString(lu.Region) != "N/A" {
			t.Fatalf("GetAccessKeyLastUsed of an unused key = %+v", lu)
		}
	})

	env.clock.Advance(time.Hour)
	ic, _ := env.clients(aws.ToString(k1.AccessKeyId), aws.ToString(k1.SecretAccessKey), "")
	if _, err := ic.GetUser(ctx, &iam.GetUserInput{}); err != nil {
		t.Fatal(err)
	}
	iamUse := t0.Add(time.Hour)
	env.clock.Advance(time.Hour)
	stsUse := t0.Add(2 * time.Hour)
	_, sc := env.clients(aws.ToString(k2.AccessKeyId), aws.ToString(k2.SecretAccessKey), "")
	if _, err := sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) { o.Region = "eu-west-1" }); err != nil {
		t.Fatal(err)
	}
	signIn := t0.Add(90 * time.Minute)
	if err := env.e.RecordConsoleSignIn("alice", signIn); err != nil {
		t.Fatal(err)
	}

	t.Run("each key records its last use: date, region, service", func(t *testing.T) {
		row := env.reportRow(t, "alice")
		for col, want := range map[string]string{
			"password_last_used":          reportTime(signIn),
			"access_key_1_last_used_date": reportTime(iamUse), "access_key_1_last_used_region": "us-east-1", "access_key_1_last_used_service": "iam",
			"access_key_2_last_used_date": reportTime(stsUse), "access_key_2_last_used_region": "eu-west-1", "access_key_2_last_used_service": "sts",
		} {
			if row[col] != want {
				t.Errorf("%s = %q, want %q", col, row[col], want)
			}
		}
		lu := lastUsed(k2)
		if lu.LastUsedDate == nil || !lu.LastUsedDate.Equal(stsUse) || aws.ToString(lu.ServiceName) != "sts" || aws.ToString(lu.Region) != "eu-west-1" {
			t.Fatalf("GetAccessKeyLastUsed = %+v", lu)
		}
		u := must[*iam.GetUserOutput](t)(env.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})).User
		if u.PasswordLastUsed == nil || !u.PasswordLastUsed.Equal(signIn) {
			t.Fatalf("PasswordLastUsed = %v, want %v", u.PasswordLastUsed, signIn)
		}
	})
	t.Run("a denied request is a use too", func(t *testing.T) {
		env.e.SetAuthorizer(PolicyAuthorizer{}) // alice has no policy: everything is denied
		defer env.e.SetAuthorizer(nil)
		env.clock.Advance(time.Minute)
		_, err := ic.ListUsers(ctx, &iam.ListUsersInput{})
		wantErr(t, err, "AccessDenied", 403)
		if lu := lastUsed(k1); lu.LastUsedDate == nil || !lu.LastUsedDate.Equal(t0.Add(2*time.Hour+time.Minute)) {
			t.Fatalf("last used after a denied call = %v", lu.LastUsedDate)
		}
	})
	t.Run("an inactive key shows as such", func(t *testing.T) {
		must[*iam.UpdateAccessKeyOutput](t)(env.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: k2.AccessKeyId, Status: types.StatusTypeInactive}))
		if got := env.reportRow(t, "alice")["access_key_2_active"]; got != "false" {
			t.Fatalf("access_key_2_active = %q", got)
		}
	})
	t.Run("the sign-in hook needs a user with a password", func(t *testing.T) {
		if err := env.e.RecordConsoleSignIn("bob", signIn); err == nil {
			t.Fatal("a user without a password signed in")
		}
		if err := env.e.RecordConsoleSignIn("nobody", signIn); err == nil {
			t.Fatal("an unknown user signed in")
		}
	})
}

func TestRootUser_InTheCredentialReport(t *testing.T) {
	env := newEnv(t, Options{CredentialReportThrottle: -1})
	t.Run("by default: no keys, no MFA, no sign-in", func(t *testing.T) {
		row := env.reportRow(t, "<root_account>")
		for col, want := range map[string]string{
			"arn": "arn:aws:iam::123456789012:root", "password_enabled": "not_supported", "password_last_used": "no_information",
			"mfa_active": "false", "access_key_1_active": "false", "access_key_1_last_rotated": "N/A", "access_key_2_active": "false",
		} {
			if row[col] != want {
				t.Errorf("%s = %q, want %q", col, row[col], want)
			}
		}
		if keys := must[*iam.ListAccessKeysOutput](t)(env.iam.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})).AccessKeyMetadata; len(keys) != 0 {
			t.Fatalf("root keys = %+v, want none", keys)
		}
	})

	env.e.SetRootMFA(true)
	id, secret, err := env.e.AddRootAccessKey()
	if err != nil {
		t.Fatal(err)
	}
	env.clock.Advance(time.Minute)
	_, sc := env.clients(id, secret, "")
	me := must[*sts.GetCallerIdentityOutput](t)(sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got := aws.ToString(me.Arn); got != "arn:aws:iam::123456789012:root" {
		t.Fatalf("the root key signs as %q", got)
	}
	env.e.RecordRootSignIn(t0.Add(30 * time.Second))

	t.Run("keys, MFA and sign-in given by the hooks show", func(t *testing.T) {
		row := env.reportRow(t, "<root_account>")
		for col, want := range map[string]string{
			"mfa_active": "true", "password_last_used": reportTime(t0.Add(30 * time.Second)),
			"access_key_1_active": "true", "access_key_1_last_rotated": reportTime(t0),
			"access_key_1_last_used_date": reportTime(t0.Add(time.Minute)), "access_key_1_last_used_service": "sts",
			"access_key_2_active": "false",
		} {
			if row[col] != want {
				t.Errorf("%s = %q, want %q", col, row[col], want)
			}
		}
	})
	t.Run("the root user manages its own keys without UserName", func(t *testing.T) {
		k := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})).AccessKey
		if got := aws.ToString(k.UserName); got != "root" {
			t.Fatalf("root key UserName = %q", got)
		}
		_, err := env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
		wantErr(t, err, "LimitExceeded", 409)
		keys := must[*iam.ListAccessKeysOutput](t)(env.iam.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})).AccessKeyMetadata
		if len(keys) != 2 || aws.ToString(keys[0].AccessKeyId) != id {
			t.Fatalf("root keys = %+v", keys)
		}
		must[*iam.UpdateAccessKeyOutput](t)(env.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: aws.String(id), Status: types.StatusTypeInactive}))
		_, err = sc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantErr(t, err, "InvalidClientTokenId", 403)
		must[*iam.DeleteAccessKeyOutput](t)(env.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(id)}))
		must[*iam.DeleteAccessKeyOutput](t)(env.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: k.AccessKeyId}))
		env.e.SetRootMFA(false)
		row := env.reportRow(t, "<root_account>")
		if row["access_key_1_active"] != "false" || row["mfa_active"] != "false" {
			t.Fatalf("after deleting the keys and the MFA: %v", row)
		}
	})
}

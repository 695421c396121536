package iamemu

import (
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// userClient creates an access key for userName and returns an IAM client
// signed with it.
func (env *testEnv) userClient(t *testing.T, userName string) *iam.Client {
	t.Helper()
	k := must[*iam.CreateAccessKeyOutput](t)(env.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(userName)})).AccessKey
	ic, _ := env.clients(aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey), "")
	return ic
}

func TestChangePassword_MotoNotImplemented(t *testing.T) {
	env := newEnv(t, Options{DisablePolicyEnforcement: true}) // users here have no policies
	env.createUser(t, "alice")
	must[*iam.CreateLoginProfileOutput](t)(env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("Corr3ct-Horse"), PasswordResetRequired: true}))
	alice := env.userClient(t, "alice")
	change := func(c *iam.Client, old, new string) error {
		_, err := c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(old), NewPassword: aws.String(new)})
		return err
	}
	cases := []struct {
		name     string
		client   *iam.Client
		old, new string
		wantCode string
	}{
		{"root is not an IAM user", env.iam, "Corr3ct-Horse", "N3w-Password!", "InvalidUserType"},
		{"wrong old password", alice, "wrong", "N3w-Password!", "AccessDenied"},
		{"weak new password", alice, "Corr3ct-Horse", "weak", "PasswordPolicyViolation"},
		{"valid change", alice, "Corr3ct-Horse", "N3w-Password!", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := apiCode(t, change(tc.client, tc.old, tc.new)); got != tc.wantCode {
				t.Fatalf("code = %q, want %q", got, tc.wantCode)
			}
		})
	}
	lp := must[*iam.GetLoginProfileOutput](t)(env.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("alice")}))
	if lp.LoginProfile.PasswordResetRequired {
		t.Fatalf("PasswordResetRequired still set after ChangePassword")
	}
	t.Run("reuse prevention", func(t *testing.T) {
		must[*iam.UpdateAccountPasswordPolicyOutput](t)(env.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{PasswordReusePrevention: aws.Int32(2)}))
		if got, want := apiCode(t, change(alice, "N3w-Password!", "Corr3ct-Horse")), "PasswordPolicyViolation"; got != want {
			t.Fatalf("code = %q, want %q", got, want)
		}
	})
}

func TestPolicyVersions(t *testing.T) {
	env := newEnv(t, Options{})
	arn := aws.String(env.createPolicy(t, "force-mfa"))
	for i := 2; i <= 5; i++ {
		out := must[*iam.CreatePolicyVersionOutput](t)(env.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(forceMFA), SetAsDefault: i == 5}))
		if got, want := aws.ToString(out.PolicyVersion.VersionId), fmt.Sprintf("v%d", i); got != want || out.PolicyVersion.Document != nil {
			t.Fatalf("VersionId = %q, want %q without Document", got, want)
		}
	}
	t.Run("sixth version exceeds the limit", func(t *testing.T) {
		_, err := env.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(forceMFA)})
		if got, want := apiMessage(t, err), "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	t.Run("default version cannot be deleted", func(t *testing.T) {
		_, err := env.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v5")})
		var target *types.DeleteConflictException
		if !errors.As(err, &target) || aws.ToString(target.Message) != "Cannot delete the default version of a policy." {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ids are never reused", func(t *testing.T) {
		must[*iam.DeletePolicyVersionOutput](t)(env.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v2")}))
		out := must[*iam.CreatePolicyVersionOutput](t)(env.iam.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(forceMFA)}))
		if got, want := aws.ToString(out.PolicyVersion.VersionId), "v6"; got != want {
			t.Fatalf("VersionId = %q, want %q", got, want)
		}
	})
	t.Run("listed newest first", func(t *testing.T) {
		var ids []string
		p := iam.NewListPolicyVersionsPaginator(env.iam, &iam.ListPolicyVersionsInput{PolicyArn: arn, MaxItems: aws.Int32(2)})
		for p.HasMorePages() {
			for _, v := range must[*iam.ListPolicyVersionsOutput](t)(p.NextPage(ctx)).Versions {
				ids = append(ids, aws.ToString(v.VersionId))
			}
		}
		if got, want := strings.Join(ids, ","), "v6,v5,v4,v3,v1"; got != want {
			t.Fatalf("versions = %s, want %s", got, want)
		}
	})
	t.Run("missing version", func(t *testing.T) {
		_, err := env.iam.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v9")})
		if got, want := apiMessage(t, err), "Policy "+aws.ToString(arn)+" version v9 does not exist or is not attachable."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
}

func TestCredentialReport_SnapshotWithRootRow_MotoBuildsLive(t *testing.T) {
	env := newEnv(t, Options{CredentialReportDelay: 10 * time.Second})
	_, err := env.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	var notPresent *types.CredentialReportNotPresentException
	if !errors.As(err, &notPresent) {
		t.Fatalf("err = %v, want ReportNotPresent", err)
	}
	env.createUser(t, "alice")
	must[*iam.CreateLoginProfileOutput](t)(env.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("Corr3ct-Horse")}))

	gen := func() types.ReportStateType {
		return must[*iam.GenerateCredentialReportOutput](t)(env.iam.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})).State
	}
	if got, want := gen(), types.ReportStateTypeStarted; got != want {
		t.Fatalf("state = %s, want %s", got, want)
	}
	if got, want := gen(), types.ReportStateTypeInprogress; got != want {
		t.Fatalf("state = %s, want %s", got, want)
	}
	_, err = env.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	var notReady *types.CredentialReportNotReadyException
	if !errors.As(err, &notReady) {
		t.Fatalf("err = %v, want ReportInProgress", err)
	}
	env.clock.Advance(10 * time.Second)
	env.createUser(t, "bob") // after the snapshot: must not appear
	if got, want := gen(), types.ReportStateTypeComplete; got != want {
		t.Fatalf("state = %s, want %s", got, want)
	}
	out := must[*iam.GetCredentialReportOutput](t)(env.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
	rows, err := csv.NewReader(strings.NewReader(string(out.Content))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rows), 3; got != want {
		t.Fatalf("rows = %d, want header + root + alice", got)
	}
	if got, want := len(rows[0]), 22; got != want {
		t.Fatalf("columns = %d, want %d", got, want)
	}
	if rows[1][0] != "<root_account>" || rows[1][3] != "not_supported" {
		t.Fatalf("root row = %v", rows[1])
	}
	if got, want := strings.Join(rows[2][:8], ","), "alice,arn:aws:iam::123456789012:user/alice,2026-11-28T12:00:00+00:00,true,no_information,2026-11-28T12:00:00+00:00,N/A,false"; got != want {
		t.Fatalf("alice row = %s, want %s", got, want)
	}
	if got, want := out.GeneratedTime.UTC(), t0.Add(10*time.Second); !got.Equal(want) {
		t.Fatalf("GeneratedTime = %v, want %v", got, want)
	}
	t.Run("expires and regenerates after four hours", func(t *testing.T) {
		env.clock.Advance(4 * time.Hour)
		_, err := env.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		var expired *types.CredentialReportExpiredException
		if !errors.As(err, &expired) {
			t.Fatalf("err = %v, want ReportExpired", err)
		}
		if got, want := gen(), types.ReportStateTypeStarted; got != want {
			t.Fatalf("state = %s, want %s", got, want)
		}
	})
}

func TestUserTags_SortedAndLimited_MotoDoesNotValidate(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	u := aws.String("alice")
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	must[*iam.TagUserOutput](t)(env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: []types.Tag{tag("b", "1"), tag("a", "2"), tag("A", "3")}}))
	out := must[*iam.ListUserTagsOutput](t)(env.iam.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: u}))
	var keys []string
	for _, tg := range out.Tags {
		keys = append(keys, aws.ToString(tg.Key))
	}
	if got, want := strings.Join(keys, ","), "A,a,b"; got != want {
		t.Fatalf("keys = %s, want %s", got, want)
	}
	must[*iam.UntagUserOutput](t)(env.iam.UntagUser(ctx, &iam.UntagUserInput{UserName: u, TagKeys: []string{"a"}}))
	t.Run("duplicate keys", func(t *testing.T) {
		_, err := env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: []types.Tag{tag("x", "1"), tag("x", "2")}})
		var target *types.InvalidInputException
		if !errors.As(err, &target) || aws.ToString(target.Message) != "Duplicate tag keys found." {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("more than 50 in total", func(t *testing.T) {
		var many []types.Tag
		for i := 0; i < 49; i++ {
			many = append(many, tag(fmt.Sprintf("k%02d", i), "v"))
		}
		_, err := env.iam.TagUser(ctx, &iam.TagUserInput{UserName: u, Tags: many})
		var target *types.LimitExceededException
		if !errors.As(err, &target) {
			t.Fatalf("err = %v, want LimitExceededException", err)
		}
	})
}

func TestResyncMFADevice_MotoNotImplemented(t *testing.T) {
	env := newEnv(t, Options{})
	serial, seed := env.newDevice(t, "alice")
	// Late codes: the device associates but is 5 steps behind.
	if err := env.enable("alice", serial, code(t, seed, t0.Add(-6*30*time.Second)), code(t, seed, t0.Add(-5*30*time.Second))); err != nil {
		t.Fatal(err)
	}
	resync := func(c1, c2 string) error {
		_, err := env.iam.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String("alice"), SerialNumber: aws.String(serial), AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)})
		return err
	}
	env.clock.Advance(time.Minute)
	now := env.clock.Now()
	if got, want := apiCode(t, resync("111111", "222222")), "InvalidAuthenticationCode"; got != want {
		t.Fatalf("code = %q, want %q", got, want)
	}
	if err := resync(code(t, seed, now.Add(-30*time.Second)), code(t, seed, now)); err != nil {
		t.Fatalf("ResyncMFADevice: %v", err)
	}
	if got, want := env.e.st.Devices[serial].Drift, int64(0); got != want {
		t.Fatalf("drift = %d, want %d", got, want)
	}
	if got, want := apiCode(t, resync(code(t, seed, now.Add(-30*time.Second)), code(t, seed, now))), "InvalidAuthenticationCode"; got != want {
		t.Fatalf("replayed codes: code = %q, want %q", got, want)
	}
}

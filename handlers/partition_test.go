package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store/storetest"
)

// TestJourneyInEveryPartition runs the whole journey — onboard, claim, the
// console password, MFA enrolled — through the real SDK against the
// emulator in GovCloud and China shapes, on SQLite and PostgreSQL, and then
// the seed's own check as the new user: under the policy Gatehouse
// published, the user's key is denied without MFA and allowed with an MFA
// session. The policy must be in the partition's form for any of it to work.
func TestJourneyInEveryPartition(t *testing.T) {
	for _, tc := range []struct{ partition, signin string }{
		{"aws-us-gov", "https://123456789012.signin.amazonaws-us-gov.com/console"},
		{"aws-cn", "https://123456789012.signin.amazonaws.cn/console"},
	} {
		for _, driver := range storetest.Engines(t) {
			t.Run(tc.partition+"/"+driver, func(t *testing.T) {
				e := newEnvWith(t, driver, storetest.DSN(t, driver), envOptions{partition: tc.partition})
				partitionJourney(t, e, tc.partition, tc.signin)
			})
		}
	}
}

func partitionJourney(t *testing.T, e *env, partition, signin string) {
	ctx := context.Background()
	admin, _ := e.setupAdmin()
	p := admin.post("/users", url.Values{"user_name": {"gov"}, "display_name": {"Gov User"}})
	if p.status != http.StatusCreated {
		t.Fatalf("onboard: status %d: %s", p.status, p.formError())
	}
	if !strings.Contains(p.body, signin) {
		t.Fatalf("the hand-off page does not show %s", signin)
	}
	u := e.newClient()
	creds := u.follow(u.post(p.testid("invite-url"), nil))
	if got := creds.testid("signin-url"); got != signin {
		t.Fatalf("sign-in URL %q, want %q", got, signin)
	}
	if pw := creds.testid("console-password"); len(pw) < 20 {
		t.Fatalf("console password %q", pw)
	}
	mfa := u.follow(u.post("/enroll/password/saved", url.Values{"next": {"mfa"}}))
	secret := mfa.testid("mfa-secret")
	now := time.Now()
	if p := u.post("/enroll/mfa", url.Values{"code1": {code(t, secret, now.Add(-30*time.Second))}, "code2": {code(t, secret, now)}}); p.status != http.StatusSeeOther {
		t.Fatalf("enroll: status %d: %s", p.status, p.formError())
	}
	done := u.get("/enroll/done")
	serial := done.testid("mfa-serial")
	// The CLI profile names Gatehouse's region, which is the partition's.
	if want := "region = " + e.emu.Region() + "\n"; e.onb.Partition().ID != partition || portal.PartitionOfRegion(e.emu.Region()).ID != partition || !strings.Contains(html.UnescapeString(done.body), want) {
		t.Errorf("the done page's CLI profile lacks %q (partition %s)", want, e.onb.Partition().ID)
	}
	if want := "arn:" + partition + ":iam::123456789012:mfa/gov"; serial != want {
		t.Fatalf("serial %q, want %q", serial, want)
	}
	if got := admin.statusOf("gov"); got != "enrolled" {
		t.Fatalf("status %q, want enrolled", got)
	}
	arn := "arn:" + partition + ":iam::123456789012:policy/" + policy.SeedName
	if arns, err := e.iam.AttachedPolicyARNs(ctx, "gov"); err != nil || len(arns) != 1 || arns[0] != arn {
		t.Fatalf("attached %v, %v; want %s", arns, err, arn)
	}
	if st := admin.get("/policy"); !strings.Contains(st.body, `data-state="present"`) {
		t.Fatalf("the policy page reports drift for the partition's own form of the seed")
	}

	// The seed's check, as the user with a long-term key.
	raw := e.rawIAM()
	key, err := raw.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("gov")})
	if err != nil {
		t.Fatal(err)
	}
	id, sec := aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey)
	userIAM := e.sdkAs(id, sec, "")
	if _, err := userIAM.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("without MFA: %v, want AccessDenied", err)
	}
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(e.emu.Region()),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(id, sec, "")))
	if err != nil {
		t.Fatal(err)
	}
	stsc := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(e.emuURL) })
	sess, err := stsc.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial),
		TokenCode: aws.String(code(t, secret, time.Now().Add(30*time.Second)))})
	if err != nil {
		t.Fatal(err)
	}
	c := sess.Credentials
	withMFA := e.sdkAs(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	if _, err := withMFA.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}); err != nil {
		t.Fatalf("with an MFA session the user may manage their keys: %v", err)
	}
}

// sdkAs is a raw IAM client signed with the given credentials for the
// emulator's partition.
func (e *env) sdkAs(key, secret, token string) *iam.Client {
	return iam.New(iam.Options{Region: e.emu.Region(), BaseEndpoint: aws.String(e.emuURL),
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, token)})
}

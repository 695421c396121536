package onboarding_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/posture"
)

// documentedPolicy returns the IAM policy docs/running-on-aws.md says
// Gatehouse needs, after checking that the README shows the same one.
func documentedPolicy(t *testing.T) string {
	t.Helper()
	block := regexp.MustCompile("(?s)```json\n(.*?)```")
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := block.FindStringSubmatch(string(b))
		if m == nil {
			t.Fatalf("%s has no JSON policy", path)
		}
		return m[1]
	}
	doc, readme := read("../docs/running-on-aws.md"), read("../README.md")
	if doc != readme {
		t.Fatalf("the README's policy differs from docs/running-on-aws.md's:\n%s\n---\n%s", readme, doc)
	}
	if _, err := policy.Parse(doc); err != nil {
		t.Fatalf("the documented policy does not parse: %v", err)
	}
	return doc
}

// TestDocumentedPermissionsAreEnough runs every workflow of the portal as
// an IAM user that holds only the documented policy: under the emulator's
// policy enforcement any action the document forgets is AccessDenied.
func TestDocumentedPermissionsAreEnough(t *testing.T) {
	doc := documentedPolicy(t)
	for _, partition := range []string{"aws", "aws-us-gov"} {
		t.Run(partition, func(t *testing.T) {
			documentedPermissionsJourney(t, partition, doc)
		})
	}
}

func documentedPermissionsJourney(t *testing.T, partition, doc string) {
	ctx := context.Background()
	e := newLifeEnv(t, iamemu.Options{CredentialReportThrottle: -1, Partition: partition}, onboarding.LifecycleConfig{})
	svc, _ := e.runAsIAMUserWith(t, "gatehouse", doc, onboarding.LifecycleConfig{DeadlineAction: onboarding.DeadlineActionDeactivateKey})
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s as the documented identity: %v", what, err)
		}
	}
	if _, err := e.raw.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("example-corp")}); err != nil {
		t.Fatal(err)
	}

	// Onboard, claim, enroll in the portal.
	h, err := svc.Onboard(ctx, admin, portal.NewUser{UserName: "alice"})
	step("onboarding", err)
	if !strings.Contains(h.SigninURL, "//example-corp.") {
		t.Fatalf("sign-in URL %s: the account alias was not read", h.SigninURL)
	}
	enroll := func(token string) {
		t.Helper()
		creds, err := svc.ClaimInvite(ctx, token, "", "req")
		step("claiming the invite", err)
		cs, u, err := svc.ClaimSession(ctx, creds.SessionToken)
		step("the claim session", err)
		setup, err := svc.StartMFA(ctx, cs, u, "req")
		step("creating the MFA device", err)
		now := e.now()
		_, err = svc.EnrollMFA(ctx, cs, u, totpCode(t, setup.Secret, now.Add(-30*time.Second)), totpCode(t, setup.Secret, now), "req")
		step("enabling the MFA device", err)
	}
	enroll(h.InviteToken)

	// The policy page, its simulator, and publishing over five versions.
	_, err = svc.PolicyStatus(ctx)
	step("the policy page", err)
	_, err = svc.Matrix(ctx, "alice")
	step("the before/after-MFA matrix", err)
	arn := "arn:" + partition + ":iam::" + e.emu.AccountID() + ":policy/" + policy.SeedName
	for range 4 {
		if _, err := e.raw.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), SetAsDefault: true,
			PolicyDocument: aws.String(strings.Replace(policy.InPartition(policy.Seed, partition), `"iam:ChangePassword",`, ``, 1))}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = svc.PublishSeed(ctx, admin)
	step("publishing the seed over five versions", err)

	// Status sync; adoption of a user with everything Gatehouse never
	// creates.
	_, err = svc.Sync(ctx, onboarding.SyncManual, admin)
	step("the status sync", err)
	// The sync goes on when posture facts are refused; the controls that
	// need them would be unknown.
	rep, err := svc.Posture(ctx)
	step("reading the posture", err)
	for _, f := range rep.Findings {
		if f.Result == posture.Unknown {
			t.Fatalf("posture control %s is unknown: its facts were refused to the documented identity", f.Control)
		}
	}
	if _, err := e.iam.CreateUser(ctx, "bob", nil); err != nil {
		t.Fatal(err)
	}
	e.uploadSSHAndCert(t, "bob", 1)
	if _, err := e.raw.CreateAccessKey(ctx, createKey("bob")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.raw.CreateServiceSpecificCredential(ctx, &iam.CreateServiceSpecificCredentialInput{UserName: aws.String("bob"),
		ServiceName: aws.String("codecommit.amazonaws.com")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.raw.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.raw.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String("bob"), GroupName: aws.String("devs")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.raw.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("inline"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if err := e.iam.CreateLoginProfile(ctx, "bob", "Aa1!aaaaaaaaaaaa"); err != nil {
		t.Fatal(err)
	}
	e.consoleEnroll(t, "bob")
	cands, err := svc.AdoptionCandidates(ctx)
	step("listing adoption candidates", err)
	for _, c := range cands {
		if c.UserName == "gatehouse" && !c.Self {
			t.Fatal("Gatehouse's own user is not marked")
		}
	}
	_, err = svc.Adopt(ctx, admin, "bob", onboarding.AdoptOptions{KeysConfirmed: true, Reason: "test"})
	step("adopting", err)
	// The posture remedy looks at every credential live; bob's are in use.
	if _, err := svc.DisableUnused(ctx, admin, "bob", "CIS 1.12"); portal.ErrorCode(err) != portal.ECONFLICT {
		t.Fatalf("disabling bob's unused credentials: %v, want nothing unused (ECONFLICT)", err)
	}

	// An MFA reset, then an enrollment abandoned half-way; a user with a key
	// who misses the deadline.
	inv, err := svc.ResetMFA(ctx, admin, "alice", "phone lost", "video call")
	step("the MFA reset", err)
	creds, err := svc.ClaimInvite(ctx, inv.Token, "", "req")
	step("claiming the new invite", err)
	cs, u, err := svc.ClaimSession(ctx, creds.SessionToken)
	step("the claim session", err)
	_, err = svc.StartMFA(ctx, cs, u, "req")
	step("creating the MFA device", err)
	_, err = svc.Onboard(ctx, admin, portal.NewUser{UserName: "carol"})
	step("onboarding", err)
	if _, err := e.raw.CreateAccessKey(ctx, createKey("carol")); err != nil {
		t.Fatal(err)
	}
	e.advance(8 * 24 * time.Hour)
	svc.RunDeadlines(ctx)
	if keys, _ := e.iam.ListAccessKeys(ctx, "carol"); len(keys) != 1 || keys[0].Active {
		t.Fatalf("deadline action as the documented identity: keys %+v, audit %v", keys, e.auditActions(t, "carol"))
	}
	n, err := svc.DeleteAllDanglingDevices(ctx, admin)
	step("deleting abandoned devices", err)
	if n != 1 {
		t.Fatalf("abandoned devices deleted: %d, want 1", n)
	}

	// Offboarding the adopted user with everything.
	step("offboarding", svc.Offboard(ctx, admin, "bob", "left"))
	if got := e.iamUsers(t, "bob"); got != 0 {
		t.Fatal("bob still exists")
	}
}

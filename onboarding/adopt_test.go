package onboarding_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
)

// runAsIAMUser creates the IAM user name with an administrator inline
// policy and an access key, and returns a service that uses that key, as
// Gatehouse does on a real account.
func (e *lifeEnv) runAsIAMUser(t *testing.T, name string) (*onboarding.Service, awsiam.Identity) {
	t.Helper()
	return e.runAsIAMUserWith(t, name, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, onboarding.LifecycleConfig{})
}

// runAsIAMUserWith is runAsIAMUser with the given inline policy and
// lifecycle settings.
func (e *lifeEnv) runAsIAMUserWith(t *testing.T, name, policyDoc string, lc onboarding.LifecycleConfig) (*onboarding.Service, awsiam.Identity) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.iam.CreateUser(ctx, name, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.raw.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("gatehouse"),
		PolicyDocument: aws.String(policyDoc)}); err != nil {
		t.Fatal(err)
	}
	key, err := e.raw.CreateAccessKey(ctx, createKey(name))
	if err != nil {
		t.Fatal(err)
	}
	// The region an operator sets for the account's partition.
	c, id, err := awsiam.Connect(ctx, awsiam.Config{Endpoint: e.endpoint, Region: e.emu.Region(), AccessKeyID: aws.ToString(key.AccessKey.AccessKeyId),
		SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey), ConsistencyWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if lc.ReportPoll == 0 {
		lc.ReportPoll = e.reportPoll
	}
	svc, err := onboarding.New(onboarding.Config{Store: e.store, IAM: c, Account: id.Account, CallerARN: id.ARN, Partition: id.Partition,
		Now: e.now, PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Lifecycle: lc})
	if err != nil {
		t.Fatal(err)
	}
	return svc, id
}

func candidate(t *testing.T, svc *onboarding.Service, name string) onboarding.Candidate {
	t.Helper()
	cands, err := svc.AdoptionCandidates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cands {
		if c.UserName == name {
			return c
		}
	}
	t.Fatalf("%s is not among the candidates %+v", name, cands)
	return onboarding.Candidate{}
}

func (e *lifeEnv) lastAudit(t *testing.T, name, action string) string {
	t.Helper()
	evs, err := e.store.FindAuditEvents(context.Background(), portal.AuditFilter{Target: name, Action: action})
	if err != nil || len(evs) == 0 {
		t.Fatalf("no %s event for %s (%v)", action, name, err)
	}
	return i18n.Stored(i18n.EN, evs[0].Text, evs[0].Detail)
}

func TestAdoptionNeverLocksGatehouseOut(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	svc, id := e.runAsIAMUser(t, "gatehouse-svc")
	if !strings.HasSuffix(id.ARN, ":user/gatehouse-svc") {
		t.Fatalf("caller ARN %s", id.ARN)
	}
	if c := candidate(t, svc, "gatehouse-svc"); !c.Self {
		t.Fatalf("Gatehouse's own user is not marked: %+v", c)
	}
	_, err := svc.Adopt(ctx, admin, "gatehouse-svc", onboarding.AdoptOptions{KeysConfirmed: true, Reason: "test"})
	if portal.ErrorCode(err) != portal.ECONFLICT || portal.ErrorReason(err) != onboarding.ReasonSelf {
		t.Fatalf("err = %v, want a refusal of Gatehouse's own identity", err)
	}
	if arns, _ := e.iam.AttachedPolicyARNs(ctx, "gatehouse-svc"); len(arns) != 0 {
		t.Fatalf("policies attached to Gatehouse's own user: %v", arns)
	}
	if _, err := e.store.FindUserByName(ctx, "gatehouse-svc"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("Gatehouse's own user was recorded: %v", err)
	}
	if d := e.lastAudit(t, "gatehouse-svc", "user.adopt.refused"); !strings.Contains(d, "Gatehouse runs as this IAM user") {
		t.Fatalf("audit detail %q", d)
	}
	// Gatehouse still works: another user can be adopted with its key.
	if _, err := e.iam.CreateUser(ctx, "person", nil); err != nil {
		t.Fatal(err)
	}
	// Without a reason nothing is done (every caller, page or API, gets
	// the same rule).
	_, err = svc.Adopt(ctx, admin, "person", onboarding.AdoptOptions{Reason: " "})
	if pe, ok := err.(*portal.Error); !ok || pe.Code != portal.EINVALID || pe.Field != "reason" {
		t.Fatalf("adopt without a reason: %v", err)
	}
	if arns, _ := e.iam.AttachedPolicyARNs(ctx, "person"); len(arns) != 0 {
		t.Fatalf("a refused adoption attached %v", arns)
	}
	if _, err := svc.Adopt(ctx, admin, "person", onboarding.AdoptOptions{Reason: "test"}); err != nil {
		t.Fatal(err)
	}
}

func TestAdoptingAUserWithAccessKeysNeedsAConfirmation(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	for _, n := range []string{"ci-bot", "old-key"} {
		if _, err := e.iam.CreateUser(ctx, n, nil); err != nil {
			t.Fatal(err)
		}
		k, err := e.raw.CreateAccessKey(ctx, createKey(n))
		if err != nil {
			t.Fatal(err)
		}
		if n == "old-key" {
			if _, err := e.raw.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String(n), AccessKeyId: k.AccessKey.AccessKeyId,
				Status: types.StatusTypeInactive}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if c := candidate(t, e.svc, "ci-bot"); c.ActiveKeys != 1 || c.Self {
		t.Fatalf("ci-bot = %+v, want 1 active key", c)
	}
	t.Run("without the confirmation nothing happens", func(t *testing.T) {
		_, err := e.svc.Adopt(ctx, admin, "ci-bot", onboarding.AdoptOptions{Reason: "test"})
		if portal.ErrorCode(err) != portal.ECONFLICT || portal.ErrorReason(err) != onboarding.ReasonKeysUnconfirm {
			t.Fatalf("err = %v, want a request for confirmation", err)
		}
		if arns, _ := e.iam.AttachedPolicyARNs(ctx, "ci-bot"); len(arns) != 0 {
			t.Fatalf("policy attached without confirmation: %v", arns)
		}
		if d := e.lastAudit(t, "ci-bot", "user.adopt.refused"); !strings.Contains(d, "1 active access key") {
			t.Fatalf("audit detail %q", d)
		}
	})
	t.Run("with the confirmation it is adopted and the audit says so", func(t *testing.T) {
		if _, err := e.svc.Adopt(ctx, admin, "ci-bot", onboarding.AdoptOptions{KeysConfirmed: true, Reason: "test"}); err != nil {
			t.Fatal(err)
		}
		if d := e.lastAudit(t, "ci-bot", "user.adopt"); !strings.Contains(d, "confirmed they are denied without MFA") {
			t.Fatalf("audit detail %q", d)
		}
	})
	t.Run("inactive keys need no confirmation", func(t *testing.T) {
		if _, err := e.svc.Adopt(ctx, admin, "old-key", onboarding.AdoptOptions{Reason: "test"}); err != nil {
			t.Fatal(err)
		}
	})
}

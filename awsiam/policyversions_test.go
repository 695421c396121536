package awsiam_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/policy"
)

func TestPolicyVersions(t *testing.T) {
	ctx := context.Background()
	c, emu, _ := newClient(t)
	arn, err := c.CreatePolicy(ctx, policy.SeedName, policy.Seed, "test")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := arn, awsiam.PolicyARN(portal.PartitionAWS, emu.AccountID(), policy.SeedName); got != want {
		t.Fatalf("arn %q, want %q", got, want)
	}
	edited := strings.Replace(policy.Seed, `"iam:ChangePassword",`, ``, 1)
	t.Run("a new default version is listed newest first", func(t *testing.T) {
		id, err := c.CreatePolicyVersion(ctx, arn, edited, true)
		if err != nil || id != "v2" {
			t.Fatalf("CreatePolicyVersion: %q %v", id, err)
		}
		vs, err := c.ListPolicyVersions(ctx, arn)
		if err != nil || len(vs) != 2 || vs[0].ID != "v2" || !vs[0].IsDefault || vs[1].IsDefault {
			t.Fatalf("versions %+v %v", vs, err)
		}
		doc, err := c.PolicyVersionDocument(ctx, arn, "v2")
		if err != nil || !awsiam.SameJSON(doc, edited) {
			t.Fatalf("v2 document %v:\n%s", err, doc)
		}
	})
	t.Run("the sixth version is refused with LimitExceeded", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			if _, err := c.CreatePolicyVersion(ctx, arn, policy.Seed, false); err != nil {
				t.Fatal(err)
			}
		}
		_, err := c.CreatePolicyVersion(ctx, arn, policy.Seed, true)
		if got, want := portal.ErrorReason(err), awsiam.CodeLimitExceeded; got != want {
			t.Fatalf("reason %q (%v), want %q", got, err, want)
		}
		if got, want := portal.ErrorCode(err), portal.ECONFLICT; got != want {
			t.Fatalf("code %q, want %q", got, want)
		}
	})
	t.Run("the default version cannot be deleted, others can", func(t *testing.T) {
		if err := c.DeletePolicyVersion(ctx, arn, "v2"); portal.ErrorReason(err) != awsiam.CodeDeleteConflict {
			t.Fatalf("deleting the default: %v, want DeleteConflict", err)
		}
		if err := c.DeletePolicyVersion(ctx, arn, "v1"); err != nil {
			t.Fatal(err)
		}
		if err := c.SetDefaultPolicyVersion(ctx, arn, "v3"); err != nil {
			t.Fatal(err)
		}
		mp, err := c.GetPolicy(ctx, arn)
		if err != nil || mp.DefaultVersionID != "v3" {
			t.Fatalf("default %q %v, want v3", mp.DefaultVersionID, err)
		}
	})
	t.Run("a missing policy is NoSuchEntity", func(t *testing.T) {
		_, err := c.ListPolicyVersions(ctx, awsiam.PolicyARN(portal.PartitionAWS, emu.AccountID(), "nope"))
		if got, want := portal.ErrorCode(err), portal.ENOTFOUND; got != want {
			t.Fatalf("code %q (%v), want %q", got, err, want)
		}
	})
}

package awsiam_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/policy"
)

func TestSimulatePrincipalPolicy(t *testing.T) {
	ctx := context.Background()
	c, emu, _ := newClient(t)
	arn, err := c.CreatePolicy(ctx, policy.SeedName, policy.Seed, "test")
	if err != nil {
		t.Fatal(err)
	}
	u, err := c.CreateUser(ctx, "alice", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AttachUserPolicy(ctx, "alice", arn); err != nil {
		t.Fatal(err)
	}
	mfa := []awsiam.ContextEntry{
		{Key: "aws:MultiFactorAuthPresent", Type: "boolean", Values: []string{"true"}},
		{Key: "aws:MultiFactorAuthAge", Type: "numeric", Values: []string{"300"}},
	}
	noMFA := []awsiam.ContextEntry{{Key: "aws:MultiFactorAuthPresent", Type: "boolean", Values: []string{"false"}}}
	for _, tc := range []struct {
		name     string
		ctx      []awsiam.ContextEntry
		decision string
		policyID string
	}{
		{"ChangePassword with MFA is allowed by a seed statement", mfa, "allowed", policy.SeedName},
		{"ChangePassword without MFA is denied by the seed's deny", noMFA, "explicitDeny", policy.SeedName},
		{"ChangePassword with a long-term key is denied too", nil, "explicitDeny", policy.SeedName},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.SimulatePrincipalPolicy(ctx, awsiam.Simulation{PolicySourceARN: u.ARN,
				Actions: []string{"iam:ChangePassword"}, Resources: []string{u.ARN}, Context: tc.ctx})
			if err != nil || len(res) != 1 {
				t.Fatalf("results %+v %v", res, err)
			}
			r := res[0]
			if got, want := r.Decision, tc.decision; got != want {
				t.Fatalf("decision %q, want %q", got, want)
			}
			if r.Action != "iam:ChangePassword" || r.Resource != u.ARN {
				t.Fatalf("result names %q on %q", r.Action, r.Resource)
			}
			if len(r.Matched) == 0 || r.Matched[0].PolicyID != tc.policyID || r.Matched[0].StartLine == 0 {
				t.Fatalf("matched %+v, want a statement of %s with a position", r.Matched, tc.policyID)
			}
		})
	}
	t.Run("missing context values are reported", func(t *testing.T) {
		res, err := c.SimulatePrincipalPolicy(ctx, awsiam.Simulation{PolicySourceARN: u.ARN, Actions: []string{"iam:ListUsers"}})
		if err != nil || len(res) != 1 {
			t.Fatalf("results %+v %v", res, err)
		}
		if got, want := fmt.Sprint(res[0].MissingContext), "[aws:MultiFactorAuthPresent]"; got != want {
			t.Fatalf("missing %s, want %s", got, want)
		}
		if got, want := res[0].Decision, "explicitDeny"; got != want {
			t.Fatalf("decision %q, want %q", got, want)
		}
	})
	t.Run("many actions come back across pages", func(t *testing.T) {
		var actions []string
		for len(actions) <= 100 { // more than one page of MaxItems=100
			actions = append(actions, policy.MatrixActions...)
		}
		res, err := c.SimulatePrincipalPolicy(ctx, awsiam.Simulation{PolicySourceARN: u.ARN, Actions: actions, Context: mfa})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(res), len(actions); got != want {
			t.Fatalf("%d results, want %d", got, want)
		}
	})
	t.Run("an unknown user is NoSuchEntity with IAM's message", func(t *testing.T) {
		_, err := c.SimulatePrincipalPolicy(ctx, awsiam.Simulation{PolicySourceARN: "arn:aws:iam::" + emu.AccountID() + ":user/nobody",
			Actions: []string{"iam:GetUser"}})
		if got, want := portal.ErrorCode(err), portal.ENOTFOUND; got != want {
			t.Fatalf("code %q (%v), want %q", got, err, want)
		}
	})
}

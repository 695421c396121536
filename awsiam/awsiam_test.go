package awsiam_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/policy"
)

func newClient(t *testing.T) (*awsiam.Client, *iamemu.Emulator, string) {
	t.Helper()
	srv := iamemutest.Start(t, iamemu.Options{})
	return srv.Client(t, awsiam.Config{}), srv.Emulator, srv.URL
}

func TestEnsurePolicy(t *testing.T) {
	ctx := context.Background()
	t.Run("creates a missing policy, then finds it unchanged", func(t *testing.T) {
		c, emu, _ := newClient(t)
		arn := awsiam.PolicyARN(portal.PartitionAWS, emu.AccountID(), policy.SeedName)
		if arn != "arn:aws:iam::123456789012:policy/"+policy.SeedName {
			t.Fatalf("policy ARN %s", arn)
		}
		for i := 0; i < 2; i++ {
			drifted, err := c.EnsurePolicy(ctx, arn, policy.SeedName, policy.Seed)
			if err != nil || drifted {
				t.Fatalf("run %d: drifted %v err %v", i, drifted, err)
			}
		}
		mp, err := c.GetPolicy(ctx, arn)
		if err != nil || !awsiam.SameJSON(mp.Document, policy.Seed) {
			t.Fatalf("stored document differs from the seed (URL decoding?): %v\n%s", err, mp.Document)
		}
	})
	t.Run("reports drift without overwriting", func(t *testing.T) {
		c, emu, _ := newClient(t)
		other := strings.Replace(policy.Seed, `"iam:ChangePassword",`, ``, 1)
		if _, err := c.CreatePolicy(ctx, policy.SeedName, other, "edited by hand"); err != nil {
			t.Fatal(err)
		}
		drifted, err := c.EnsurePolicy(ctx, awsiam.PolicyARN(portal.PartitionAWS, emu.AccountID(), policy.SeedName), policy.SeedName, policy.Seed)
		if err != nil || !drifted {
			t.Fatalf("drifted = %v, err %v; want drift reported", drifted, err)
		}
	})
}

func TestErrorsAreMappedForPeople(t *testing.T) {
	ctx := context.Background()
	c, _, url := newClient(t)
	if _, err := c.CreateUser(ctx, "dup", nil); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateUser(ctx, "DUP", nil)
	if portal.ErrorCode(err) != portal.ECONFLICT || portal.ErrorReason(err) != awsiam.CodeEntityAlreadyExists {
		t.Fatalf("duplicate user: %v", err)
	}
	_, err = c.GetUser(ctx, "ghost")
	if portal.ErrorCode(err) != portal.ENOTFOUND || !strings.Contains(i18n.ErrorText(i18n.JA, err), "見つかりません") {
		t.Fatalf("unknown user: %v", err)
	}
	// The SDK error stays the cause: callers and logs see IAM's code and
	// message, people read the catalog's text.
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != awsiam.CodeNoSuchEntity || !strings.Contains(err.Error(), "ghost") {
		t.Fatalf("the SDK error is not the cause of %v", err)
	}

	bad, _ := awsiam.New(ctx, awsiam.Config{Endpoint: url, AccessKeyID: "AKIAUNKNOWNKEY000000", SecretAccessKey: strings.Repeat("x", 40), MaxAttempts: 1})
	_, err = bad.GetUser(ctx, "dup")
	if portal.ErrorCode(err) != portal.EUNAVAILABLE || !strings.Contains(i18n.ErrorText(i18n.EN, err), "rejected Gatehouse's credentials") {
		t.Fatalf("unknown access key: %v", err)
	}

	dead, _ := awsiam.New(ctx, awsiam.Config{Endpoint: "http://127.0.0.1:1", AccessKeyID: "AKIAX", SecretAccessKey: "y", MaxAttempts: 1})
	_, err = dead.GetUser(ctx, "dup")
	if portal.ErrorCode(err) != portal.EUNAVAILABLE || !strings.Contains(i18n.ErrorText(i18n.EN, err), "could not reach AWS IAM") {
		t.Fatalf("unreachable IAM: %v", err)
	}
}

func TestVirtualDeviceCarriesSeedAndQR(t *testing.T) {
	ctx := context.Background()
	c, _, _ := newClient(t)
	d, err := c.CreateVirtualMFADevice(ctx, "phone")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Secret) != 64 || !bytes.HasPrefix(d.QRPNG, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("secret %d chars, QR prefix %q", len(d.Secret), d.QRPNG[:8])
	}
	un, err := c.ListVirtualMFADevices(ctx, false)
	if err != nil || len(un) != 1 || un[0].Serial != d.Serial {
		t.Fatalf("unassigned devices = %+v, %v", un, err)
	}
	if err := c.DeleteVirtualMFADevice(ctx, d.Serial); err != nil {
		t.Fatal(err)
	}
}

func TestPasswordPolicyDefaultsWhenTheAccountHasNone(t *testing.T) {
	c, _, _ := newClient(t)
	p, err := c.PasswordPolicy(context.Background())
	if err != nil || p != awsiam.DefaultPasswordPolicy {
		t.Fatalf("policy = %+v, %v", p, err)
	}
}

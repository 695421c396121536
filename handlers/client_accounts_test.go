package handlers_test

import (
	"context"
	"testing"

	"github.com/gatehouse/portal"
	gh "github.com/gatehouse/portal/client"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
)

// The Go client asks about a member account with WithAccount and gets the
// account back in each answer: the policy (missing there while the hub has
// it), the posture and the abandoned devices.
func TestGoClientPerAccount(t *testing.T) {
	e := newMemberEnvOn(t, "sqlite", memberA)
	ctx := context.Background()
	if _, err := e.iam.CreatePolicy(ctx, policy.SeedName, policy.Seed, "seed"); err != nil {
		t.Fatal(err)
	}
	help := gh.New(e.srv.URL, e.apiTokenFor(e.mintOperator("help", portal.RoleHelpdesk)))
	p, err := help.GetPolicy(ctx, gh.WithAccount(memberA))
	if err != nil || p.AccountID != memberA || p.State != "missing" {
		t.Fatalf("member policy: %+v, %v", p, err)
	}
	if p, err := help.GetPolicy(ctx); err != nil || p.AccountID != e.emu.AccountID() || p.State != "present" {
		t.Fatalf("hub policy: %+v, %v", p, err)
	}
	if d, err := help.GetPolicyDrift(ctx, gh.WithAccount(memberA)); err != nil || d.AccountID != memberA {
		t.Fatalf("member drift: %+v, %v", d, err)
	}
	h, err := e.onb.Onboard(ctx, testActor, portal.NewUser{Account: memberA, UserName: "dana"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.rootOf(memberA).CreateVirtualMFADevice(ctx, "dana")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.CreateDevice(ctx, store.CreatedDevice{Serial: d.Serial, UserID: h.User.ID, CreatedAt: e.clock()}); err != nil {
		t.Fatal(err)
	}
	devs, err := help.ListDevices(ctx, gh.Page{}, gh.WithAccount(memberA))
	if err != nil || len(devs.Devices) != 1 || devs.Devices[0].AccountID != memberA || devs.Devices[0].UserName != "dana" {
		t.Fatalf("member devices: %+v, %v", devs, err)
	}
	if _, err := help.SyncNow(ctx); err != nil {
		t.Fatal(err)
	}
	if p, err := help.GetPosture(ctx, gh.WithAccount(memberA)); err != nil || p.AccountID != memberA || p.Users != 1 {
		t.Fatalf("member posture: %+v, %v", p, err)
	}
}

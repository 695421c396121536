package onboarding_test

import (
	"context"
	"slices"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/posture"
)

// The sync records a posture snapshot for every reachable account, each
// from its own credential report: a console user without MFA in a member
// account fails the MFA control there and only there. An account whose
// role cannot be assumed is skipped and listed with its reason.
func TestPosturePerAccount(t *testing.T) {
	ctx := context.Background()
	e := newAcctEnv(t)
	if _, err := e.svc.AddAccount(ctx, admin, portal.NewAccount{ID: memberAcct, Name: "prod", ExternalID: externalID}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddAccount(ctx, admin, portal.NewAccount{ID: otherAcct, Name: "sandbox", ExternalID: "wrong-id"}); err == nil {
		t.Fatal("the account with a wrong external ID is reachable")
	}
	member := e.rootOf(t, memberAcct)
	if _, err := member.CreateUser(ctx, "mallory", nil); err != nil {
		t.Fatal(err)
	}
	if err := member.CreateLoginProfile(ctx, "mallory", "Corr3ct-Horse-Battery"); err != nil {
		t.Fatal(err)
	}

	res, err := e.svc.Sync(ctx, onboarding.SyncManual, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Account != otherAcct {
		t.Fatalf("skipped = %+v", res.Skipped)
	}

	noMFA := func(r *posture.Report) []string {
		for _, f := range r.Findings {
			if f.Control == "iam_user_mfa_enabled_console_access" {
				return f.Users
			}
		}
		t.Fatal("no MFA control in the report")
		return nil
	}
	rep, err := e.svc.Posture(onboarding.InAccount(ctx, memberAcct))
	if err != nil {
		t.Fatalf("member posture: %v", err)
	}
	if users := noMFA(rep); !slices.Contains(users, "mallory") || rep.ConsoleUsers != 1 {
		t.Fatalf("member posture: console users %d, without MFA %v", rep.ConsoleUsers, users)
	}
	hub, err := e.svc.Posture(ctx)
	if err != nil {
		t.Fatalf("hub posture: %v", err)
	}
	if slices.Contains(noMFA(hub), "mallory") {
		t.Fatal("the member's user is in the hub's posture")
	}
	if _, err := e.svc.Posture(onboarding.InAccount(ctx, "444444444444")); portal.ErrorCode(err) != portal.ENOTFOUND || keyOf(err) != "err.account.nosuch" {
		t.Fatalf("an account not managed: %v", err)
	}

	all, err := e.svc.PostureAccounts(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("every account: %d, %v", len(all), err)
	}
	by := map[string]onboarding.AccountPosture{}
	for _, ap := range all {
		by[ap.Account.ID] = ap
	}
	if all[0].Account.ID != e.hub || all[0].Report == nil {
		t.Errorf("the hub first, with its posture: %+v", all[0])
	}
	if by[memberAcct].Report == nil || by[memberAcct].Report.ConsoleUsers != 1 {
		t.Errorf("member: %+v", by[memberAcct].Report)
	}
	if o := by[otherAcct]; o.Report != nil || o.Account.Status != portal.AccountUnreachable || o.Account.Reason.IsZero() {
		t.Errorf("unreachable account: %+v, %+v", o.Account, o.Report)
	}
	snap, err := e.store.LatestPostureSnapshot(ctx, memberAcct)
	if err != nil || snap.AccountID != memberAcct {
		t.Fatalf("member snapshot: %+v, %v", snap, err)
	}
}

package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store/storetest"
)

// A bulk job with rows for the hub, a reachable member account and one
// whose role cannot be assumed: the unreachable account's rows fail at once
// with the reason (it is not retried: jobs.transient), the others are onboarded in
// their own accounts.
func TestBulkAcrossAccounts(t *testing.T) {
	const member, broken = "222222222222", "333333333333"
	ctx := context.Background()
	emu := iamemu.New(iamemu.Options{MemberAccounts: []string{member, broken}})
	srv := iamemutest.Serve(t, emu)
	hub := emu.AccountID()
	key, secret, err := emu.Account(hub).CreateUserWithKey("gatehouse", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	for id, ext := range map[string]string{member: "ext-ok", broken: "ext-other"} {
		if _, err := emu.Account(id).CreateRole(portal.DefaultRoleName, iamemu.TrustAccountPolicy("aws", hub, ext), "arn:aws:iam::aws:policy/AdministratorAccess"); err != nil {
			t.Fatal(err)
		}
	}
	cfg := awsiam.Config{Endpoint: srv.URL, Region: emu.Region(), AccessKeyID: key, SecretAccessKey: secret, MaxAttempts: 2, ConsistencyWait: time.Second}
	c, id, err := awsiam.Connect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	onb, err := onboarding.New(onboarding.Config{Store: st, IAM: c, Accounts: awsiam.NewAccounts(cfg, c, id.Account), Logger: quiet,
		Account: id.Account, CallerARN: id.ARN, PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Links: mustLinks(t, "https://portal.example")})
	if err != nil {
		t.Fatal(err)
	}
	admin := onboarding.Actor{Name: "admin"}
	if _, err := onb.AddAccount(ctx, admin, portal.NewAccount{ID: member, ExternalID: "ext-ok"}); err != nil {
		t.Fatal(err)
	}
	if _, err := onb.AddAccount(ctx, admin, portal.NewAccount{ID: broken, ExternalID: "wrong"}); err == nil {
		t.Fatal("the broken account checked fine")
	}
	box, _ := auth.NewBox([]byte(strings.Repeat("k", 32)))
	bulk, err := jobs.NewBulk(jobs.BulkConfig{Store: st, Onboarding: onb, Box: box, Logger: quiet, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	good, bad, err := bulk.Check(ctx, "user_name,display_name,email,deadline,account\n"+
		"hana,,,,\nmia,,,,"+member+"\nmia,,,,"+broken+"\nnoa,,,,444444444444\nzoe,,,,12\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(good) != 3 || len(bad) != 2 {
		t.Fatalf("good %v, bad %v: want the unmanaged and the malformed account refused", good, bad)
	}
	j, err := bulk.Enqueue(ctx, "admin", good)
	if err != nil {
		t.Fatal(err)
	}
	if err := bulk.Handle(ctx, j); err != nil {
		t.Fatal(err)
	}
	items, err := st.FindBulkItems(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		switch it.Account {
		case broken:
			if it.Status != "failed" || !strings.Contains(it.Text.Key+portal.EncodeText(it.Text), "account.reason.denied") {
				t.Errorf("row in the broken account: %s %+v", it.Status, it.Text)
			}
		default:
			if it.Status != "done" {
				t.Errorf("row %s in %q: %s %+v", it.UserName, it.Account, it.Status, it.Text)
			}
		}
	}
	if u, err := st.FindUser(ctx, member, "mia"); err != nil || !strings.Contains(u.ARN, member) {
		t.Fatalf("mia in the member account: %+v, %v", u, err)
	}
	if u, err := st.FindUser(ctx, hub, "hana"); err != nil || !strings.Contains(u.ARN, hub) {
		t.Fatalf("hana in the hub: %+v, %v", u, err)
	}
	if _, err := st.FindUser(ctx, broken, "mia"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("mia recorded in the broken account: %v", err)
	}
}

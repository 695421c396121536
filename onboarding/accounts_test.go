package onboarding_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

const (
	memberAcct = "222222222222" // its GatehouseAdmin role trusts the hub with externalID
	otherAcct  = "333333333333" // its role wants another external ID
	externalID = "ext-7f3a"
)

// acctEnv is a hub and two member accounts in one emulator, reached through
// the real SDK: Gatehouse signs as an IAM user of the hub (roles cannot be
// assumed with root credentials) and assumes GatehouseAdmin in the members.
type acctEnv struct {
	emu   *iamemu.Emulator
	srv   *iamemutest.Server
	store *store.Store
	svc   *onboarding.Service
	hub   string
}

func newAcctEnv(t *testing.T) *acctEnv {
	t.Helper()
	return newAcctEnvWith(t, acctOptions{})
}

// acctOptions change newAcctEnvWith's service: its clock (nil: the real
// one) and lifecycle (the deadline action).
type acctOptions struct {
	now       func() time.Time
	lifecycle onboarding.LifecycleConfig
}

func newAcctEnvWith(t *testing.T, o acctOptions) *acctEnv {
	t.Helper()
	ctx := context.Background()
	emu := iamemu.New(iamemu.Options{MemberAccounts: []string{memberAcct, otherAcct}, CredentialReportThrottle: -1})
	e := &acctEnv{emu: emu, srv: iamemutest.Serve(t, emu), hub: emu.AccountID()}
	key, secret, err := emu.Account(e.hub).CreateUserWithKey("gatehouse", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	// The member role holds exactly the documented permissions.
	doc := documentedPolicy(t)
	m := emu.Account(memberAcct)
	if _, err := m.CreateRole(portal.DefaultRoleName, iamemu.TrustAccountPolicy("aws", e.hub, externalID)); err != nil {
		t.Fatal(err)
	}
	if err := m.PutRolePolicy(portal.DefaultRoleName, "gatehouse", doc); err != nil {
		t.Fatal(err)
	}
	if _, err := emu.Account(otherAcct).CreateRole(portal.DefaultRoleName, iamemu.TrustAccountPolicy("aws", e.hub, "another-id"), "arn:aws:iam::aws:policy/AdministratorAccess"); err != nil {
		t.Fatal(err)
	}
	cfg := awsiam.Config{Endpoint: e.srv.URL, Region: emu.Region(), AccessKeyID: key, SecretAccessKey: secret, ConsistencyWait: time.Second}
	hubIAM, id, err := awsiam.Connect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.store = storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	lc := o.lifecycle
	lc.ReportPoll = 10 * time.Millisecond
	e.svc, err = onboarding.New(onboarding.Config{Store: e.store, IAM: hubIAM, Accounts: awsiam.NewAccounts(cfg, hubIAM, id.Account),
		Account: id.Account, CallerARN: id.ARN, Partition: id.Partition, PolicyName: policy.SeedName, PolicyDocument: policy.Seed,
		Lifecycle: lc, Now: o.now})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// rootOf is a client of account id signed by its root user (to look at
// what Gatehouse did there).
func (e *acctEnv) rootOf(t *testing.T, id string) *awsiam.Client {
	t.Helper()
	key, secret := e.emu.Account(id).RootCredentials()
	return e.srv.Client(t, awsiam.Config{AccessKeyID: key, SecretAccessKey: secret})
}

func keyOf(err error) string {
	var e *portal.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// The whole journey — onboard, claim, enroll, enrolled — in a member account
// through its assumed role; an account whose role cannot be assumed (wrong
// external ID) is shown unreachable with the reason, refuses onboarding
// without leaving a record, and is skipped by the sync while the others
// are synced.
func TestJourneyInAMemberAccount(t *testing.T) {
	ctx := context.Background()
	e := newAcctEnv(t)
	acct, err := e.svc.AddAccount(ctx, admin, portal.NewAccount{ID: memberAcct, Name: "prod", ExternalID: externalID})
	if err != nil {
		t.Fatalf("add the member account: %v", err)
	}
	if acct.Status != portal.AccountReachable || acct.RoleARN != "arn:aws:iam::222222222222:role/GatehouseAdmin" {
		t.Fatalf("member account = %+v", acct)
	}

	h, err := e.svc.Onboard(ctx, admin, portal.NewUser{Account: memberAcct, UserName: "dana", Email: "dana@example.com"})
	if err != nil {
		t.Fatalf("onboard in the member account: %v", err)
	}
	if h.User.AccountID != memberAcct || !strings.Contains(h.User.ARN, ":iam::"+memberAcct+":user/dana") {
		t.Fatalf("user = %+v", h.User)
	}
	if _, err := e.rootOf(t, memberAcct).GetUser(ctx, "dana"); err != nil {
		t.Fatalf("dana is not in the member account: %v", err)
	}
	if _, err := e.rootOf(t, e.hub).GetUser(ctx, "dana"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("dana is in the hub account too: %v", err)
	}
	if !strings.Contains(h.SigninURL, memberAcct) {
		t.Errorf("sign-in URL %s is not the member account's", h.SigninURL)
	}

	creds, err := e.svc.ClaimInvite(ctx, h.InviteToken, "", "req")
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	if c := creds.Credentials; c == nil || c.Account != memberAcct || !strings.Contains(c.SigninURL, memberAcct) {
		t.Errorf("credentials %+v are not the member account's", c)
	}
	cs, u, err := e.svc.ClaimSession(ctx, creds.SessionToken)
	if err != nil {
		t.Fatal(err)
	}
	setup, err := e.svc.StartMFA(ctx, cs, u, "req")
	if err != nil {
		t.Fatalf("start MFA: %v", err)
	}
	if !strings.HasPrefix(setup.Serial, "arn:aws:iam::"+memberAcct+":mfa/") {
		t.Fatalf("device %s is not in the member account", setup.Serial)
	}
	now := time.Now()
	if _, err := e.svc.EnrollMFA(ctx, cs, u, totpCode(t, setup.Secret, now.Add(-30*time.Second)), totpCode(t, setup.Secret, now), "req"); err != nil {
		t.Fatalf("enroll: %v", err)
	}
	got, err := e.store.FindUser(ctx, memberAcct, "dana")
	if err != nil || got.State != portal.StateEnrolled {
		t.Fatalf("after enrolling: %+v, %v", got, err)
	}
	devs, err := e.rootOf(t, memberAcct).ListMFADevices(ctx, "dana")
	if err != nil || len(devs) != 1 || devs[0].Serial != setup.Serial {
		t.Fatalf("devices in the member account: %v, %v", devs, err)
	}

	// The same name in the hub is another user.
	if _, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "dana"}); err != nil {
		t.Fatalf("dana in the hub too: %v", err)
	}

	// An account whose role wants another external ID.
	bad, err := e.svc.AddAccount(ctx, admin, portal.NewAccount{ID: otherAcct, Name: "sandbox", ExternalID: "wrong-id"})
	if bad == nil || keyOf(err) != "account.reason.denied" {
		t.Fatalf("add with a wrong external ID: %+v, %v", bad, err)
	}
	stored, _ := e.store.FindAccount(ctx, otherAcct)
	if stored.Status != portal.AccountUnreachable || stored.Reason.Key != "account.reason.denied" {
		t.Fatalf("stored = %+v", stored)
	}
	_, err = e.svc.Onboard(ctx, admin, portal.NewUser{Account: otherAcct, UserName: "erin"})
	var fe *portal.Error
	if !errors.As(err, &fe) || fe.Field != "account" || fe.Key != "err.account.unreachable" {
		t.Fatalf("onboard in the unreachable account: %v", err)
	}
	if _, err := e.store.FindUser(ctx, otherAcct, "erin"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("a record was left for erin: %v", err)
	}

	res, err := e.svc.Sync(ctx, onboarding.SyncManual, admin)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Account != otherAcct || res.Skipped[0].Reason.Key != "err.account.unreachable" {
		t.Fatalf("skipped = %+v", res.Skipped)
	}
	if res.Users != 2 {
		t.Errorf("sync compared %d users, want dana in both accounts", res.Users)
	}
	if got, _ := e.store.FindUser(ctx, memberAcct, "dana"); got.State != portal.StateEnrolled {
		t.Errorf("after the sync dana is %s", got.State)
	}

	// Entered again with the right external ID, the account is reachable.
	if err := e.svc.RemoveAccount(ctx, admin, otherAcct); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddAccount(ctx, admin, portal.NewAccount{ID: otherAcct, ExternalID: "another-id"}); err != nil {
		t.Fatalf("add with the right external ID: %v", err)
	}
	if _, err := e.svc.CheckAccount(ctx, admin, otherAcct); err != nil {
		t.Fatalf("check: %v", err)
	}
}

package onboarding_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/posture"
	"github.com/gatehouse/portal/store"
)

// postureAccount builds, in the emulator, an account with a user in every
// failing state, the clock moved as a person's months would move it.
func postureAccount(t *testing.T, e *lifeEnv) {
	t.Helper()
	ctx := context.Background()
	user := func(name string) {
		if _, err := e.iam.CreateUser(ctx, name, nil); err != nil {
			t.Fatal(err)
		}
	}
	password := func(name string) {
		if err := e.iam.CreateLoginProfile(ctx, name, "Corr3ct-Horse-Battery"); err != nil {
			t.Fatal(err)
		}
	}
	key := func(name string) types.AccessKey {
		out, err := e.raw.CreateAccessKey(ctx, createKey(name))
		if err != nil {
			t.Fatal(err)
		}
		return *out.AccessKey
	}
	use := func(k types.AccessKey) { // Connect signs GetCallerIdentity with the key: a use
		_, _, err := awsiam.Connect(ctx, awsiam.Config{Endpoint: e.endpoint, Region: e.emu.Region(), AccessKeyID: aws.ToString(k.AccessKeyId),
			SecretAccessKey: aws.ToString(k.SecretAccessKey), ConsistencyWait: time.Second})
		if err != nil {
			t.Fatal(err)
		}
	}
	// 100 days ago: a key nobody used since, and a console password nobody
	// used since.
	user("stale-key")
	key("stale-key")
	user("idle-console")
	password("idle-console")
	e.advance(98 * 24 * time.Hour)
	// Two days ago: a user with two active keys and administrator rights
	// attached directly; a key used yesterday; a console user with a key
	// made at creation.
	user("two-keys")
	k1, k2 := key("two-keys"), key("two-keys")
	if err := e.iam.AttachUserPolicy(ctx, "two-keys", "arn:aws:iam::aws:policy/AdministratorAccess"); err != nil {
		t.Fatal(err)
	}
	user("used-yesterday")
	recent := key("used-yesterday")
	user("console-no-mfa")
	password("console-no-mfa")
	key("console-no-mfa")
	e.advance(24 * time.Hour)
	use(recent)
	use(k1)
	use(k2)
	if err := e.emu.MarkConsoleSignIn("console-no-mfa"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.emu.AddRootAccessKey(); err != nil {
		t.Fatal(err)
	}
	e.advance(24 * time.Hour)
}

func TestPosture_EveryFailingStateFromTheEmulator(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	postureAccount(t, e)
	// A user Gatehouse onboarded holds only the forced-MFA policy, attached
	// directly on purpose: not a groups-only failure.
	e.onboard(t, "managed")
	if _, err := e.svc.Sync(ctx, onboarding.SyncManual, admin); err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.Posture(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		res   posture.Result
		users []string
	}{
		posture.ConsoleMFA:     {posture.Fail, []string{"console-no-mfa", "idle-console"}},
		posture.RootAccessKey:  {posture.Fail, nil},
		posture.RootMFA:        {posture.Fail, nil},
		posture.PasswordLength: {posture.Fail, nil},
		posture.PasswordReuse:  {posture.Fail, nil},
		posture.UnusedConsole:  {posture.Fail, []string{"idle-console"}},
		posture.UnusedKey:      {posture.Fail, []string{"stale-key"}},
		posture.TwoKeys:        {posture.Fail, []string{"two-keys"}},
		posture.KeyRotation:    {posture.Fail, []string{"stale-key"}},
		posture.InitialKey:     {posture.Fail, []string{"console-no-mfa"}},
		posture.GroupsOnly:     {posture.Fail, []string{"two-keys"}},
		posture.AWSAdmin:       {posture.Fail, []string{"two-keys"}},
		posture.CustomerAdmin:  {posture.Pass, nil},
	}
	for id, w := range want {
		f := r.Finding(id)
		if f == nil || f.Result != w.res || !slices.Equal(f.Users, w.users) {
			t.Errorf("%s = %+v, want %s %v", id, f, w.res, w.users)
		}
	}
	if r.ConsoleUsers != 2 || r.ConsoleMFA != 0 || r.Users != 6 {
		t.Errorf("users %d, console %d, with MFA %d", r.Users, r.ConsoleUsers, r.ConsoleMFA)
	}

	t.Run("disabling unused credentials passes the user at the next sync", func(t *testing.T) {
		if _, err := e.svc.DisableUnused(ctx, admin, "idle-console", " "); portal.ErrorCode(err) != portal.EINVALID {
			t.Fatalf("no reason: err = %v, want EINVALID", err)
		}
		if _, err := e.svc.DisableUnused(ctx, admin, "used-yesterday", "CIS 1.12"); portal.ErrorCode(err) != portal.ECONFLICT {
			t.Fatalf("a user whose key is in use: err = %v, want ECONFLICT", err)
		}
		d, err := e.svc.DisableUnused(ctx, admin, "idle-console", "CIS 1.12")
		if err != nil || !d.Password || len(d.Keys) != 0 {
			t.Fatalf("idle-console: %+v, %v", d, err)
		}
		d, err = e.svc.DisableUnused(ctx, admin, "stale-key", "CIS 1.12")
		if err != nil || d.Password || len(d.Keys) != 1 {
			t.Fatalf("stale-key: %+v, %v", d, err)
		}
		keys, err := e.iam.ListAccessKeys(ctx, "stale-key")
		if err != nil || len(keys) != 1 || keys[0].Active {
			t.Fatalf("the stale key is deleted or still active: %+v, %v", keys, err)
		}
		if got := e.lastAudit(t, "idle-console", "credentials.disable"); !strings.Contains(got, "CIS 1.12") {
			t.Fatalf("audit = %q", got)
		}
		e.advance(time.Minute)
		if _, err := e.svc.Sync(ctx, onboarding.SyncManual, admin); err != nil {
			t.Fatal(err)
		}
		r, err := e.svc.Posture(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{posture.UnusedConsole, posture.UnusedKey, posture.KeyRotation} {
			if f := r.Finding(id); f.Result != posture.Pass {
				t.Errorf("%s after the remedy = %s %v", id, f.Result, f.Users)
			}
		}
		if f := r.Finding(posture.ConsoleMFA); !slices.Equal(f.Users, []string{"console-no-mfa"}) {
			t.Errorf("console MFA after idle-console lost its password = %v", f.Users)
		}
	})
	t.Run("fixing the account in IAM passes the controls at the next sync", func(t *testing.T) {
		if _, err := e.raw.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(14), PasswordReusePrevention: aws.Int32(24)}); err != nil {
			t.Fatal(err)
		}
		e.emu.SetRootMFA(true)
		e.advance(time.Minute)
		if _, err := e.svc.Sync(ctx, onboarding.SyncManual, admin); err != nil {
			t.Fatal(err)
		}
		r, err := e.svc.Posture(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{posture.PasswordLength, posture.PasswordReuse, posture.RootMFA} {
			if got := r.Finding(id).Result; got != posture.Pass {
				t.Errorf("%s = %s after the fix", id, got)
			}
		}
		trend, err := e.svc.PostureTrend(ctx, 90)
		if err != nil || len(trend) != 3 || trend[2].Failing[posture.RootMFA] != 0 || trend[0].Failing[posture.ConsoleMFA] != 2 {
			t.Fatalf("trend = %+v, %v", trend, err)
		}
	})
}

func TestPosture_UnreadablePoliciesAreUnknown(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	e.emu.FailNext("GetAccountAuthorizationDetails", "AccessDenied", 1)
	e.emu.FailNext("GetAccountPasswordPolicy", "AccessDenied", 1)
	if _, err := e.svc.Sync(ctx, onboarding.SyncManual, admin); err != nil {
		t.Fatalf("the sync fails when posture facts are unreadable: %v", err)
	}
	r, err := e.svc.Posture(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{posture.GroupsOnly, posture.AWSAdmin, posture.CustomerAdmin, posture.PasswordLength, posture.PasswordReuse} {
		if got := r.Finding(id).Result; got != posture.Unknown {
			t.Errorf("%s = %s, want unknown", id, got)
		}
	}
}

func TestDailyTrend_KeepsTheLastSnapshotOfEachDay(t *testing.T) {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	snaps := []store.PostureSnapshot{
		{TakenAt: day.Add(time.Hour), ConsoleMFA: 1}, {TakenAt: day.Add(23 * time.Hour), ConsoleMFA: 2},
		{TakenAt: day.Add(25 * time.Hour), ConsoleMFA: 3}, {TakenAt: day.Add(72 * time.Hour), ConsoleMFA: 4},
	}
	var got []int
	for _, p := range onboarding.DailyTrend(snaps) {
		got = append(got, p.ConsoleMFA)
	}
	if !slices.Equal(got, []int{2, 3, 4}) {
		t.Fatalf("daily = %v, want [2 3 4]", got)
	}
}

func TestDisableUnused_NeverTouchesGatehouseItself(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	svc, _ := e.runAsIAMUser(t, "gatehouse-runner")
	e.advance(60 * 24 * time.Hour)
	_, err := svc.DisableUnused(ctx, admin, "gatehouse-runner", "tidy up")
	if portal.ErrorReason(err) != onboarding.ReasonSelf {
		t.Fatalf("err = %v, want the self refusal", err)
	}
	if keys, _ := e.iam.ListAccessKeys(ctx, "gatehouse-runner"); len(keys) != 1 || !keys[0].Active {
		t.Fatalf("Gatehouse's own key = %+v", keys)
	}
}

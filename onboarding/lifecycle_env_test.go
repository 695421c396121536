package onboarding_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
)

// lifeEnv is a service over the emulator with one clock both share, and a
// raw SDK client for arranging what a person would do in the AWS console.
type lifeEnv struct {
	*env
	raw        *iam.Client
	offset     atomic.Int64 // nanoseconds added to the real time
	endpoint   string       // the emulator's URL
	reportPoll time.Duration
}

func (e *lifeEnv) now() time.Time { return time.Now().Add(time.Duration(e.offset.Load())) }

// advance moves the shared clock forward.
func (e *lifeEnv) advance(d time.Duration) { e.offset.Add(int64(d)) }

func newLifeEnv(t *testing.T, opts iamemu.Options, lc onboarding.LifecycleConfig) *lifeEnv {
	t.Helper()
	ctx := context.Background()
	e := &lifeEnv{env: &env{}}
	opts.Now = e.now
	srv := iamemutest.Start(t, opts)
	e.emu, e.iam, e.raw = srv.Emulator, srv.Client(t, awsiam.Config{}), srv.SDK(t, "", "")
	e.endpoint = srv.URL
	var err error
	if e.store, err = store.Open(ctx, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "p.db"))); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.store.Close() })
	if lc.ReportPoll == 0 {
		lc.ReportPoll = 10 * time.Millisecond
	}
	e.reportPoll = lc.ReportPoll
	e.svc, err = onboarding.New(onboarding.Config{Store: e.store, IAM: e.iam, Account: e.emu.AccountID(), Now: e.now,
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Lifecycle: lc})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// onboard creates a managed, invited user.
func (e *lifeEnv) onboard(t *testing.T, name string) *portal.User {
	t.Helper()
	h, err := e.svc.Onboard(context.Background(), admin, portal.NewUser{UserName: name, Email: name + "@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	return h.User
}

// consoleEnroll does what a person does in the AWS console: create a
// virtual device and enable it with two consecutive codes.
func (e *lifeEnv) consoleEnroll(t *testing.T, name string) string {
	t.Helper()
	ctx := context.Background()
	out, err := e.raw.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name + "-phone")})
	if err != nil {
		t.Fatal(err)
	}
	serial, secret := aws.ToString(out.VirtualMFADevice.SerialNumber), string(out.VirtualMFADevice.Base32StringSeed)
	at := e.now()
	c1, c2 := totpCode(t, secret, at.Add(-30*time.Second)), totpCode(t, secret, at)
	if _, err := e.raw.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(name), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)}); err != nil {
		t.Fatal(err)
	}
	return serial
}

func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// consoleRemoveMFA deactivates and deletes a device, as in the console.
func (e *lifeEnv) consoleRemoveMFA(t *testing.T, name, serial string) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.raw.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String(name), SerialNumber: aws.String(serial)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.raw.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)}); err != nil {
		t.Fatal(err)
	}
}

func (e *lifeEnv) state(t *testing.T, name string) portal.State {
	t.Helper()
	u, err := e.store.FindUserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.State
}

// auditActions returns the actions audited for a target, oldest first.
func (e *lifeEnv) auditActions(t *testing.T, target string) []string {
	t.Helper()
	evs, err := e.store.FindAuditEvents(context.Background(), portal.AuditFilter{Target: target})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(evs) - 1; i >= 0; i-- {
		out = append(out, evs[i].Action)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func createKey(user string) *iam.CreateAccessKeyInput {
	return &iam.CreateAccessKeyInput{UserName: aws.String(user)}
}

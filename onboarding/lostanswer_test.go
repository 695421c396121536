package onboarding_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
)

// loseAnswer lets the first request for action reach the emulator, which
// acts on it, and then fails it as a reset connection would: the SDK never
// sees the answer and retries the call.
type loseAnswer struct {
	action       string
	sent, failed atomic.Int32
}

func (l *loseAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || !strings.Contains(string(body), "Action="+l.action+"&") {
		return resp, err
	}
	if l.sent.Add(1) == 1 {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		l.failed.Add(1)
		return nil, errors.New("read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer")
	}
	return resp, nil
}

// losingService is a service over e's emulator and store whose first
// CreateUser answer is lost.
func (e *lifeEnv) losingService(t *testing.T) (*onboarding.Service, *loseAnswer) {
	t.Helper()
	lose := &loseAnswer{action: "CreateUser"}
	return e.serviceWith(t, awsiam.Config{HTTPClient: &http.Client{Transport: lose}}), lose
}

// serviceWith is a service over e's emulator (root credentials) and store
// whose IAM client is built with cfg.
func (e *lifeEnv) serviceWith(t *testing.T, cfg awsiam.Config) *onboarding.Service {
	t.Helper()
	cfg.Endpoint, cfg.Region, cfg.ConsistencyWait = e.endpoint, e.emu.Region(), time.Second
	cfg.AccessKeyID, cfg.SecretAccessKey = e.emu.RootCredentials()
	c, err := awsiam.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := onboarding.New(onboarding.Config{Store: e.store, IAM: c, Account: e.emu.AccountID(), Now: e.now,
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestALostCreateUserAnswerIsNotANameClash(t *testing.T) {
	ctx := context.Background()
	t.Run("the SDK's retry meets our own user: the step is done", func(t *testing.T) {
		e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
		svc, lose := e.losingService(t)
		h, err := svc.Onboard(ctx, admin, portal.NewUser{UserName: "dropped"})
		if err != nil {
			t.Fatalf("onboarding failed after a lost CreateUser answer: %v", err)
		}
		if lose.failed.Load() != 1 || lose.sent.Load() != 2 {
			t.Fatalf("CreateUser sent %d times, %d answers lost; want 2 and 1 (the test did not lose an answer)", lose.sent.Load(), lose.failed.Load())
		}
		iu, err := e.iam.GetUser(ctx, "dropped")
		if err != nil || h.User.IAMUserID != iu.ID || h.User.State != portal.StateInvited || h.InviteToken == "" {
			t.Fatalf("user %+v, IAM %+v %v", h.User, iu, err)
		}
	})
	for _, tc := range []struct {
		name    string
		arrange func(t *testing.T, e *lifeEnv)
	}{
		{"an untagged user of that name", func(t *testing.T, e *lifeEnv) {
			if _, err := e.iam.CreateUser(ctx, "taken", nil); err != nil {
				t.Fatal(err)
			}
		}},
		{"a tagged user created before this onboarding began", func(t *testing.T, e *lifeEnv) {
			if _, err := e.iam.CreateUser(ctx, "taken", map[string]string{onboarding.ManagedTagKey: onboarding.ManagedTagValue}); err != nil {
				t.Fatal(err)
			}
			e.advance(time.Hour)
		}},
		{"a tagged user another record holds", func(t *testing.T, e *lifeEnv) {
			iu, err := e.iam.CreateUser(ctx, "taken", map[string]string{onboarding.ManagedTagKey: onboarding.ManagedTagValue})
			if err != nil {
				t.Fatal(err)
			}
			now := e.now()
			if err := e.store.CreateUser(ctx, &portal.User{UserName: "renamed", IAMUserID: iu.ID, State: portal.StateInvited, CreatedAt: now, UpdatedAt: now}); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name+" is still a clash", func(t *testing.T) {
			e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
			tc.arrange(t, e)
			_, err := e.svc.Onboard(ctx, admin, portal.NewUser{UserName: "taken"})
			var pe *portal.Error
			if !errors.As(err, &pe) || pe.Field != "user_name" {
				t.Fatalf("err = %v, want a user_name field error", err)
			}
			if _, err := e.store.FindUserByName(ctx, "taken"); portal.ErrorCode(err) != portal.ENOTFOUND {
				t.Fatalf("a record was kept for a clash: %v", err)
			}
			if got := e.iamUsers(t, "taken"); got != 1 {
				t.Fatalf("IAM users named taken = %d, want the other one left alone", got)
			}
		})
	}
}

// A managed policy IAM refuses is not the user's fault: the record stays,
// with the failed step, instead of a "choose another name" error.
func TestARefusedPolicyIsNotBlamedOnTheUserName(t *testing.T) {
	ctx := context.Background()
	e := newLifeEnv(t, freshReports, onboarding.LifecycleConfig{})
	svc, err := onboarding.New(onboarding.Config{Store: e.store, IAM: e.iam, Account: e.emu.AccountID(), Now: e.now,
		PolicyName: policy.SeedName, PolicyDocument: policy.InPartition(policy.Seed, "aws-cn"), // not this account's partition
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Onboard(ctx, admin, portal.NewUser{UserName: "innocent"})
	var pe *portal.Error
	if err == nil || (errors.As(err, &pe) && pe.Field == "user_name") {
		t.Fatalf("err = %v, want a failed ensure_policy step, not a user name error", err)
	}
	u, err := e.store.FindUserByName(ctx, "innocent")
	if err != nil || u.State != portal.StateProvisioning {
		t.Fatalf("record %+v, %v; want it kept as provisioning", u, err)
	}
	if steps, _ := e.store.FindSteps(ctx, u.ID); steps[onboarding.StepPolicy].LastErrorText.Key == "" {
		t.Fatalf("steps %+v: the policy step's failure is not recorded", steps)
	}
}

package iamemu

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestFailNext(t *testing.T) {
	env := newEnv(t, Options{})
	cases := []struct {
		code  string
		check func(err error) bool
	}{
		{"EntityTemporarilyUnmodifiable", func(err error) bool { var e *types.EntityTemporarilyUnmodifiableException; return errors.As(err, &e) }},
		{"ServiceFailure", func(err error) bool { var e *types.ServiceFailureException; return errors.As(err, &e) }},
		{"Throttling", func(err error) bool { return apiCode(t, err) == "Throttling" && apiMessage(t, err) == "Rate exceeded" }},
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			env.e.FailNext("ListUsers", tc.code, 2)
			for i := 0; i < 2; i++ {
				if _, err := env.iam.ListUsers(ctx, &iam.ListUsersInput{}); !tc.check(err) {
					t.Fatalf("call %d: err = %v, want %s", i+1, err, tc.code)
				}
			}
			if _, err := env.iam.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
				t.Fatalf("third call: %v, want success", err)
			}
		})
	}
}

func TestFailNext_SDKRetriesThrottling(t *testing.T) {
	env := newEnv(t, Options{})
	retrying := iam.New(env.iam.Options(), func(o *iam.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	})
	env.e.FailNext("CreateUser", "Throttling", 1)
	if _, err := retrying.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatalf("CreateUser after one throttle: %v", err)
	}
}

func TestSetFaults(t *testing.T) {
	t.Run("token bucket throttles bursts and refills on the clock", func(t *testing.T) {
		env := newEnv(t, Options{})
		env.e.SetFaults(Faults{ThrottleRate: 1, ThrottleBurst: 2})
		var codes []string
		for i := 0; i < 3; i++ {
			_, err := env.iam.ListUsers(ctx, &iam.ListUsersInput{})
			codes = append(codes, apiCode(t, err))
		}
		if got, want := strings.Join(codes, ","), ",,Throttling"; got != want {
			t.Fatalf("codes = %q, want %q", got, want)
		}
		env.clock.Advance(time.Second)
		if _, err := env.iam.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
			t.Fatalf("after refill: %v", err)
		}
	})
	t.Run("error rate 1 always answers ServiceFailure", func(t *testing.T) {
		env := newEnv(t, Options{})
		env.e.SetFaults(Faults{ErrorRate: 1})
		_, err := env.iam.ListUsers(ctx, &iam.ListUsersInput{})
		var target *types.ServiceFailureException
		if !errors.As(err, &target) {
			t.Fatalf("err = %v, want ServiceFailureException", err)
		}
	})
	t.Run("new user is invisible until the consistency delay passes", func(t *testing.T) {
		env := newEnv(t, Options{})
		env.e.SetFaults(Faults{ConsistencyDelay: 5 * time.Second})
		env.createUser(t, "alice")
		_, err := env.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
		if got, want := apiCode(t, err), "NoSuchEntity"; got != want {
			t.Fatalf("code = %q, want %q", got, want)
		}
		_, err = env.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")})
		if got, want := apiCode(t, err), "EntityAlreadyExists"; got != want {
			t.Fatalf("re-create code = %q, want %q", got, want)
		}
		env.clock.Advance(5 * time.Second)
		if _, err := env.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")}); err != nil {
			t.Fatalf("after delay: %v", err)
		}
	})
}

func TestSaveLoadState(t *testing.T) {
	env := newEnv(t, Options{})
	serial, seed := env.newDevice(t, "alice")
	path := filepath.Join(t.TempDir(), "state.json")
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ { // concurrent with requests
		wg.Add(1)
		go func() {
			defer wg.Done()
			env.iam.ListUsers(ctx, &iam.ListUsersInput{})
			if err := env.e.SaveState(path); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()

	e2 := New(Options{})
	if err := e2.LoadState(path); err != nil {
		t.Fatal(err)
	}
	k1, s1 := env.e.RootCredentials()
	k2, s2 := e2.RootCredentials()
	if k1 != k2 || s1 != s2 {
		t.Fatalf("root credentials not restored")
	}
	if got, ok := e2.SeedForTest(serial); !ok || got != seed {
		t.Fatalf("SeedForTest after load = %q, %v", got, ok)
	}
	if err := New(Options{AccountID: "999999999999"}).LoadState(path); err == nil {
		t.Fatalf("loading another account's state succeeded")
	}
}

// denyAll is an Authorizer that denies everything with a reason.
type denyAll struct{ seen []AuthzRequest }

func (d *denyAll) Authorize(_ context.Context, e *Emulator, req AuthzRequest) error {
	d.seen = append(d.seen, req)
	if _, err := e.UserPolicies(req.Principal.UserName); err != nil {
		return err
	}
	return &AccessDeniedError{Reason: "with an explicit deny in an identity-based policy"}
}

func TestAuthorizer(t *testing.T) {
	env := newEnv(t, Options{})
	env.createUser(t, "alice")
	arn := env.createPolicy(t, "force-mfa")
	must[*iam.AttachUserPolicyOutput](t)(env.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String(arn)}))
	alice := env.userClient(t, "alice")
	az := &denyAll{}
	env.e.SetAuthorizer(az)

	_, err := alice.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
	want := "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateAccessKey on resource: arn:aws:iam::123456789012:user/alice with an explicit deny in an identity-based policy"
	if got := apiMessage(t, err); got != want {
		t.Fatalf("message = %q, want %q", got, want)
	}
	if got, want := apiCode(t, err), "AccessDenied"; got != want {
		t.Fatalf("code = %q, want %q", got, want)
	}
	if _, err := env.iam.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
		t.Fatalf("root was asked about: %v", err)
	}
	if got, want := len(az.seen), 1; got != want {
		t.Fatalf("authorizer calls = %d, want %d (root and STS exempt)", got, want)
	}
	docs, err := env.e.UserPolicies("alice")
	if err != nil || len(docs) != 1 || docs[0].SourceID != arn || docs[0].Document != forceMFA {
		t.Fatalf("UserPolicies = %+v, %v", docs, err)
	}
}

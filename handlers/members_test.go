package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/handlers"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store/storetest"
)

// Member accounts of the tests, as --test-accounts sets them up: each
// member's GatehouseAdmin role trusts the hub with memberExternalID.
const (
	memberA          = "222222222222"
	memberB          = "333333333333"
	memberExternalID = "gatehouse-test"
)

// testActor is who the tests' direct calls of the workflows are.
var testActor = onboarding.Actor{Name: "test"}

// setUpMembers creates the role in each member account and a hub IAM user
// for Gatehouse to sign as (roles cannot be assumed with root credentials),
// and returns that user's key.
func setUpMembers(t *testing.T, emu *iamemu.Emulator, members []string) (key, secret string) {
	t.Helper()
	hub := emu.AccountID()
	for _, id := range members {
		if _, err := emu.Account(id).CreateRole(portal.DefaultRoleName, iamemu.TrustAccountPolicy(emu.Partition(), hub, memberExternalID),
			"arn:"+emu.Partition()+":iam::aws:policy/AdministratorAccess"); err != nil {
			t.Fatal(err)
		}
	}
	key, secret, err := emu.Account(hub).CreateUserWithKey("gatehouse", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	return key, secret
}

// registerMembers adds the member accounts, each checked reachable.
func registerMembers(t *testing.T, onb *onboarding.Service, members []string) {
	t.Helper()
	for _, id := range members {
		if _, err := onb.AddAccount(context.Background(), testActor, portal.NewAccount{ID: id, ExternalID: memberExternalID}); err != nil {
			t.Fatalf("member account %s: %v", id, err)
		}
	}
}

// newMemberEnvOn is a portal on the given engine managing the hub and the
// members.
func newMemberEnvOn(t *testing.T, engine string, members ...string) *env {
	return newEnvWith(t, engine, storetest.DSN(t, engine), envOptions{members: members})
}

// rootOf is a client of account id signed by its root user, to set up or
// look at what is in that account.
func (e *env) rootOf(id string) *awsiam.Client {
	e.t.Helper()
	key, secret := e.emu.Account(id).RootCredentials()
	return (&iamemutest.Server{Emulator: e.emu, URL: e.emuURL}).Client(e.t, awsiam.Config{AccessKeyID: key, SecretAccessKey: secret})
}

// consoleUser creates an IAM user with a console password and no MFA in
// account id, outside Gatehouse: what the posture flags.
func (e *env) consoleUser(id, name string) {
	e.t.Helper()
	c := e.rootOf(id)
	if _, err := c.CreateUser(context.Background(), name, nil); err != nil {
		e.t.Fatal(err)
	}
	if err := c.CreateLoginProfile(context.Background(), name, "Corr3ct-Horse-Battery"); err != nil {
		e.t.Fatal(err)
	}
}

// metrics is what /metrics shows of e's store: a handler like e's with
// metrics on (e's own has them off), scraped once.
func (e *env) metrics() string {
	e.t.Helper()
	h, err := handlers.New(handlers.Deps{SetupBox: e.setupBox, Store: e.store, Auth: e.auth, Onboarding: e.onb, Now: e.clock, TestMode: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: handlers.NewMetrics(e.store)})
	if err != nil {
		e.t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

// addUnreachable registers account id, whose role nothing answers for:
// it is kept, marked unreachable with the reason.
func addUnreachable(t *testing.T, e *env, id string) {
	t.Helper()
	if _, err := e.onb.AddAccount(context.Background(), testActor, portal.NewAccount{ID: id, ExternalID: memberExternalID}); portal.ErrorCode(err) != portal.EUNAVAILABLE {
		t.Fatalf("account %s: want unreachable, got %v", id, err)
	}
}

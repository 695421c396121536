package handlers_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/gatehouse/portal/handlers"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
)

// serveWith replaces the env's handler by one built with testMode and
// testCodes over the same store, auth and emulator.
func (e *env) serveWith(testMode bool, testCodes func(string) []string) {
	e.t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	onb, err := onboarding.New(onboarding.Config{Store: e.store, IAM: e.iam, Logger: log, Account: e.emu.AccountID(),
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Now: e.clock})
	if err != nil {
		e.t.Fatal(err)
	}
	h, err := handlers.New(handlers.Deps{SetupBox: e.setupBox, Store: e.store, Auth: e.auth, Onboarding: onb, Logger: log, Now: e.clock,
		TestMode: testMode, TestCodes: testCodes})
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv.Config.Handler = h
}

// The virtual authenticator shows codes a phone would show: it must exist in
// test mode only, and say so.
func TestVirtualAuthenticatorOnlyInTestMode(t *testing.T) {
	codes := func(string) []string { return []string{"123456", "654321"} }
	for _, tc := range []struct {
		name      string
		testMode  bool
		testCodes func(string) []string
		want      bool
	}{
		{"absent without test mode", false, nil, false},
		{"present and labelled in test mode", true, codes, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			admin, _ := e.setupAdmin()
			inv := admin.onboard("vauth")
			e.serveWith(tc.testMode, tc.testCodes)
			_, p := e.claimAndOpenMFA(inv)
			panel := p.doc.Find(`[data-testid="virtual-authenticator"]`)
			if got := panel.Length() == 1; got != tc.want {
				t.Fatalf("virtual authenticator shown = %v, want %v", got, tc.want)
			}
			if got := strings.Contains(p.body, "Test mode"); got != tc.want {
				t.Fatalf("page labelled as test mode = %v, want %v", got, tc.want)
			}
			if tc.want {
				if got, want := p.testid("virtual-code-now"), "123456"; got != want {
					t.Fatalf("code now %q, want %q", got, want)
				}
				if !strings.Contains(panel.Text(), "Test mode") {
					t.Fatalf("panel is not labelled as test mode: %q", panel.Text())
				}
			}
		})
	}
}

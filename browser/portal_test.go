// Package browser_test drives the whole portal in a real browser (Debian's
// Chromium through chromedp): the operator, admin and invitee journeys in
// English and Japanese, axe-core accessibility checks on every page, the
// MFA step by keyboard only, and one journey with JavaScript disabled.
// With UPDATE_SCREENSHOTS=1 it rewrites docs/screenshots/.
package browser_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	gatehouse "github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/handlers"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store/storetest"
	"github.com/gatehouse/portal/webhook"
)

// portal is a whole Gatehouse in test mode: the emulator over httptest, the
// real SDK client, a SQLite file and the handlers behind httptest.
type portal struct {
	url  string
	auth *auth.Service
	onb  *onboarding.Service
}

func startPortal(t *testing.T) *portal {
	t.Helper()
	emuSrv := iamemutest.Start(t, iamemu.Options{})
	emu, iam := emuSrv.Emulator, emuSrv.Client(t, awsiam.Config{})
	st := storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	box, err := auth.NewBox([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	setupBox, err := auth.NewBoxFor([]byte(strings.Repeat("k", 32)), "setup")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// Links come from the address the portal listens on, as in test mode.
	srv := httptest.NewUnstartedServer(nil)
	links, err := gatehouse.NewLinks("http://" + srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	au, err := auth.New(auth.Config{Store: st, Box: box, Logger: log, Links: links})
	if err != nil {
		t.Fatal(err)
	}
	onb, err := onboarding.New(onboarding.Config{Store: st, IAM: iam, Logger: log, Account: emu.AccountID(),
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Links: links})
	if err != nil {
		t.Fatal(err)
	}
	bulk, err := jobs.NewBulk(jobs.BulkConfig{Store: st, Onboarding: onb, Box: box, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	runner, err := jobs.New(jobs.Config{Store: st, Holder: "browser", Poll: 20 * time.Millisecond, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	runner.Register(jobs.KindBulkOnboard, bulk.Handle)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { runner.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	hooks, err := webhook.New(webhook.Config{Store: st, Box: box, TestMode: true, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	h, err := handlers.New(handlers.Deps{Store: st, Auth: au, Onboarding: onb, Logger: log, TestMode: true, SetupBox: setupBox,
		Bulk: bulk, WakeJobs: runner.Wake, Webhooks: hooks,
		TestCodes: func(serial string) []string {
			seed, ok := emu.SeedForTest(serial)
			if !ok {
				return nil
			}
			now := time.Now()
			return []string{totpCode(t, seed, now), totpCode(t, seed, now.Add(30*time.Second))}
		}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return &portal{url: srv.URL, auth: au, onb: onb}
}

// setupURL returns the one-time first-admin setup link.
func (p *portal) setupURL(t *testing.T) string {
	t.Helper()
	token, err := p.auth.SetupLink(context.Background())
	if err != nil || token == "" {
		t.Fatalf("setup link: %q %v", token, err)
	}
	return p.url + "/setup/" + token
}

// totpCode is what an authenticator app shows for secret at time at.
func totpCode(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

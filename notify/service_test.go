package notify_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/notify"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store/storetest"
)

// The workflows send their notices through the real mailer: an MFA reset
// mails the new link in the user's language, and the reminder before the
// deadline goes out once.
func TestWorkflowsMailTheirNotices(t *testing.T) {
	ctx := context.Background()
	srv := newSMTPServer(t)
	host, port := srv.hostPort()
	mailer, err := notify.New(notify.Config{Host: host, Port: port, From: "gatehouse@example.com", PortalURL: "https://portal.example"})
	if err != nil {
		t.Fatal(err)
	}
	offset := time.Duration(0)
	now := func() time.Time { return time.Now().Add(offset) }
	emuSrv := iamemutest.Start(t, iamemu.Options{Now: now})
	emu, client := emuSrv.Emulator, emuSrv.Client(t, awsiam.Config{})
	st := storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	links, err := portal.NewLinks("https://portal.example")
	if err != nil {
		t.Fatal(err)
	}
	svc, err := onboarding.New(onboarding.Config{Store: st, IAM: client, Account: emu.AccountID(), Now: now,
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Lifecycle: onboarding.LifecycleConfig{Notifier: mailer}, Links: links})
	if err != nil {
		t.Fatal(err)
	}
	admin := onboarding.Actor{Name: "admin"}
	h, err := svc.Onboard(ctx, admin, portal.NewUser{UserName: "kenji", Email: "kenji@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetUserLang(ctx, h.User.ID, "ja"); err != nil {
		t.Fatal(err)
	}

	inv, err := svc.ResetMFA(ctx, admin, "kenji", "phone lost", "video call")
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("messages after reset = %d, want 1", len(msgs))
	}
	subject, body := parse(t, msgs[0].Data)
	if subject != "AWS の MFA デバイスがリセットされました" || !strings.Contains(body, inv.Token) {
		t.Fatalf("reset notice: %q\n%s", subject, body)
	}

	offset = 7*24*time.Hour - time.Hour // within ReminderBefore of the new deadline
	svc.RunDeadlines(ctx)
	svc.RunDeadlines(ctx)
	if got, want := len(srv.messages()), 2; got != want {
		t.Fatalf("messages after two deadline runs = %d, want %d (one reminder)", got, want)
	}
	subject, _ = parse(t, srv.messages()[1].Data)
	if subject != "リマインダー: AWS の MFA を登録してください" {
		t.Fatalf("reminder subject = %q", subject)
	}
}

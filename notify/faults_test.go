package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/notify"
	"github.com/gatehouse/portal/notify/smtptest"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
)

var admin = onboarding.Actor{Name: "admin"}

// A mail server that accepts the connection and never answers cannot hold
// a workflow: the notice is only queued. (The mailer's own timeout is an
// hour here, so only queueing can make the call return.)
func TestHungMailServerDoesNotHoldTheWorkflow(t *testing.T) {
	m := newMailEnv(t, time.Hour)
	m.smtp.SetMode(smtptest.Hang)
	ctx := context.Background()
	done := make(chan error, 1)
	go func() {
		if _, err := m.svc.Onboard(ctx, admin, portal.NewUser{UserName: "hana", Email: "hana@example.com"}); err != nil {
			done <- err
			return
		}
		_, err := m.svc.ResendInvite(ctx, admin, "hana")
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second): // a guard; the mailer would wait an hour
		t.Fatal("onboarding waited for a hung mail server")
	}
	for _, n := range m.notices(t, "hana") {
		if n.Kind != onboarding.NoticeInvite || n.State != store.NoticeQueued {
			t.Fatalf("notice %+v, want a queued invite", n)
		}
	}
}

// One delivery attempt is bounded by the mailer's timeout; a notice the
// server did not take is tried again after a back-off and then delivered.
func TestUndeliveredNoticeIsRetried(t *testing.T) {
	m := newMailEnv(t, 200*time.Millisecond)
	m.smtp.SetMode(smtptest.Hang)
	if _, err := m.svc.Onboard(context.Background(), admin, portal.NewUser{UserName: "ivo", Email: "ivo@example.com"}); err != nil {
		t.Fatal(err)
	}
	n := m.waitNotice(t, "ivo", "the first attempt never ended", func(n store.Notice) bool { return n.Attempts == 1 })
	if n.State != store.NoticeQueued || n.LastError.Key != "err.smtp.timeout" {
		t.Fatalf("after a timed-out attempt: %+v, want queued with err.smtp.timeout", n)
	}
	m.smtp.SetMode(smtptest.Accept)
	m.waitRetryRecorded(t)
	m.advance(time.Minute) // past the first back-off
	m.waitNotice(t, "ivo", "the retry never delivered", func(n store.Notice) bool { return n.State == store.NoticeSent })
	if got := len(m.smtp.Messages()); got != 1 {
		t.Fatalf("%d messages delivered, want 1", got)
	}
	if n := m.notices(t, "ivo")[0]; n.LinkSealed != nil {
		t.Fatal("the sealed invite link is kept after delivery")
	}
}

// A mail server that stays down: every attempt says it could not be
// reached, and after the last one the notice is given up, which the
// timeline records.
func TestNoticeIsGivenUpWhenTheMailServerStaysDown(t *testing.T) {
	m := newMailEnv(t, time.Second)
	m.smtp.Down()
	if _, err := m.svc.Onboard(context.Background(), admin, portal.NewUser{UserName: "jan", Email: "jan@example.com"}); err != nil {
		t.Fatal(err)
	}
	for attempt := 1; ; attempt++ {
		n := m.waitNotice(t, "jan", "an attempt never ended", func(n store.Notice) bool { return n.Attempts == attempt })
		if n.LastError.Key != "err.smtp.unreachable" {
			t.Fatalf("attempt %d: %+v, want err.smtp.unreachable", attempt, n.LastError)
		}
		if n.State == store.NoticeFailed {
			break
		}
		if attempt > 20 {
			t.Fatal("the notice is retried for ever")
		}
		m.waitRetryRecorded(t)
		m.advance(time.Hour) // past any back-off
	}
	events, err := m.st.FindAuditEvents(context.Background(), portal.AuditFilter{Target: "jan", Action: "notice.failed"})
	if err != nil || len(events) != 1 {
		t.Fatalf("audit of the given-up notice: %d events, %v", len(events), err)
	}
	if got := i18n.Text(i18n.EN, events[0].Text); got == "" {
		t.Fatal("the audit event says nothing")
	}
}

// A refusal that retrying cannot change (5xx) fails the notice at once.
func TestRefusedNoticeFailsAtOnce(t *testing.T) {
	m := newMailEnv(t, time.Second)
	m.smtp.SetMode(smtptest.Refuse)
	if _, err := m.svc.Onboard(context.Background(), admin, portal.NewUser{UserName: "kai", Email: "kai@example.com"}); err != nil {
		t.Fatal(err)
	}
	n := m.waitNotice(t, "kai", "the refusal was never recorded", func(n store.Notice) bool { return n.State != store.NoticeQueued })
	if n.State != store.NoticeFailed || n.Attempts != 1 || n.LastError.Key != "err.smtp.refused" {
		t.Fatalf("after a 550: %+v, want failed after one attempt with err.smtp.refused", n)
	}
}

// Cancelling the context ends a delivery to a mail server that never
// answers at once, not at the mailer's timeout: shutdown does not wait for
// it.
func TestCancelEndsAHungDelivery(t *testing.T) {
	srv := smtptest.Start(t)
	srv.SetMode(smtptest.Hang)
	host, port := srv.HostPort()
	mailer, err := notify.New(notify.Config{Host: host, Port: port, From: "gatehouse@example.com", Timeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- mailer.Notify(ctx, onboarding.Notice{Kind: onboarding.NoticeInvite, To: "lea@example.com", Lang: "en", UserName: "lea", InviteURL: "https://portal.example/i/x"})
	}()
	time.Sleep(100 * time.Millisecond) // the client is waiting for the greeting
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a cancelled delivery to a silent server reported success")
		}
	case <-time.After(10 * time.Second): // a guard; the mailer would wait an hour
		t.Fatal("cancelling did not end the delivery")
	}
}

package notify_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/iamemu"
	"github.com/gatehouse/portal/iamemu/iamemutest"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/jobs"
	"github.com/gatehouse/portal/notify"
	"github.com/gatehouse/portal/notify/smtptest"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/policy"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// mailEnv is the onboarding service with e-mail through the real mailer to
// a test SMTP server, and the job runner that delivers the notices, on one
// clock the test can move (for the retries' back-off).
type mailEnv struct {
	smtp   *smtptest.Server
	st     *store.Store
	svc    *onboarding.Service
	runner *jobs.Runner
	mu     sync.Mutex
	offset time.Duration
}

func (m *mailEnv) now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return time.Now().Add(m.offset)
}

// advance moves the clock and wakes the runner.
func (m *mailEnv) advance(d time.Duration) {
	m.mu.Lock()
	m.offset += d
	m.mu.Unlock()
	m.runner.Wake()
}

// newMailEnv wires it; timeout bounds one delivery attempt.
func newMailEnv(t *testing.T, timeout time.Duration) *mailEnv {
	t.Helper()
	m := &mailEnv{smtp: smtptest.Start(t)}
	host, port := m.smtp.HostPort()
	mailer, err := notify.New(notify.Config{Host: host, Port: port, From: "gatehouse@example.com", PortalURL: "https://portal.example", Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	emuSrv := iamemutest.Start(t, iamemu.Options{Now: m.now})
	m.st = storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	links, err := portal.NewLinks("https://portal.example")
	if err != nil {
		t.Fatal(err)
	}
	box, err := auth.NewBox([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	m.svc, err = onboarding.New(onboarding.Config{Store: m.st, IAM: emuSrv.Client(t, awsiam.Config{}), Account: emuSrv.AccountID(), Now: m.now,
		PolicyName: policy.SeedName, PolicyDocument: policy.Seed, Logger: quiet,
		Lifecycle: onboarding.LifecycleConfig{Notifier: mailer, Box: box}, Links: links})
	if err != nil {
		t.Fatal(err)
	}
	m.runner, err = jobs.New(jobs.Config{Store: m.st, Holder: "test", Poll: 5 * time.Millisecond, Logger: quiet, Now: m.now})
	if err != nil {
		t.Fatal(err)
	}
	m.runner.Register(store.JobNotice, jobs.Notices(m.svc))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.runner.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return m
}

// notices returns the user's notices, newest first.
func (m *mailEnv) notices(t *testing.T, user string) []store.Notice {
	t.Helper()
	u, err := m.st.FindUserByName(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	ns, err := m.st.FindNotices(context.Background(), u.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// waitRetryRecorded waits until no job is running, so the retry time was
// written against the clock as it is: moving the clock before that would
// put the retry after the moved clock, and it would never come.
func (m *mailEnv) waitRetryRecorded(t *testing.T) {
	t.Helper()
	eventually.True(t, 20*time.Second, 5*time.Millisecond, "the retry was never recorded", func() bool {
		n, err := m.st.CountJobs(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n[store.JobRunning] == 0
	})
}

// waitNotice waits until the user's latest notice satisfies cond.
func (m *mailEnv) waitNotice(t *testing.T, user, what string, cond func(store.Notice) bool) store.Notice {
	t.Helper()
	var last store.Notice
	eventually.True(t, 20*time.Second, 5*time.Millisecond, what, func() bool {
		ns := m.notices(t, user)
		if len(ns) == 0 {
			return false
		}
		last = ns[0]
		return cond(last)
	})
	return last
}

// The workflows send their notices through the real mailer: an MFA reset
// mails the new link in the user's language, and the reminder before the
// deadline goes out once.
func TestWorkflowsMailTheirNotices(t *testing.T) {
	ctx := context.Background()
	m := newMailEnv(t, 0)
	admin := onboarding.Actor{Name: "admin"}
	h, err := m.svc.Onboard(ctx, admin, portal.NewUser{UserName: "kenji", Email: "kenji@example.com", Lang: "ja"})
	if err != nil {
		t.Fatal(err)
	}
	if !h.EmailQueued {
		t.Fatal("the invite was not queued for e-mail")
	}
	m.waitNotice(t, "kenji", "the invite was never delivered", func(n store.Notice) bool { return n.State == store.NoticeSent })
	subject, body := parse(t, m.smtp.Messages()[0].Data)
	if subject != "AWS へのサインインのご案内" || !strings.Contains(body, h.InviteToken) {
		t.Fatalf("invite notice: %q\n%s", subject, body)
	}

	inv, err := m.svc.ResetMFA(ctx, admin, "kenji", "phone lost", "video call")
	if err != nil {
		t.Fatal(err)
	}
	m.waitNotice(t, "kenji", "the reset notice was never delivered", func(n store.Notice) bool {
		return n.Kind == onboarding.NoticeMFAReset && n.State == store.NoticeSent
	})
	msgs := m.smtp.Messages()
	if len(msgs) != 2 {
		t.Fatalf("messages after reset = %d, want 2", len(msgs))
	}
	subject, body = parse(t, msgs[1].Data)
	if subject != "AWS の MFA デバイスがリセットされました" || !strings.Contains(body, inv.Token) {
		t.Fatalf("reset notice: %q\n%s", subject, body)
	}

	// The deadline comes within ReminderBefore. (Moving it rather than the
	// clock: a clock jumping days ahead while the runner is between reading
	// the time and claiming would let it claim the new reminder job with a
	// lease that already ran out, and run it twice.)
	if _, err := m.svc.ExtendDeadline(ctx, admin, "kenji", m.now().Add(time.Hour), "the reminder test"); err != nil {
		t.Fatal(err)
	}
	m.svc.RunDeadlines(ctx)
	m.svc.RunDeadlines(ctx)
	m.waitNotice(t, "kenji", "the reminder was never delivered", func(n store.Notice) bool {
		return n.Kind == onboarding.NoticeReminder && n.State == store.NoticeSent
	})
	if got, want := len(m.smtp.Messages()), 3; got != want {
		var subjects []string
		for _, msg := range m.smtp.Messages() {
			s, _ := parse(t, msg.Data)
			subjects = append(subjects, s)
		}
		t.Fatalf("messages after two deadline runs = %d, want %d (one reminder): %q", got, want, subjects)
	}
	subject, _ = parse(t, m.smtp.Messages()[2].Data)
	if subject != "リマインダー: AWS の MFA を登録してください" {
		t.Fatalf("reminder subject = %q", subject)
	}
}

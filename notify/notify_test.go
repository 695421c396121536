package notify_test

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal/notify"
	"github.com/gatehouse/portal/notify/smtptest"
	"github.com/gatehouse/portal/onboarding"
)

type mimeDecoder = mime.WordDecoder

func decodeBody(t *testing.T, m *mail.Message) string {
	t.Helper()
	b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, m.Body))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNoticesArriveInTheUsersLanguage(t *testing.T) {
	srv := smtptest.Start(t)
	host, port := srv.HostPort()
	m, err := notify.New(notify.Config{Host: host, Port: port, From: "gatehouse@example.com", PortalURL: "https://portal.example"})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Date(2030, 1, 2, 3, 4, 0, 0, time.UTC)
	for _, tc := range []struct {
		n            onboarding.Notice
		subject      string
		bodyContains []string
	}{
		{onboarding.Notice{Kind: onboarding.NoticeInvite, To: "a@example.com", Lang: "en", UserName: "alice", InviteURL: "https://portal.example/invite/TOKEN", Deadline: deadline},
			"Your AWS sign-in invitation", []string{"alice", "https://portal.example/invite/TOKEN", "2030-01-02 03:04 UTC", "never sends passwords"}},
		{onboarding.Notice{Kind: onboarding.NoticeMFAReset, To: "k@example.com", Lang: "ja", UserName: "kenji", InviteURL: "https://portal.example/invite/T2", Deadline: deadline},
			"AWS の MFA デバイスがリセットされました", []string{"kenji さん", "https://portal.example/invite/T2"}},
		{onboarding.Notice{Kind: onboarding.NoticeReminder, To: "a@example.com", UserName: "alice", Deadline: deadline},
			"Reminder: set up MFA for AWS", []string{"https://portal.example", "Deadline: 2030-01-02"}},
		{onboarding.Notice{Kind: onboarding.NoticeOverdue, To: "k@example.com", Lang: "ja", UserName: "kenji", Deadline: deadline},
			"AWS の MFA 登録の期限が過ぎました", []string{"期限: 2030-01-02"}},
		{onboarding.Notice{Kind: onboarding.NoticeEnrolled, To: "a@example.com", Lang: "en", UserName: "alice", Deadline: deadline},
			"MFA is set up for your AWS user", []string{"MFA is now active"}},
	} {
		t.Run(tc.n.Kind+" in "+tc.n.Lang, func(t *testing.T) {
			before := len(srv.Messages())
			if err := m.Notify(context.Background(), tc.n); err != nil {
				t.Fatal(err)
			}
			msgs := srv.Messages()
			if got, want := len(msgs), before+1; got != want {
				t.Fatalf("messages = %d, want %d", got, want)
			}
			got := msgs[len(msgs)-1]
			if !strings.Contains(got.To, tc.n.To) {
				t.Fatalf("RCPT TO %q, want %q", got.To, tc.n.To)
			}
			subject, body := parse(t, got.Data)
			if subject != tc.subject {
				t.Fatalf("subject = %q, want %q", subject, tc.subject)
			}
			for _, want := range tc.bodyContains {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q:\n%s", want, body)
				}
			}
			if strings.Contains(body, "%!") {
				t.Errorf("formatting error in body:\n%s", body)
			}
		})
	}
}

func TestComposeRefusesHeaderInjection(t *testing.T) {
	_, err := notify.Compose("gatehouse@example.com", onboarding.Notice{Kind: onboarding.NoticeInvite, To: "a@example.com\r\nBcc: evil@example.com"}, "")
	if err == nil {
		t.Fatal("an address with a line break was accepted")
	}
}

func TestAnUnreachableServerIsAnError(t *testing.T) {
	m, _ := notify.New(notify.Config{Host: "127.0.0.1", Port: "1", From: "g@example.com", Timeout: time.Second})
	if err := m.Notify(context.Background(), onboarding.Notice{Kind: onboarding.NoticeInvite, To: "a@example.com"}); err == nil {
		t.Fatal("no error for an unreachable SMTP server")
	}
}

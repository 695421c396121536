package handlers_test

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/internal/eventually"
	"github.com/gatehouse/portal/notify/smtptest"
	"github.com/gatehouse/portal/onboarding"
	"github.com/gatehouse/portal/store"
)

// The posture page's remedy for extra and old access keys: a notice e-mail
// to each ticked managed user, in their language, naming the keys (never a
// secret), queued as a durable job and audited with the admin's reason.
// Users Gatehouse does not manage are listed as "adopt first"; a form
// without a user or a reason is refused and shown again as it was.
func TestPostureKeyNotice(t *testing.T) {
	mailSrv := smtptest.Start(t)
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")), envOptions{smtp: mailSrv})
	admin := e.clientAs(e.mintOperator("admin", portal.RoleAdmin))
	ctx := context.Background()
	if p := admin.post("/users", url.Values{"user_name": {"keiko"}, "display_name": {"Keiko"}, "email": {"keiko@example.com"}, "lang": {"ja"}}); p.status != http.StatusCreated {
		t.Fatalf("onboard keiko: %d %s", p.status, p.formError())
	}
	if _, err := e.iam.CreateUser(ctx, "outsider", nil); err != nil {
		t.Fatal(err)
	}
	secrets := []string{e.createAccessKey("keiko"), e.createAccessKey("keiko"), e.createAccessKey("outsider"), e.createAccessKey("outsider")}
	keys, err := e.iam.ListAccessKeys(ctx, "keiko")
	if err != nil || len(keys) != 2 {
		t.Fatalf("keiko's keys: %v %v", keys, err)
	}
	if p := admin.post("/sync", nil); p.status != http.StatusSeeOther {
		t.Fatalf("sync: %d", p.status)
	}

	p := admin.get("/posture")
	if res, users := p.control("iam_user_two_active_access_key"); res != "fail" || strings.Join(users, ",") != "keiko,outsider" {
		t.Fatalf("two keys: %s %v", res, users)
	}
	form := p.doc.Find(`[data-control="iam_user_two_active_access_key"] form`)
	if form.AttrOr("action", "") != "/posture/notice" || form.Find(`input[name="user"][value="keiko"]`).Length() != 1 ||
		form.Find(`input[name="user"][value="outsider"]`).Length() != 0 ||
		form.Find(`[data-user="outsider"] [data-testid="adopt-first"]`).Length() != 1 {
		t.Fatalf("the notice form does not offer keiko and list outsider as adopt-first")
	}

	p = admin.get("/posture/notice?control=iam_user_two_active_access_key&user=keiko&user=outsider")
	if p.status != http.StatusOK || p.doc.Find(`[data-testid="notice-user"][data-user="keiko"] input[name="user"][checked]`).Length() != 1 ||
		!strings.Contains(p.doc.Find(`[data-testid="notice-unreachable"][data-user="outsider"]`).Text(), "adopt first") {
		t.Fatalf("confirmation %d: %s", p.status, p.body)
	}

	t.Run("no user ticked: refused, the reason and the offered users kept", func(t *testing.T) {
		p := admin.post("/posture/notice", url.Values{"offered": {"keiko"}, "reason": {"CIS 1.13 review"}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "Select at least one user") {
			t.Fatalf("%d %q", p.status, p.formError())
		}
		if p.doc.Find(`input[name="reason"]`).AttrOr("value", "") != "CIS 1.13 review" ||
			p.doc.Find(`[data-testid="notice-user"][data-user="keiko"] input[name="user"]`).Length() != 1 {
			t.Fatalf("input lost: %s", p.body)
		}
	})
	t.Run("no reason: refused, the ticked users kept", func(t *testing.T) {
		p := admin.post("/posture/notice", url.Values{"offered": {"keiko"}, "user": {"keiko"}, "reason": {"  "}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "Say why") {
			t.Fatalf("%d %q", p.status, p.formError())
		}
		if p.doc.Find(`[data-testid="notice-user"][data-user="keiko"] input[name="user"][checked]`).Length() != 1 {
			t.Fatalf("keiko not ticked any more: %s", p.body)
		}
	})
	if n := len(mailSrv.Messages()); n != 1 { // the invite only
		t.Fatalf("%d messages before any notice was confirmed", n)
	}

	p = admin.post("/posture/notice", url.Values{"offered": {"keiko", "outsider"}, "user": {"keiko", "outsider"}, "reason": {"CIS 1.13 review"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "outsider is not managed by Gatehouse") {
		t.Fatalf("outsider: %d %q", p.status, p.formError())
	}
	if got := p.testid("noticed"); !strings.Contains(got, "keiko") || !strings.Contains(got, "2 access key(s)") {
		t.Fatalf("done: %q", got)
	}
	var subject, body string
	eventually.True(t, 20*time.Second, 10*time.Millisecond, "keiko never got the notice", func() bool {
		for _, m := range mailSrv.Messages() {
			if strings.Contains(m.To, "keiko@example.com") {
				if s, b := mailBodyOf(t, m); strings.Contains(s, "アクセスキー") {
					subject, body = s, b
					return true
				}
			}
		}
		return false
	})
	for _, k := range keys {
		if !strings.Contains(body, k.ID) {
			t.Errorf("the notice does not name key %s: %q", k.ID, body)
		}
	}
	if !strings.Contains(body, "有効なキー 2 つのうちの 1 つ") || !strings.Contains(body, "signin.aws.amazon.com") || subject != "対応のお願い: AWS のアクセスキー" {
		t.Errorf("not the Japanese notice with the sign-in link: %q %q", subject, body)
	}
	for _, m := range mailSrv.Messages() {
		for _, s := range secrets {
			if strings.Contains(m.Data, s) || strings.Contains(m.Data, base64.StdEncoding.EncodeToString([]byte(s))) {
				t.Fatal("a secret access key was e-mailed")
			}
		}
	}
	if got := e.audited("keiko", "credentials.notice"); len(got) != 1 || !strings.Contains(got[0], keys[0].ID) ||
		!strings.Contains(got[0], "keiko@example.com") || !strings.HasSuffix(got[0], "reason: CIS 1.13 review") {
		t.Fatalf("audit: %q", got)
	}
	if got := e.audited("outsider", "credentials.notice"); len(got) != 0 {
		t.Fatalf("outsider audited: %q", got)
	}
}

// mailBodyOf decodes one message's subject and body.
func mailBodyOf(t *testing.T, m smtptest.Message) (string, string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(m.Data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return subject, string(b)
}

// The weekly posture report goes through the job runner and the real
// mailer: queued by the sweep after a sync, it arrives in the recipient's
// language with the coverage, the failing controls and the posture page.
func TestWeeklyPostureReportIsMailed(t *testing.T) {
	mailSrv := smtptest.Start(t)
	e := newEnvWith(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db")), envOptions{smtp: mailSrv,
		reportTo: []onboarding.ReportRecipient{{To: "kansa@example.jp", Lang: "ja"}}})
	admin := e.clientAs(e.mintOperator("admin", portal.RoleAdmin))
	ctx := context.Background()
	if _, err := e.iam.CreateUser(ctx, "legacy", nil); err != nil {
		t.Fatal(err)
	}
	if err := e.iam.CreateLoginProfile(ctx, "legacy", "Corr3ct-Horse-Battery"); err != nil {
		t.Fatal(err)
	}
	if p := admin.post("/sync", nil); p.status != http.StatusSeeOther {
		t.Fatalf("sync: %d", p.status)
	}
	e.onb.QueueWeeklyReports(ctx)
	e.onb.QueueWeeklyReports(ctx)
	var subject, body string
	eventually.True(t, 20*time.Second, 10*time.Millisecond, "the weekly report never arrived", func() bool {
		for _, m := range mailSrv.Messages() {
			if strings.Contains(m.To, "kansa@example.jp") {
				subject, body = mailBodyOf(t, m)
				return true
			}
		}
		return false
	})
	for _, want := range []string{"MFA カバー率: 0%（1 人中 0 人）", "コンソールユーザーに MFA が設定されている（CIS 1.10、iam_user_mfa_enabled_console_access）: 1 件", "/posture"} {
		if !strings.Contains(body, want) {
			t.Errorf("the report lacks %q:\n%s", want, body)
		}
	}
	if subject != "AWS 認証情報のセキュリティ状況（週次）" {
		t.Errorf("subject %q", subject)
	}
	n := 0
	for _, m := range mailSrv.Messages() {
		if strings.Contains(m.To, "kansa@example.jp") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d reports for one recipient in one week", n)
	}
}

// Without e-mail the notice form says so and offers nothing to send; a
// crafted post is refused per user with the reason in words.
func TestPostureKeyNoticeWithoutEmail(t *testing.T) {
	e := newEnv(t)
	c, _ := e.setupAdmin()
	c.onboard("keiko")
	p := c.get("/posture/notice?user=keiko")
	if p.testid("mail-off") == "" || p.doc.Find(`input[name="user"]`).Length() != 0 {
		t.Fatalf("no mail-off note, or a form to send: %d %s", p.status, p.body)
	}
	p = c.post("/posture/notice", url.Values{"user": {"keiko"}, "reason": {"CIS 1.13"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.formError(), "E-mail is not configured") {
		t.Fatalf("%d %q", p.status, p.formError())
	}
	if got := e.audited("keiko", "credentials.notice"); len(got) != 0 {
		t.Fatalf("audited without sending: %q", got)
	}
}

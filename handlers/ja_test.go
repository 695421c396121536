package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// englishRE finds an English sentence fragment: three or more ASCII words
// in a row.
var englishRE = regexp.MustCompile(`[A-Za-z]{2,}(?:[ ,;:'’]+[A-Za-z]{2,}){2,}`)

// jaText fails t when text (what a Japanese reader sees) is empty or holds
// an English sentence.
func jaText(t *testing.T, what, text string) {
	t.Helper()
	if strings.TrimSpace(text) == "" {
		t.Errorf("%s: no text shown", what)
		return
	}
	if m := englishRE.FindString(text); m != "" {
		t.Errorf("%s shows English (%q) on a Japanese page: %q", what, m, text)
	}
}

// The main error paths, with the page in Japanese, show Japanese: the
// invalid invite page invitees see, onboarding errors (bad and duplicate
// names), the deadline and offboarding errors, sign-in, the sync summary
// and the kept audit details of a user's timeline.
func TestErrorsAreJapaneseOnJapanesePages(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.setupAdmin()
	admin.get("/users?lang=ja") // the language is remembered in a cookie
	admin.onboard("taro")

	invitee := e.newClient()
	p := invitee.get("/invite/not-a-real-token?lang=ja")
	jaText(t, "invalid invite page", p.formError())
	if p.status == http.StatusOK {
		t.Errorf("invalid invite: status %d", p.status)
	}

	for _, tc := range []struct {
		name, path string
		form       url.Values
	}{
		{"invalid user name", "/users", url.Values{"user_name": {"with space"}}},
		{"duplicate user name", "/users", url.Values{"user_name": {"TARO"}}},
		{"deadline not a date", "/users/taro/extend", url.Values{"deadline": {"soon"}, "reason": {"x"}}},
		{"deadline without a reason", "/users/taro/extend", url.Values{"deadline": {"2099-01-01"}}},
		{"offboarding without a reason", "/users/taro/offboard", url.Values{"confirm_name": {"taro"}}},
		{"offboarding with the wrong name", "/users/taro/offboard", url.Values{"confirm_name": {"jiro"}, "reason": {"退職"}}},
		{"revoking an invite that is not there", "/users/nobody/revoke-invite", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := admin.post(tc.path, tc.form)
			if p.status < 400 {
				t.Fatalf("status %d, want an error", p.status)
			}
			jaText(t, tc.name, p.formError())
		})
	}

	t.Run("sign-in failure", func(t *testing.T) {
		c := e.newClient()
		c.get("/signin?lang=ja")
		p := c.post("/signin", url.Values{"username": {"admin"}, "password": {"wrong password!"}, "code": {"000000"}})
		jaText(t, "sign-in failure", p.formError())
	})

	t.Run("the audit CSV stays English", func(t *testing.T) {
		p := admin.get("/audit.csv")
		if p.status != http.StatusOK || !strings.Contains(p.body, "IAM user created, policy attached, invite issued") || strings.Contains(p.body, "招待を発行") {
			t.Fatalf("audit CSV (status %d) is not in English:\n%s", p.status, p.body)
		}
		p = admin.get("/audit")
		if !strings.Contains(p.body, "IAM ユーザーを作成し、ポリシーをアタッチして、招待を発行しました") {
			t.Errorf("the audit log page does not show the kept detail in Japanese")
		}
	})

	t.Run("sync summary and timeline", func(t *testing.T) {
		if p := admin.post("/sync", nil); p.status != http.StatusSeeOther {
			t.Fatalf("sync: status %d: %s", p.status, p.formError())
		}
		p := admin.get("/dashboard?synced=1")
		jaText(t, "sync summary", p.testid("sync-detail"))
		p = admin.get("/users/taro")
		found := false
		p.doc.Find("td").Each(func(_ int, s *goquery.Selection) {
			if strings.Contains(s.Text(), "招待") {
				found = true
			}
		})
		if !found {
			t.Errorf("the timeline shows no Japanese detail of the onboarding event:\n%s", p.body)
		}
	})
}

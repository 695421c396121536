package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/onboarding"
)

// Every e-mail renders in both languages from its catalog template: the
// user name and the link are in it, no template or fmt artefact is left,
// and the deadline shows only where the notice has one.
func TestEveryMailRendersInBothLanguages(t *testing.T) {
	deadline := time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)
	for _, kind := range kinds {
		if kind == onboarding.NoticeKeys || kind == onboarding.NoticePostureReport {
			continue // TestKeyNoticeAndReportRender
		}
		for _, lang := range []string{"en", "ja"} {
			n := onboarding.Notice{Kind: kind, Lang: lang, UserName: "taro", InviteURL: "https://gh.example/invite/x", Deadline: deadline}
			subject, body, err := render(n, "https://gh.example")
			if err != nil {
				t.Fatalf("%s/%s: %v", kind, lang, err)
			}
			if subject == "" || !strings.Contains(body, "taro") || !strings.Contains(body, "https://gh.example") {
				t.Errorf("%s/%s: subject %q, body %q", kind, lang, subject, body)
			}
			for _, bad := range []string{"{{", "}}", "%!", "<no value>"} {
				if strings.Contains(body, bad) {
					t.Errorf("%s/%s: body holds %q: %q", kind, lang, bad, body)
				}
			}
			if (kind != onboarding.NoticeEnrolled) != strings.Contains(body, "2026-12-24 09:00 UTC") {
				t.Errorf("%s/%s: deadline shown wrongly: %q", kind, lang, body)
			}
		}
	}
	if _, _, err := render(onboarding.Notice{Kind: "nonsense"}, ""); err == nil {
		t.Error("an unknown notice kind renders")
	}
}

// The access-key notice names each key with what is wrong with it and the
// console sign-in link; the weekly report gives the coverage, the delta,
// each failing control with its count and the posture page — in both
// languages, with no template artefact.
func TestKeyNoticeAndReportRender(t *testing.T) {
	created := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	keys := onboarding.Notice{Kind: onboarding.NoticeKeys, UserName: "taro", SigninURL: "https://123456789012.signin.aws.amazon.com/console",
		Keys: []onboarding.NoticeKey{{ID: "AKIAOLD", Created: created, Old: true, Extra: true}, {ID: "AKIANEW", Created: created.AddDate(0, 3, 0), Extra: true}}}
	report := onboarding.Notice{Kind: onboarding.NoticePostureReport, PageURL: "https://gh.example/posture", Report: &onboarding.PostureSummary{
		At: created, Coverage: 200.0 / 3, Delta: 12.5, ConsoleMFA: 2, ConsoleUsers: 3,
		Failing: []onboarding.FailingControl{{ID: "iam_user_mfa_enabled_console_access", CIS: "1.10", Title: "posture.console_mfa.title", Count: 1}}}}
	for _, tc := range []struct {
		lang string
		n    onboarding.Notice
		want []string
	}{
		{"en", keys, []string{"taro", "AKIAOLD (created 2026-08-01): 90 days old or more; rotate it; one of two active keys", "AKIANEW (created 2026-11-01): one of two active",
			"https://123456789012.signin.aws.amazon.com/console", "https://gh.example", "Security credentials"}},
		{"ja", keys, []string{"taro", "AKIAOLD（作成日 2026-08-01）: 作成から 90 日以上", "AKIANEW", "セキュリティ認証情報", "signin.aws.amazon.com"}},
		{"en", report, []string{"66.7% (2 of 3), +12.5 points", "Console users have MFA (CIS 1.10, iam_user_mfa_enabled_console_access): 1 failing", "https://gh.example/posture"}},
		{"ja", report, []string{"66.7%（3 人中 2 人）、過去 7 日間で +12.5 ポイント", "コンソールユーザーに MFA が設定されている（CIS 1.10", "https://gh.example/posture"}},
	} {
		tc.n.Lang = tc.lang
		subject, body, err := render(tc.n, "https://gh.example")
		if err != nil || subject == "" {
			t.Fatalf("%s/%s: %q %v", tc.n.Kind, tc.lang, subject, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s/%s: body lacks %q:\n%s", tc.n.Kind, tc.lang, w, body)
			}
		}
		for _, bad := range []string{"{{", "}}", "%!", "<no value>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s/%s: body holds %q", tc.n.Kind, tc.lang, bad)
			}
		}
	}
	report.Report.Failing, report.Lang = nil, "en"
	if _, body, _ := render(report, ""); !strings.Contains(body, "- none") {
		t.Errorf("a report without failing controls does not say none: %q", body)
	}
}

// With several accounts the report has a line for each, in the reader's
// language: a reachable one's own coverage, its change and its failing
// controls, an unreachable one with why the sync skipped it, and one never
// recorded; a report of the hub alone has no such section.
func TestReportRendersEveryAccount(t *testing.T) {
	at := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	sum := &onboarding.PostureSummary{At: at, Coverage: 50, ConsoleMFA: 1, ConsoleUsers: 2, Accounts: []onboarding.AccountSummary{
		{ID: "111111111111", Label: "111111111111", Recorded: true, At: at, Coverage: 50, ConsoleMFA: 1, ConsoleUsers: 2, Failing: 3},
		{ID: "222222222222", Label: "prod (222222222222)", Recorded: true, At: at, Coverage: 25, Delta: -5, ConsoleMFA: 1, ConsoleUsers: 4, Failing: 2},
		{ID: "333333333333", Label: "sandbox (333333333333)", Skipped: portal.T("account.reason.norole")},
		{ID: "444444444444", Label: "444444444444"},
	}}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"Every account:", "- prod (222222222222): MFA coverage 25% (1 of 4), -5 points over 7 days, 2 failing controls",
			"- sandbox (333333333333): skipped by the sync, it cannot be reached: The role does not exist in the account.", "- 444444444444: no posture recorded yet"}},
		{"ja", []string{"アカウントごと:", "- prod (222222222222): MFA カバー率 25%（4 人中 1 人）、過去 7 日間で -5 ポイント、不合格のコントロール 2 件",
			"- sandbox (333333333333): 到達できないため同期でスキップされました: アカウントにロールが存在しません。"}},
	} {
		_, body, err := render(onboarding.Notice{Kind: onboarding.NoticePostureReport, Lang: tc.lang, Report: sum}, "https://gh.example")
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: body lacks %q:\n%s", tc.lang, w, body)
			}
		}
	}
	sum.Accounts = nil
	if _, body, _ := render(onboarding.Notice{Kind: onboarding.NoticePostureReport, Lang: "en", Report: sum}, ""); strings.Contains(body, "Every account") {
		t.Errorf("a hub-only report has a per-account section: %q", body)
	}
}

package web

import (
	"context"
	"strings"
	"testing"
)

// The console walkthrough must use the console's own menu names, exactly as
// the seed (a Japanese blog post) names them, so a person can find them.
func TestConsoleWalkthroughUsesTheSeedsMenuNames(t *testing.T) {
	ja := WithLang(context.Background(), JA)
	var page strings.Builder
	for _, k := range []string{"console.1", "console.2", "console.3", "console.4", "console.5", "console.6", "console.7", "console.8"} {
		page.WriteString(T(ja, k, "x", "y"))
	}
	for _, name := range []string{"「アカウント名@アカウントID」", "「セキュリティ認証情報」", "「MFAを割り当てる」", "「MFAを追加」", "「サインアウト」"} {
		if !strings.Contains(page.String(), name) {
			t.Errorf("the Japanese walkthrough does not name %s", name)
		}
	}
	done := T(ja, "done.pw") + T(ja, "done.key") + T(ja, "done.git") + T(ja, "done.now.intro")
	for _, name := range []string{"「コンソールパスワードの更新」", "「パスワードを変更」", "「アクセスキーを作成」", "コマンドラインインターフェース(CLI)", "「説明タグを設定」", "「AWS CodeCommit 認証情報」", "「認証情報を生成」"} {
		if !strings.Contains(done, name) {
			t.Errorf("the Japanese done page does not name %s", name)
		}
	}
}

// Service errors are written in English; the Japanese page shows them in
// Japanese, including those with a value in them.
func TestLocalizeError(t *testing.T) {
	ja, en := WithLang(context.Background(), JA), WithLang(context.Background(), EN)
	for _, tc := range []struct{ name, msg, want string }{
		{"exact message", "Your MFA device is set up already.", "MFA デバイスは既に設定済みです。"},
		{"message with a value", `An IAM user named "bob" already exists in this AWS account (IAM compares names ignoring case). Choose another name.`, `IAM ユーザー "bob" はこの AWS アカウントに既に存在します(IAM は大文字と小文字を区別しません)。別の名前を選んでください。`},
		{"unknown message stays English", "Something new.", "Something new."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := localizeError(ja, tc.msg); got != tc.want {
				t.Fatalf("ja: %q, want %q", got, tc.want)
			}
			if got := localizeError(en, tc.msg); got != tc.msg {
				t.Fatalf("en: %q, want it unchanged", got)
			}
		})
	}
}

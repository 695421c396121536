package web

import (
	"context"
	"strings"
	"testing"
)

// The console walkthrough must use the console's own menu names, exactly as
// the seed (a Japanese blog post) names them, so a person can find them; the
// account menu shows the IAM user name @ the account, not an "account name".
func TestConsoleWalkthroughUsesTheSeedsMenuNames(t *testing.T) {
	ja := WithLang(context.Background(), JA)
	var page strings.Builder
	for _, k := range []string{"console.1", "console.2", "console.3", "console.4", "console.5", "console.6", "console.7", "console.8"} {
		page.WriteString(T(ja, k, "x", "y"))
	}
	for _, name := range []string{"「IAM ユーザー名 @ x」", "「セキュリティ認証情報」", "「MFAを割り当てる」", "「MFAを追加」", "「サインアウト」"} {
		if !strings.Contains(page.String(), name) {
			t.Errorf("the Japanese walkthrough does not name %s", name)
		}
	}
	done := T(ja, "done.pw") + T(ja, "done.key") + T(ja, "done.now.intro")
	for _, name := range []string{"「コンソールパスワードの更新」", "「パスワードを変更」", "「アクセスキーを作成」", "コマンドラインインターフェース(CLI)", "「説明タグを設定」"} {
		if !strings.Contains(done, name) {
			t.Errorf("the Japanese done page does not name %s", name)
		}
	}
}

// Japanese pages say lang="ja", and the stylesheet keeps Japanese phrases
// whole when a line wraps (no lone character on the next line) while still
// wrapping an overlong run.
func TestJapaneseLinesBreakBetweenPhrases(t *testing.T) {
	var page strings.Builder
	if err := ErrorPage(Page{Title: "x"}, "見出し", "本文").Render(WithLang(context.Background(), JA), &page); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), `<html lang="ja"`) {
		t.Fatalf("a Japanese page does not say lang=\"ja\": %.200s", page.String())
	}
	css, err := staticFS.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range []string{":lang(ja)", "word-break: auto-phrase", "line-break: strict", "overflow-wrap: anywhere"} {
		if !strings.Contains(string(css), rule) {
			t.Errorf("app.css lacks %q", rule)
		}
	}
}

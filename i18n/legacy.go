package i18n

import (
	"fmt"
	"regexp"
	"strings"
)

// errorsJA translates the messages that services write for people (in
// English, in portal.Error.Message) into Japanese. Keys are the English
// format strings; a verb (%s, %q, %d) matches any text and is passed on in
// order. A message without a translation is shown in English.
var errorsJA = map[string]string{
	"A display name can be at most 128 characters long.":                                         "表示名は 128 文字以内で入力してください。",
	"A user name can be at most 64 characters long (this one has %d).":                           "ユーザー名は 64 文字以内です(入力は %s 文字です)。",
	"A user name is at most 64 characters, without spaces.":                                      "ユーザー名はスペースなしの 64 文字以内です。",
	"A user name may contain only letters, digits and the characters + = , . @ _ - (no spaces).": "ユーザー名に使えるのは英字、数字、記号 + = , . @ _ - だけです(スペースは使えません)。",
	"AWS IAM did not answer in time. Please try again.":                                          "AWS IAM の応答がありませんでした。もう一度お試しください。",
	"AWS did not accept these codes. Most often the two codes were not consecutive (enter the code shown now, wait for the next one, enter it), too much time passed before you pressed the button, or the phone's clock is off. Keep the same entry in your app and try again with two fresh codes.": "AWS がこのコードを受け付けませんでした。よくある原因は、2 つのコードが連続していない(今のコードを入力し、次のコードに切り替わるのを待って入力する)、ボタンを押すまでに時間がかかりすぎた、スマートフォンの時刻がずれている、のいずれかです。アプリのエントリはそのままにして、新しい 2 つのコードでもう一度お試しください。",
	"An IAM user named %q already exists in this AWS account (IAM compares names ignoring case). Choose another name.": "IAM ユーザー %s はこの AWS アカウントに既に存在します(IAM は大文字と小文字を区別しません)。別の名前を選んでください。",
	"Choose a user name.": "ユーザー名を入力してください。",
	"Enter a user name.":  "ユーザー名を入力してください。",
	"Enter an e-mail address like name@example.com, or leave it empty.":                    "name@example.com のようなメールアドレスを入力するか、空欄のままにしてください。",
	"Enter the 6-digit code your authenticator app shows now (digits only).":               "認証アプリに今表示されている 6 桁のコードを入力してください(数字のみ)。",
	"Enter the deadline as a date (YYYY-MM-DD).":                                           "期限は日付(YYYY-MM-DD)で入力してください。",
	"Enter the next 6-digit code: wait until the app shows a new code, then type it here.": "次の 6 桁のコードを入力してください。アプリに新しいコードが表示されるまで待ってから入力します。",
	"Gatehouse could not reach AWS IAM. Please try again in a moment.":                     "Gatehouse が AWS IAM に接続できませんでした。少し待ってからもう一度お試しください。",
	"Gatehouse already manages a user named %s.":                                           "Gatehouse は既にユーザー %s を管理しています。",
	"Onboarding of %s is complete already.":                                                "%s の作成は既に完了しています。",
	"Open the setup link again to get your authenticator secret.":                          "セットアップリンクをもう一度開いて、認証アプリのシークレットを取得してください。",
	"Open your invite link first: this page belongs to the setup it starts.":               "先に招待リンクを開いてください。このページは招待リンクから始まる設定の一部です。",
	"Please sign in first.": "先にサインインしてください。",
	"Please sign in.":       "サインインしてください。",
	"Sign-in failed: the user name, password or authentication code is wrong. Codes change every 30 seconds; use the one your app shows now.": "サインインできませんでした。ユーザー名、パスワード、認証コードのいずれかが違います。コードは 30 秒ごとに変わるので、アプリに今表示されているものを入力してください。",
	"Something went wrong on our side. The problem was logged; please try again.":                                                             "サーバー側で問題が発生しました。記録済みです。もう一度お試しください。",
	"That code does not match. Scan the QR code (or type the secret) into your authenticator app and enter the 6-digit code it shows now.":    "コードが一致しません。認証アプリで QR コードを読み取る(またはシークレットを入力する)と表示される 6 桁のコードを入力してください。",
	"The enrollment deadline must be in the future.":                                                                                          "登録期限には今日より後の日付を指定してください。",
	"There is no MFA device waiting to be confirmed. Start the MFA setup again.":                                                              "確認待ちの MFA デバイスがありません。MFA の設定を最初からやり直してください。",
	"This invite link expired on %s. Ask your administrator for a new one.":                                                                   "この招待リンクは %s に期限切れになりました。管理者に新しいリンクを依頼してください。",
	"This invite link was already used. Each link works only once; ask your administrator for a new one if you did not finish.":               "この招待リンクは使用済みです。リンクは 1 回しか使えません。設定が終わっていない場合は、管理者に新しいリンクを依頼してください。",
	"This invite link was replaced by a newer one. Use the most recent link you received, or ask your administrator for a new one.":           "この招待リンクは新しいリンクに置き換えられました。最後に受け取ったリンクを使うか、管理者に新しいリンクを依頼してください。",
	"This operator account is disabled.":                                          "このオペレーターアカウントは無効です。",
	"This setup link was used already. Sign in instead.":                          "このセットアップリンクは使用済みです。サインインしてください。",
	"Use at least 12 characters for your password (a few words make a good one).": "パスワードは 12 文字以上にしてください(いくつかの単語をつなげると覚えやすくなります)。",
	"Use at most 256 characters for your password.":                               "パスワードは 256 文字以内にしてください。",
	"You entered the same code twice. Wait until your app shows a new code (every 30 seconds) and enter that one as the second code.": "同じコードが 2 回入力されました。アプリに新しいコードが表示されるまで待ち(30 秒ごとに変わります)、それを 2 つ目のコードとして入力してください。",
	"Your MFA device is set up already.":            "MFA デバイスは既に設定済みです。",
	"Your role (%s) does not allow this.":           "あなたのロール(%s)ではこの操作はできません。",
	"Your session ended. Please sign in again.":     "セッションが終了しました。もう一度サインインしてください。",
	"Your session timed out. Please sign in again.": "セッションの有効期限が切れました。もう一度サインインしてください。",
}

// errorPattern is one translated message with verbs.
type errorPattern struct {
	re *regexp.Regexp
	ja string
}

var (
	errorsExact    = map[string]string{}
	errorsPatterns []errorPattern
	verbRE         = regexp.MustCompile(`%[sqd]`)
)

func init() {
	for en, ja := range errorsJA {
		if !verbRE.MatchString(en) {
			errorsExact[en] = ja
			continue
		}
		parts := verbRE.Split(en, -1)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		errorsPatterns = append(errorsPatterns, errorPattern{regexp.MustCompile("^" + strings.Join(parts, "(.+?)") + "$"), ja})
	}
}

// legacyText returns msg (a service's English message for people, from the
// older portal.Errorf form) in lang, or msg itself when no translation
// exists. It goes away when every error carries a message key.
func legacyText(lang Lang, msg string) string {
	if lang != JA {
		return msg
	}
	if ja, ok := errorsExact[msg]; ok {
		return ja
	}
	for _, p := range errorsPatterns {
		if m := p.re.FindStringSubmatch(msg); m != nil {
			args := make([]any, len(m)-1)
			for i, s := range m[1:] {
				args[i] = s
			}
			return fmt.Sprintf(p.ja, args...)
		}
	}
	return msg
}

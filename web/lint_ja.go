package web

import (
	"context"
	"strconv"
	"strings"
)

// lintJA words each policy lint finding in Japanese: title, explanation and
// fix, with %[n]s for the finding's Params (policy.FindingIDs). English
// pages use the policy package's own text.
var lintJA = map[string][3]string{
	"mfa-enrollment-blocked": {
		"ユーザーが MFA デバイスを登録できません",
		"MFA 設定前のユーザーには自分のユーザーとデバイスに対する次の操作が必要ですが、ポリシーが許可していません: %[1]s。",
		"それぞれを arn:aws:iam::*:user/${aws:username}(デバイスは mfa/*)に対して許可し、拒否ステートメントの NotAction に追加してください。",
	},
	"user-path-not-covered": {
		"パス %[1]s のユーザーにはユーザー向けステートメントが効きません",
		"リソース %[2]s は user/${aws:username} に一致しないため、MFA 設定後も次の操作が拒否されます: %[3]s。",
		"ユーザーはパス「/」で作成するか、各 user/${aws:username} の横にリソース arn:aws:iam::*:user/*/${aws:username} を追加してください。",
	},
	"password-reset-deadlock": {
		"初回サインイン時のパスワードリセットでユーザーが締め出されます",
		"コンソールは MFA を設定する前に新しいパスワードを求めますが、MFA なしでは iam:ChangePassword が許可されていません。",
		"ログインプロファイルは PasswordResetRequired=false で作成してください(パスワードはポータルが生成します)。拒否から iam:ChangePassword と iam:GetAccountPasswordPolicy を除外する方法もありますが、AWS は推奨していません。",
	},
	"git-credentials-unusable": {
		"CodeCommit の Git 認証情報と SSH キーは作成できても使えません",
		"Git のリクエストは aws:MultiFactorAuthPresent のない長期キーと同じように評価されるため、拒否ステートメントが %[1]s を拒否します。",
		"MFA セッションで git-remote-codecommit を使うよう案内するか、codecommit:GitPull と codecommit:GitPush を拒否から除外してください(セキュリティとのトレードオフです)。",
	},
	"abandoned-mfa-device-needs-admin": {
		"放置された仮想 MFA デバイスは管理者が削除する必要があります",
		"ユーザーは MFA 設定前に仮想 MFA デバイスを作成できますが削除はできません。登録を途中でやめると、削除されるまで同じ名前のデバイスを作成できません。",
		"この設定のままにし(AWS は MFA なしの削除を推奨していません)、ヘルプデスクの「放置されたデバイスを削除」を使ってください。",
	},
	"any-mfa-device-name": {
		"ユーザーが任意の名前の仮想 MFA デバイスを作成できます",
		"CreateVirtualMFADevice がユーザー名と無関係なデバイス %[1]s に対して許可されているため、他のユーザーのデバイス名を先に使えてしまいます。",
		"リソースを arn:aws:iam::*:mfa/${aws:username} にし、デバイス名はポータルにユーザー名で付けさせてください。",
	},
	"variables-need-version": {
		"ポリシー変数が置き換えられません",
		"ポリシーは %[1]q を使っていますが Version が %[2]q です。ポリシー変数は Version 2012-10-17 でのみ有効で、それ以外では文字列のまま扱われます。",
		`"Version": "2012-10-17" を指定してください。`,
	},
	"duplicate-sid": {
		"ステートメント ID が重複しています",
		"次の Sid が複数回使われています: %[1]s。判定をひとつのステートメントに結び付けられません。",
		"ステートメントごとに別の Sid を付けてください。",
	},
	"bool-mfa-deny": {
		"MFA の拒否がアクセスキーに効きません",
		"ステートメント %[1]q は aws:MultiFactorAuthPresent に Bool を使って拒否しています。長期アクセスキーにはこのキーがないため、拒否が働きません。",
		"AWS の推奨どおり BoolIfExists を使ってください。",
	},
	"user-name-length": {
		"ユーザー名は 1〜64 文字にしてください",
		"%[1]q は %[2]s 文字です。",
		"短い(空でない)名前にしてください。",
	},
	"user-name-characters": {
		"ユーザー名に IAM で使えない文字があります",
		"%[1]q に %[2]q が含まれています。使えるのは英数字と + = , . @ _ - です。",
		"それらの文字を削除するか置き換えてください。",
	},
	"path-invalid": {
		"IAM のパスとして正しくありません",
		"%[1]q は「/」で始まり「/」で終わる、512 文字以内の ASCII 文字列である必要があります。",
		"「/」か「/engineering/」のようなパスを使ってください。",
	},
}

// lintText returns a finding's title, explanation and fix in the page's
// language.
func lintText(ctx context.Context, f FindingRow) (title, explanation, fix string) {
	if ja, ok := lintJA[f.ID]; ok && LangOf(ctx) == JA {
		return fill(ja[0], f.Params), fill(ja[1], f.Params), fill(ja[2], f.Params)
	}
	return f.Title, f.Explanation, f.Fix
}

// fill replaces %[n]s and %[n]q with the n-th param; unlike Sprintf it
// does not mind a template that uses only some of them.
func fill(tmpl string, params []string) string {
	for i, p := range params {
		n := strconv.Itoa(i + 1)
		tmpl = strings.NewReplacer("%["+n+"]s", p, "%["+n+"]q", strconv.Quote(p)).Replace(tmpl)
	}
	return tmpl
}

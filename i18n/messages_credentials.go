package i18n

// Messages of the credential lifecycle: API token expiry, re-authentication
// before minting, revocation by admins, and operator recovery codes.
func init() {
	register(EN, map[string]string{
		"err.token.days":               "Choose a lifetime of 1 to %d days.",
		"err.token.kind":               "Choose what the token is for: the JSON API or SCIM.",
		"err.token.expired":            "The API token has expired. Create a new one on the API tokens page.",
		"err.token.notapi":             "This token is reserved for SCIM and does not work with the JSON API.",
		"err.reauth.failed":            "The password or the code is not right. Enter your password and a new code from your authenticator app.",
		"audit.apitoken.create.expiry": "API token %q (%s) created, expires %s",
		"audit.apitoken.revoke.named":  "API token %q of %s revoked",
		"audit.apitoken.revoke.all":    "%d API token(s) revoked with the sessions",
		"nav.tokens.all":               "Every operator's API tokens",
		"tokens.col.kind":              "For",
		"tokens.col.expires":           "Expires",
		"tokens.col.operator":          "Operator",
		"tokens.kind.api":              "JSON API",
		"tokens.kind.scim":             "SCIM (reserved)",
		"tokens.expired":               "Expired",
		"tokens.days":                  "Lifetime (days)",
		"tokens.days.hint":             "1 to %d",
		"tokens.reauth":                "Confirm that it is you: your password and a new code from your authenticator app.",
		"tokens.all.link":              "See the API tokens of every operator.",
		"tokens.all.title":             "API tokens of every operator",
		"tokens.all.intro":             "Every token an operator created, active or not. Revoke any token that should no longer work; its operator can create a new one.",
		"tokens.all.none":              "No operator has created an API token.",
	})
	register(JA, map[string]string{
		"err.token.days":               "有効期間は 1〜%d 日で指定してください。",
		"err.token.kind":               "トークンの用途を選んでください（JSON API または SCIM）。",
		"err.token.expired":            "API トークンの有効期限が切れています。API トークンのページで新しいトークンを作成してください。",
		"err.token.notapi":             "このトークンは SCIM 用に予約されており、JSON API には使えません。",
		"err.reauth.failed":            "パスワードまたはコードが正しくありません。パスワードと、認証アプリの新しいコードを入力してください。",
		"audit.apitoken.create.expiry": "API トークン「%s」（%s）を作成しました。有効期限: %s",
		"audit.apitoken.revoke.named":  "API トークン「%s」（オペレーター: %s）を失効させました",
		"audit.apitoken.revoke.all":    "セッションとともに API トークン %d 件を失効させました",
		"nav.tokens.all":               "全オペレーターの API トークン",
		"tokens.col.kind":              "用途",
		"tokens.col.expires":           "有効期限",
		"tokens.col.operator":          "オペレーター",
		"tokens.kind.api":              "JSON API",
		"tokens.kind.scim":             "SCIM（予約）",
		"tokens.expired":               "期限切れ",
		"tokens.days":                  "有効期間（日）",
		"tokens.days.hint":             "1〜%d",
		"tokens.reauth":                "本人確認のため、パスワードと認証アプリの新しいコードを入力してください。",
		"tokens.all.link":              "全オペレーターの API トークンを見る",
		"tokens.all.title":             "全オペレーターの API トークン",
		"tokens.all.intro":             "オペレーターが作成したすべてのトークン（無効なものを含む）です。使えなくすべきトークンは失効させてください。そのオペレーターは新しいトークンを作成できます。",
		"tokens.all.none":              "API トークンを作成したオペレーターはいません。",
	})
}

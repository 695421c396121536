package i18n

// Messages of the hostile-input hardening (issue 12): attempt limits,
// request bodies, names, API token lifetimes and recovery codes.
func init() {
	register(EN, map[string]string{
		"audit.signin.from":           "signed in from %s",
		"audit.signin.failed.from":    "sign-in failed (%s) from %s",
		"audit.col.kind":              "Kind",
		"audit.kind.any":              "Any kind",
		"audit.kind.user":             "IAM user",
		"audit.kind.operator":         "Operator",
		"audit.kind.policy":           "Policy",
		"audit.kind.job":              "Bulk job",
		"audit.kind.token":            "API token",
		"audit.kind.device":           "MFA device",
		"err.audit.kind":              "Choose a kind from the list.",
		"err.attempts.toomany":        "Too many failed attempts: locked for your protection. Try again in %d minutes.",
		"err.attempts.toomany.one":    "Too many failed attempts: locked for your protection. Try again in %d minute.",
		"err.body.toolarge":           "The request is too large: this form takes at most %d KiB.",
		"err.body.multipart":          "This form takes no file upload. Send it from the portal's own page.",
		"err.body.form":               "The form could not be read. Send it again from the portal's own page.",
		"err.links.base":              "%q is not a base URL for links: use an http:// or https:// URL with a host and no query, such as https://gatehouse.example.com.",
		"err.name.hidden":             "Use visible characters only: this text has an invisible, control or text-direction character.",
		"err.operator.username.chars": "A user name may use only the letters A–Z and a–z, the digits 0–9 and . _ @ + - (no spaces, no letters of other scripts).",
	})
	register(JA, map[string]string{
		"audit.signin.from":           "%s からサインインしました",
		"audit.signin.failed.from":    "サインインに失敗しました(%s、接続元 %s)",
		"audit.col.kind":              "種類",
		"audit.kind.any":              "すべての種類",
		"audit.kind.user":             "IAM ユーザー",
		"audit.kind.operator":         "オペレーター",
		"audit.kind.policy":           "ポリシー",
		"audit.kind.job":              "一括登録ジョブ",
		"audit.kind.token":            "API トークン",
		"audit.kind.device":           "MFA デバイス",
		"err.audit.kind":              "一覧から種類を選んでください。",
		"err.attempts.toomany":        "失敗が続いたため、保護のためにロックしました。%d分後にもう一度お試しください。",
		"err.attempts.toomany.one":    "失敗が続いたため、保護のためにロックしました。%d分後にもう一度お試しください。",
		"err.body.toolarge":           "リクエストが大きすぎます。このフォームの上限は %d KiB です。",
		"err.body.multipart":          "このフォームはファイルのアップロードを受け付けません。ポータルの画面から送信してください。",
		"err.body.form":               "フォームを読み取れませんでした。ポータルの画面からもう一度送信してください。",
		"err.links.base":              "%q はリンクのベース URL として使えません。https://gatehouse.example.com のように、ホストを含みクエリのない http:// または https:// の URL を指定してください。",
		"err.name.hidden":             "表示される文字だけを使ってください。見えない文字、制御文字、または文字の向きを変える文字が含まれています。",
		"err.operator.username.chars": "ユーザー名に使えるのは英字 A–Z・a–z、数字 0–9、記号 . _ @ + - だけです(スペースや他の文字体系の文字は使えません)。",
	})
}

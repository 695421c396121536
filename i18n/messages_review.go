package i18n

// Texts added by the browser review of every page in both languages.
func init() {
	register(EN, map[string]string{
		"users.nomatch":             "No user matches this search or filter.",
		"users.nomatch.all":         "Show all users",
		"err.page.notfound":         "There is no page at this address. Check the link (was it copied whole?), or start again from the start page.",
		"error.notfound.any":        "Not found",
		"console.open":              "Open the AWS console's sign-in page (new tab)",
		"user.email.none":           "none: Gatehouse e-mails this user nothing, hand links over yourself",
		"bulk.start.one":            "Onboard %d user",
		"operators.self":            "You: another administrator can disable you or reset your authenticator.",
		"flash.devices.deleted.one": "%d device was deleted.",
	})
	register(JA, map[string]string{
		"users.nomatch":             "この検索条件・絞り込みに一致するユーザーはいません。",
		"users.nomatch.all":         "すべてのユーザーを表示",
		"err.page.notfound":         "このアドレスのページはありません。リンクが途中で切れていないか確認するか、スタートページからやり直してください。",
		"error.notfound.any":        "見つかりません",
		"console.open":              "AWS コンソールのサインインページを開く（新しいタブ）",
		"user.email.none":           "なし（このユーザーにはメールを送りません。リンクはご自身で渡してください）",
		"bulk.start.one":            "%d 人を登録する",
		"operators.self":            "あなた自身です。無効化や認証アプリのリセットは別の管理者が行います。",
		"flash.devices.deleted.one": "%d 台のデバイスを削除しました。",
	})
}

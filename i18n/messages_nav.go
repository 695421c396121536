package i18n

// Navigation labels added when the header grew a menu.
func init() {
	register(EN, map[string]string{
		"nav.devices.short": "Abandoned MFA devices",
		"nav.operator":      "%s (%s)",
		"nav.bulk":          "Onboard from a CSV file",
		"nav.menu":          "Menu",
	})
	register(JA, map[string]string{
		"nav.devices.short": "放置された MFA デバイス",
		"nav.operator":      "%s（%s）",
		"nav.bulk":          "CSV ファイルから一括追加",
		"nav.menu":          "メニュー",
	})
}

func init() {
	register(EN, map[string]string{"dash.more": "Show all in the user list, earliest deadline first →"})
	register(JA, map[string]string{"dash.more": "ユーザー一覧ですべて表示（期限の早い順）→"})
}

func init() {
	register(EN, map[string]string{"mfa.otpauth": "On this phone? Open it in my authenticator app"})
	register(JA, map[string]string{"mfa.otpauth": "このスマートフォンで設定する場合: 認証アプリで開く"})
}

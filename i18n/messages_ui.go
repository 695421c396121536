package i18n

// Messages of the product's look and guidance: the console walkthrough's
// live status, the hard MFA step, and the Japanese copy of the error
// messages the services write in English.
func init() {
	register(EN, map[string]string{
		"console.polled":   "Gatehouse asks AWS every 10 seconds and moves on by itself as soon as your MFA device is there (last check %s).",
		"mfa.virtual.hint": "Type the code now as the first code and the next code as the second.",
		"mfa.qr.hint":      "In the app: Add account (+) → Scan a QR code.",
	})
	register(JA, map[string]string{
		"console.polled":   "Gatehouse は 10 秒ごとに AWS に問い合わせ、MFA デバイスが登録されると自動で次へ進みます（最終確認 %s）。",
		"mfa.virtual.hint": "「現在のコード」を 1 つ目に、「次のコード」を 2 つ目に入力してください。",
		"mfa.qr.hint":      "アプリで: アカウントを追加（+）→ QR コードをスキャン",
	})
}

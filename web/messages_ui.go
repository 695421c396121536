package web

// Messages of the product's look and guidance: the console walkthrough's
// live status, the hard MFA step, and the Japanese copy of the error
// messages the services write in English.
func init() {
	register(EN, map[string]string{
		"console.polled":      "Gatehouse asks AWS every 10 seconds and moves on by itself as soon as your MFA device is there (last check %s).",
		"console.check.hint":  "Finished all steps? Check now, or leave this page open: it checks by itself.",
		"mfa.countdown.label": "Time until your app shows the next code",
		"mfa.virtual.hint":    "Type the code now as the first code and the next code as the second.",
		"creds.signin.hint":   "You will sign in here later. Gatehouse sets up your MFA first.",
		"mfa.qr.hint":         "In the app: Add account (+) → Scan a QR code.",
	})
	register(JA, map[string]string{
		"console.polled":      "Gatehouse は 10 秒ごとに AWS に問い合わせ、MFA デバイスが登録されると自動で次へ進みます(最終確認 %s)。",
		"console.check.hint":  "すべての手順が終わったら確認してください。このページを開いたままでも自動で確認します。",
		"mfa.countdown.label": "アプリに次のコードが表示されるまでの時間",
		"mfa.virtual.hint":    "「現在のコード」を 1 つ目に、「次のコード」を 2 つ目に入力してください。",
		"creds.signin.hint":   "後でここからサインインします。先に Gatehouse で MFA を設定します。",
		"mfa.qr.hint":         "アプリで: アカウントを追加(+)→ QR コードをスキャン",
	})
}

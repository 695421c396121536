package i18n

// Messages of the JSON API's operator actions.
func init() {
	register(EN, map[string]string{
		"err.api.after":        "after must be the next value of the page before.",
		"err.api.extend.both":  "Send either days or deadline, not both.",
		"err.api.extend.none":  "Send days (3 or 7) or a new deadline (RFC 3339).",
		"err.api.devices.both": "Send either serial or all, not both.",
		"err.api.devices.none": "Send the serial of the device to delete, or all: true.",
		"err.api.required":     "The field %s is required.",
		"err.api.csv":          "Send the CSV file itself as the request body, with Content-Type: text/csv.",
		"err.api.time":         "%s must be a time in RFC 3339 form, such as 2026-12-01T00:00:00Z.",
		"err.extend.days":      "Extend by 3 or 7 days, or choose a date.",
		"err.crossorigin":      "Cross-origin request refused: call the API from a program, not from another site's page.",
	})
	register(JA, map[string]string{
		"err.api.after":        "after には前のページの next の値を指定してください。",
		"err.api.extend.both":  "days と deadline のどちらか一方だけを指定してください。",
		"err.api.extend.none":  "days（3 または 7）か、新しい期限 deadline（RFC 3339）を指定してください。",
		"err.api.devices.both": "serial と all のどちらか一方だけを指定してください。",
		"err.api.devices.none": "削除するデバイスの serial か、all: true を指定してください。",
		"err.api.required":     "フィールド %s は必須です。",
		"err.api.csv":          "CSV ファイルそのものを Content-Type: text/csv のリクエスト本文として送ってください。",
		"err.api.time":         "%s は 2026-12-01T00:00:00Z のような RFC 3339 形式の時刻で指定してください。",
		"err.extend.days":      "3 日または 7 日延長するか、日付を選んでください。",
		"err.crossorigin":      "クロスオリジンのリクエストは拒否されました。API は他サイトのページからではなく、プログラムから呼び出してください。",
	})
}

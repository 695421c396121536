package i18n

// Messages of the JSON API's Idempotency-Key.
func init() {
	register(EN, map[string]string{
		"err.idem.key":      "The Idempotency-Key header must be 1 to 255 printable ASCII characters.",
		"err.idem.mismatch": "This Idempotency-Key was used for a different request. Use a new key for a new request.",
		"err.idem.inflight": "A request with this Idempotency-Key is still running. Retry in a moment to get its answer.",
	})
	register(JA, map[string]string{
		"err.idem.key":      "Idempotency-Key ヘッダーは 1〜255 文字の印字可能な ASCII 文字にしてください。",
		"err.idem.mismatch": "この Idempotency-Key は別のリクエストに使われています。新しいリクエストには新しいキーを使ってください。",
		"err.idem.inflight": "この Idempotency-Key のリクエストはまだ処理中です。しばらくしてから再試行すると、その応答を受け取れます。",
	})
}

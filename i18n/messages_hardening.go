package i18n

// Messages of the hostile-input hardening (issue 12): attempt limits,
// request bodies, names, API token lifetimes and recovery codes.
func init() {
	register(EN, map[string]string{
		"err.attempts.toomany": "Too many failed attempts. For your protection, try again at %s (UTC).",
		"err.links.base":       "%q is not a base URL for links: use an http:// or https:// URL with a host and no query, such as https://gatehouse.example.com.",
	})
	register(JA, map[string]string{
		"err.attempts.toomany": "失敗が続いたため、保護のためにロックしました。%s(UTC)以降にもう一度お試しください。",
		"err.links.base":       "%q はリンクのベース URL として使えません。https://gatehouse.example.com のように、ホストを含みクエリのない http:// または https:// の URL を指定してください。",
	})
}

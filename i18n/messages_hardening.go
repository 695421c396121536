package i18n

// Messages of the hostile-input hardening (issue 12): attempt limits,
// request bodies, names, API token lifetimes and recovery codes.
func init() {
	register(EN, map[string]string{
		"err.attempts.toomany": "Too many failed attempts. For your protection, try again at %s (UTC).",
	})
	register(JA, map[string]string{
		"err.attempts.toomany": "失敗が続いたため、保護のためにロックしました。%s(UTC)以降にもう一度お試しください。",
	})
}

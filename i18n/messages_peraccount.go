package i18n

// Messages of the pages that show one AWS account at a time (policy,
// posture, devices) and of their account choice.
func init() {
	register(EN, map[string]string{
		"peraccount.show":        "Show",
		"peraccount.unreachable": "Gatehouse cannot reach account %s now, so nothing of it can be shown. The reason:",
	})
	register(JA, map[string]string{
		"peraccount.show":        "表示",
		"peraccount.unreachable": "現在アカウント %s に到達できないため、その内容を表示できません。理由:",
	})
}

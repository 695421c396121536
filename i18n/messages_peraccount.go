package i18n

// Messages of the pages that show one AWS account at a time (policy,
// posture, devices) and of their account choice.
func init() {
	register(EN, map[string]string{
		"peraccount.show":           "Show",
		"peraccount.unreachable":    "Gatehouse cannot reach account %s now; its role could not be assumed. The reason:",
		"posture.accounts":          "Every account",
		"posture.accounts.coverage": "MFA coverage",
		"posture.accounts.failing":  "Failing controls",
		"posture.accounts.at":       "Evaluated at",
		"posture.accounts.skipped":  "Skipped by the sync: %s",
		"posture.accounts.none":     "No sync has recorded this account's posture yet.",
	})
	register(JA, map[string]string{
		"peraccount.show":           "表示",
		"peraccount.unreachable":    "現在アカウント %s に到達できません（ロールを引き受けられませんでした）。理由:",
		"posture.accounts":          "すべてのアカウント",
		"posture.accounts.coverage": "MFA カバー率",
		"posture.accounts.failing":  "不合格のコントロール",
		"posture.accounts.at":       "評価時刻",
		"posture.accounts.skipped":  "同期でスキップされました: %s",
		"posture.accounts.none":     "このアカウントのセキュリティ状況はまだ同期で記録されていません。",
	})
}

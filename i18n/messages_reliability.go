package i18n

// Messages of faults: IAM or the database slow, down or refusing writes
// (docs/reliability.md). Each says what happened and what to do.
func init() {
	register(EN, map[string]string{
		"err.iam.canceled":   "The request ended before AWS IAM answered. Try again.",
		"err.iam.dropped":    "The connection to AWS IAM broke before its answer arrived, so it is not known whether IAM made the change. Try again in a moment: repeating the action is safe.",
		"err.iam.status":     "AWS IAM, or a proxy in front of it, answered HTTP %d instead of an IAM response. Try again in a moment; if it persists, check that proxy and AWS's service health.",
		"err.db.unavailable": "The database is unavailable (it may be restarting), so Gatehouse cannot look anything up or save anything right now. Nothing was lost; try again in a moment.",
		"err.db.readonly":    "The database is read-only, so nothing can be saved right now. An operator must make it writable again (for SQLite: the database file, its -wal and -shm files and their folder must be writable by Gatehouse; see docs/reliability.md). Gatehouse recovers by itself once it is.",
		"err.db.full":        "The database's disk is full, so nothing can be saved right now. An operator must free disk space (see docs/reliability.md); Gatehouse recovers by itself once there is room.",
		"err.page.timeout":   "This page took too long to prepare and was stopped. Try again in a moment.",
		"error.unavailable":  "Temporarily unavailable",
	})
	register(JA, map[string]string{
		"err.iam.canceled":   "AWS IAM が応答する前にリクエストが終了しました。もう一度お試しください。",
		"err.iam.dropped":    "AWS IAM の応答が届く前に接続が切れたため、IAM で変更が行われたかどうか分かりません。少し待ってからもう一度お試しください。同じ操作を繰り返しても問題ありません。",
		"err.iam.status":     "AWS IAM、またはその前段のプロキシが、IAM の応答ではなく HTTP %d を返しました。少し待ってからもう一度お試しください。続く場合はプロキシと AWS のサービス状況を確認してください。",
		"err.db.unavailable": "データベースを利用できません（再起動中の可能性があります）。そのため、現在は参照も保存もできません。失われたものはありません。少し待ってからもう一度お試しください。",
		"err.db.readonly":    "データベースが読み取り専用のため、現在は何も保存できません。運用担当者が書き込み可能に戻す必要があります（SQLite の場合: データベースファイル、その -wal と -shm ファイル、およびそれらのフォルダーに Gatehouse が書き込めること。docs/reliability.md を参照）。戻れば Gatehouse は自動的に復旧します。",
		"err.db.full":        "データベースのディスクがいっぱいのため、現在は何も保存できません。運用担当者がディスクの空きを確保する必要があります（docs/reliability.md を参照）。空きができれば Gatehouse は自動的に復旧します。",
		"err.page.timeout":   "このページの準備に時間がかかりすぎたため中止しました。少し待ってからもう一度お試しください。",
		"error.unavailable":  "一時的に利用できません",
	})
}

package i18n

// Errors of bulk onboarding (package jobs).
func init() {
	register(EN, map[string]string{
		"err.bulk.nosuch":       "There is no such bulk onboarding.",
		"err.bulk.csv":          "The file is not a readable CSV file (line %d). Save it as CSV (comma-separated) and try again.",
		"err.bulk.toomany":      "The file has more than %d rows. Split it into smaller files.",
		"err.bulk.empty":        "The file has no rows. Expected columns: %s.",
		"err.bulk.running":      "The job is still running; the result is ready when every row is finished.",
		"err.bulk.row.dup":      "The user name %s appears twice in this file (first on line %d); IAM names ignore case.",
		"err.bulk.row.columns":  "The row has %d columns; expected %d (%s).",
		"err.bulk.row.deadline": "The deadline %q is not a date like 2026-12-31.",
	})
	register(JA, map[string]string{
		"err.bulk.nosuch":       "該当する一括登録はありません。",
		"err.bulk.csv":          "CSV ファイルとして読み込めません（%d 行目）。CSV（カンマ区切り）形式で保存して、もう一度お試しください。",
		"err.bulk.toomany":      "ファイルの行数が %d 行を超えています。小さなファイルに分けてください。",
		"err.bulk.empty":        "ファイルに行がありません。必要な列は %s です。",
		"err.bulk.running":      "ジョブはまだ実行中です。すべての行が終わると結果を取得できます。",
		"err.bulk.row.dup":      "ユーザー名 %s がファイル内に 2 回出てきます（最初は %d 行目）。IAM の名前は大文字と小文字を区別しません。",
		"err.bulk.row.columns":  "この行の列数は %d です。%d 列（%s）が必要です。",
		"err.bulk.row.deadline": "期限「%s」は 2026-12-31 のような日付ではありません。",
	})
}

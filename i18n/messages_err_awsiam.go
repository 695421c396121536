package i18n

// Errors of AWS IAM calls (package awsiam), by IAM error code.
func init() {
	register(EN, map[string]string{
		"err.iam.timeout":           "AWS IAM did not answer in time. Please try again.",
		"err.iam.nocreds":           "Gatehouse has no AWS credentials configured.",
		"err.iam.unreachable":       "Gatehouse could not reach AWS IAM. Please try again in a moment.",
		"err.iam.nosuchentity":      "AWS IAM has no such entity (it may have been deleted meanwhile).",
		"err.iam.exists":            "It exists in AWS IAM already.",
		"err.iam.limit":             "An AWS IAM limit was reached.",
		"err.iam.deleteconflict":    "AWS IAM cannot delete it while other entities are attached to it.",
		"err.iam.busy":              "AWS IAM is changing this right now. Please try again in a moment.",
		"err.iam.badcode":           "AWS did not accept the authentication codes.",
		"err.iam.invalid":           "AWS IAM did not accept the request: %s",
		"err.iam.denied":            "Gatehouse's AWS credentials are not allowed to call iam:%s. Check the IAM permissions of the identity Gatehouse runs as.",
		"err.iam.creds":             "AWS rejected Gatehouse's credentials (%s). Check the configured AWS credentials.",
		"err.iam.throttled":         "AWS IAM is throttling requests right now. Please try again in a minute.",
		"err.iam.problem":           "AWS IAM reported a problem (%s). Please try again.",
		"err.iam.report.unreadable": "IAM returned a credential report Gatehouse cannot read.",
		"err.iam.nocreds.start":     "No AWS credentials found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run where an instance role is available — or start with --test-mode to use the built-in IAM emulator.",
	})
	register(JA, map[string]string{
		"err.iam.timeout":           "AWS IAM から時間内に応答がありませんでした。もう一度お試しください。",
		"err.iam.nocreds":           "Gatehouse に AWS の認証情報が設定されていません。",
		"err.iam.unreachable":       "Gatehouse から AWS IAM に接続できませんでした。少し待ってからもう一度お試しください。",
		"err.iam.nosuchentity":      "対象が AWS IAM に見つかりません（その間に削除された可能性があります）。",
		"err.iam.exists":            "AWS IAM に既に存在します。",
		"err.iam.limit":             "AWS IAM の上限に達しました。",
		"err.iam.deleteconflict":    "ほかのエンティティが関連付けられているため、AWS IAM で削除できません。",
		"err.iam.busy":              "AWS IAM で変更を処理中です。少し待ってからもう一度お試しください。",
		"err.iam.badcode":           "AWS が認証コードを受け付けませんでした。",
		"err.iam.invalid":           "AWS IAM がリクエストを受け付けませんでした（AWS からのメッセージ: %s）。",
		"err.iam.denied":            "Gatehouse の AWS 認証情報には iam:%s を呼び出す権限がありません。Gatehouse を実行している ID の IAM 権限を確認してください。",
		"err.iam.creds":             "AWS が Gatehouse の認証情報を拒否しました（%s）。設定されている AWS 認証情報を確認してください。",
		"err.iam.throttled":         "AWS IAM がリクエストを制限しています。1 分ほど待ってからもう一度お試しください。",
		"err.iam.problem":           "AWS IAM で問題が発生しました（%s）。もう一度お試しください。",
		"err.iam.report.unreadable": "IAM から返された認証情報レポートを Gatehouse が読み取れませんでした。",
		"err.iam.nocreds.start":     "AWS の認証情報が見つかりません。AWS_ACCESS_KEY_ID と AWS_SECRET_ACCESS_KEY、または AWS_PROFILE を設定するか、インスタンスロールを使える環境で実行してください。組み込みの IAM エミュレーターを使う場合は --test-mode を付けて起動します。",
	})
}

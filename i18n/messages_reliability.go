package i18n

// Messages of faults: IAM or the database slow, down or refusing writes
// (docs/reliability.md). Each says what happened and what to do.
func init() {
	register(EN, map[string]string{
		"err.iam.canceled": "The request ended before AWS IAM answered. Try again.",
		"err.iam.dropped":  "The connection to AWS IAM broke before its answer arrived, so it is not known whether IAM made the change. Try again in a moment: repeating the action is safe.",
		"err.iam.status":   "AWS IAM, or a proxy in front of it, answered HTTP %d instead of an IAM response. Try again in a moment; if it persists, check that proxy and AWS's service health.",
	})
	register(JA, map[string]string{
		"err.iam.canceled": "AWS IAM が応答する前にリクエストが終了しました。もう一度お試しください。",
		"err.iam.dropped":  "AWS IAM の応答が届く前に接続が切れたため、IAM で変更が行われたかどうか分かりません。少し待ってからもう一度お試しください。同じ操作を繰り返しても問題ありません。",
		"err.iam.status":   "AWS IAM、またはその前段のプロキシが、IAM の応答ではなく HTTP %d を返しました。少し待ってからもう一度お試しください。続く場合はプロキシと AWS のサービス状況を確認してください。",
	})
}

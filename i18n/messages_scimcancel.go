package i18n

// Messages of cancelling, in the portal, a removal an identity provider's
// SCIM DELETE scheduled.
func init() {
	register(EN, map[string]string{
		"user.scim.cancel":              "Cancel scheduled removal",
		"user.scim.cancel.intro":        "If %s removed this person by mistake, cancel the removal: the IAM user is kept, still disabled, until the identity provider assigns the person again.",
		"flash.user.removal.cancelled":  "The scheduled removal was cancelled. The user stays disabled until the identity provider assigns the person again.",
		"err.scim.cancel.reason":        "Say why the removal is cancelled; the audit log keeps it.",
		"err.scim.cancel.none":          "No removal is scheduled for %s.",
		"audit.scim.cancel":             "the removal due %s (deleted by %s) was cancelled: %s",
		"audit.action.user.scim.cancel": "scheduled removal cancelled",
	})
	register(JA, map[string]string{
		"user.scim.cancel":              "予定された削除を取り消す",
		"user.scim.cancel.intro":        "%s がこの人を誤って外した場合は、削除を取り消してください。IAM ユーザーは無効のまま残り、ID プロバイダーが再び割り当てると使えるようになります。",
		"flash.user.removal.cancelled":  "予定された削除を取り消しました。ID プロバイダーが再び割り当てるまで、ユーザーは無効のままです。",
		"err.scim.cancel.reason":        "削除を取り消す理由を入力してください。監査ログに残ります。",
		"err.scim.cancel.none":          "%s に予定された削除はありません。",
		"audit.scim.cancel":             "%s に予定されていた削除（%s による削除）を取り消しました: %s",
		"audit.action.user.scim.cancel": "予定された削除の取り消し",
	})
}

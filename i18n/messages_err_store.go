package i18n

// Errors the store returns: not found and conflicts, by key (package store).
func init() {
	register(EN, map[string]string{
		"err.operator.nosuch":    "No such operator.",
		"err.token.nosuch":       "No such active API token.",
		"err.store.driver":       "unknown database driver %q: use sqlite or postgres",
		"err.user.exists":        "Gatehouse already manages a user named %q (names are compared ignoring case).",
		"err.user.nosuch":        "No such user.",
		"err.user.notmanaged":    "Gatehouse does not manage a user named %s.",
		"err.invite.gone":        "This invite link was already used or is no longer valid. Ask your administrator for a new one.",
		"err.claim.ended":        "Your setup session ended. Ask your administrator for a new invite link.",
		"err.claim.ended.reopen": "Your setup session ended. Open your invite link again, or ask your administrator for a new one.",
		"err.invite.invalid":     "This invite link is not valid. Check that you copied the whole link, or ask your administrator for a new one.",
		"err.invite.none":        "This user has no invite.",
		"err.sync.never":         "No status sync has run yet.",
		"err.sync.user.never":    "No status sync has seen this user yet.",
		"err.posture.never":      "No status sync has recorded the account's posture yet.",
		"err.admin.last":         "This is the last active administrator. Make another operator an administrator first, so that someone can still manage Gatehouse.",
		"err.token.notfound":     "No such API token.",
		"err.totp.reused":        "This code was already used. Wait for the next code in your authenticator app.",
		"err.job.nosuch":         "There is no such job.",
	})
	register(JA, map[string]string{
		"err.operator.nosuch":    "該当するオペレーターはいません。",
		"err.token.nosuch":       "該当する有効な API トークンはありません。",
		"err.store.driver":       "不明なデータベースドライバー「%s」です。sqlite か postgres を指定してください。",
		"err.user.exists":        "Gatehouse は既にユーザー「%s」を管理しています（名前の大文字と小文字は区別されません）。",
		"err.user.nosuch":        "該当するユーザーはいません。",
		"err.user.notmanaged":    "Gatehouse はユーザー %s を管理していません。",
		"err.invite.gone":        "この招待リンクは使用済みか、無効になっています。管理者に新しいリンクを依頼してください。",
		"err.claim.ended":        "設定用のセッションが終了しました。管理者に新しい招待リンクを依頼してください。",
		"err.claim.ended.reopen": "設定用のセッションが終了しました。招待リンクをもう一度開くか、管理者に新しいリンクを依頼してください。",
		"err.invite.invalid":     "この招待リンクは無効です。リンク全体をコピーしたか確かめるか、管理者に新しいリンクを依頼してください。",
		"err.invite.none":        "このユーザーには招待がありません。",
		"err.sync.never":         "ステータス同期はまだ一度も実行されていません。",
		"err.sync.user.never":    "このユーザーはまだステータス同期で確認されていません。",
		"err.posture.never":      "アカウントのセキュリティ状況はまだステータス同期で記録されていません。",
		"err.admin.last":         "有効な管理者はこのオペレーターだけです。Gatehouse を管理できる人がいなくならないよう、先にほかのオペレーターを管理者にしてください。",
		"err.token.notfound":     "該当する API トークンはありません。",
		"err.totp.reused":        "このコードは使用済みです。認証アプリに次のコードが表示されるまでお待ちください。",
		"err.job.nosuch":         "該当するジョブはありません。",
	})
}

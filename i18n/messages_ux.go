package i18n

// Confirmations after an action, and the user page's forms.
func init() {
	register(EN, map[string]string{
		"operators.pending.title":        "Invites not used yet",
		"operators.pending.by":           "Invited by",
		"operators.pending.expires":      "Link works until",
		"operators.pending.revoke":       "Revoke the invite",
		"operators.flash.invite.revoked": "The invite for %s was revoked: its link no longer works.",
		"err.operator.invite.nosuch":     "There is no pending invite for %s.",
		"audit.operator.invite.revoke":   "invite revoked before it was used",
		"layout.skip":                    "Skip to the content",
		"layout.tools":                   "Tools",
		"flash.token.revoked":            "The token was revoked: it no longer works.",
		"flash.user.revoked":             "The invite link was revoked: it no longer works.",
		"flash.user.extended":            "The enrollment deadline is now %s.",
		"flash.user.offboarded":          "%s was offboarded: the IAM user is deleted.",
		"hd.resend.ask":                  "Send a new invite link…",
		"hd.resend.warning":              "The current invite link stops working at once; only the new link works. Hand the new link over to the person.",
		"hd.extend.current":              "Deadline now: %s",
		"hd.extend.date":                 "New deadline",
		"hd.extend.quick":                "Or at once:",
		"hd.extend.by":                   "+%d days (until %s)",
		"err.deadline.unchanged":         "The deadline is already %s. Choose another date, or +3 or +7 days.",
	})
	register(JA, map[string]string{
		"operators.pending.title":        "未使用の招待",
		"operators.pending.by":           "招待した人",
		"operators.pending.expires":      "リンクの有効期限",
		"operators.pending.revoke":       "招待を取り消す",
		"operators.flash.invite.revoked": "%s への招待を取り消しました。そのリンクは使えません。",
		"err.operator.invite.nosuch":     "%s への未使用の招待はありません。",
		"audit.operator.invite.revoke":   "使われる前に招待を取り消しました",
		"layout.skip":                    "本文へスキップ",
		"layout.tools":                   "ツール",
		"flash.token.revoked":            "トークンを無効にしました。このトークンは使えません。",
		"flash.user.revoked":             "招待リンクを無効にしました。このリンクは使えません。",
		"flash.user.extended":            "登録期限を %s に変更しました。",
		"flash.user.offboarded":          "%s を削除しました（IAM ユーザーは削除済みです）。",
		"hd.resend.ask":                  "新しい招待リンクを発行…",
		"hd.resend.warning":              "今の招待リンクはすぐに使えなくなり、新しいリンクだけが有効になります。新しいリンクを本人に渡してください。",
		"hd.extend.current":              "現在の期限：%s",
		"hd.extend.date":                 "新しい期限",
		"hd.extend.quick":                "またはすぐに延長：",
		"hd.extend.by":                   "+%d 日（%s まで）",
		"err.deadline.unchanged":         "期限はすでに %s です。別の日付を選ぶか、+3 日・+7 日を使ってください。",
	})
}

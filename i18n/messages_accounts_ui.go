package i18n

// Messages of the status views across AWS accounts: the dashboard's and
// the user list's account choice, the list grouped by e-mail, the account
// edit form and the adoption page's account.
func init() {
	register(EN, map[string]string{
		"dash.account.show":            "Show",
		"accounts.edit":                "Edit",
		"accounts.edit.title":          "Edit account %s",
		"accounts.edit.lead":           "Gatehouse checks new role settings right away (it assumes the role and asks AWS who it is). Settings that do not reach the account are not saved: the account keeps working with the old ones.",
		"accounts.edit.hub":            "The hub is Gatehouse's own account, reached with its own credentials and no role: only its name can change.",
		"accounts.edit.save":           "Save and check",
		"accounts.edit.save.hub":       "Save",
		"accounts.edit.cancel":         "Cancel",
		"accounts.edited":              "Account %s saved.",
		"err.account.edit.unreachable": "Nothing was saved: with these settings the account cannot be reached. %s",
		"err.account.hub.role":         "The hub account has no role or external ID: Gatehouse reaches it with its own credentials.",
		"audit.action.account.edit":    "AWS account edited",
		"audit.account.edit":           "now %s, reached through %s",
		"hd.adopt.account":             "IAM users of AWS account %s that Gatehouse does not manage yet. Adopting one acts in that account.",
		"hd.offboard.account":          "%s is the IAM user of AWS account %s.",
		"users.group.email":            "Group by e-mail",
		"users.group.note":             "One group per e-mail address, with the person's IAM users in every account. Users without an e-mail address are not shown in this view.",
		"users.group.count":            "IAM users: %d",
		"users.group.continued":        "continued from the previous page, IAM users here: %d",
	})
	register(JA, map[string]string{
		"dash.account.show":            "表示",
		"accounts.edit":                "編集",
		"accounts.edit.title":          "アカウント %s を編集",
		"accounts.edit.lead":           "新しいロールの設定は、すぐに確認します (ロールを引き受け、AWS に自分が誰かを問い合わせます)。アカウントに到達できない設定は保存しません。アカウントは元の設定のまま使えます。",
		"accounts.edit.hub":            "ハブは Gatehouse 自身のアカウントで、ロールを使わず自身の認証情報でアクセスします。変更できるのは名前だけです。",
		"accounts.edit.save":           "保存して確認",
		"accounts.edit.save.hub":       "保存",
		"accounts.edit.cancel":         "キャンセル",
		"accounts.edited":              "アカウント %s を保存しました。",
		"err.account.edit.unreachable": "保存していません。この設定ではアカウントに到達できません。%s",
		"err.account.hub.role":         "ハブアカウントにはロールも外部 ID もありません。Gatehouse は自身の認証情報でアクセスします。",
		"audit.action.account.edit":    "AWS アカウントを編集",
		"audit.account.edit":           "%s、%s を通じてアクセス",
		"hd.adopt.account":             "AWS アカウント %s の、Gatehouse がまだ管理していない IAM ユーザーです。取り込みはそのアカウントで行います。",
		"hd.offboard.account":          "%s は AWS アカウント %s の IAM ユーザーです。",
		"users.group.email":            "メールアドレスでまとめる",
		"users.group.note":             "メールアドレスごとに、その人の各アカウントの IAM ユーザーをまとめて表示します。メールアドレスのないユーザーはこの表示には出ません。",
		"users.group.count":            "IAM ユーザー: %d",
		"users.group.continued":        "前のページの続き、このページの IAM ユーザー: %d",
	})
}

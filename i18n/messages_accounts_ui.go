package i18n

// Messages of the status views across AWS accounts: the dashboard's and
// the user list's account choice, the list grouped by e-mail, the account
// edit form and the adoption page's account.
func init() {
	register(EN, map[string]string{
		"dash.account.show":     "Show",
		"hd.adopt.account":      "IAM users of AWS account %s that Gatehouse does not manage yet. Adopting one acts in that account.",
		"hd.offboard.account":   "%s is the IAM user of AWS account %s.",
		"users.group.email":     "Group by e-mail",
		"users.group.note":      "One group per e-mail address, with the person's IAM users in every account. Users without an e-mail address are not shown in this view.",
		"users.group.count":     "IAM users: %d",
		"users.group.continued": "continued from the previous page, IAM users here: %d",
	})
	register(JA, map[string]string{
		"dash.account.show":     "表示",
		"hd.adopt.account":      "AWS アカウント %s の、Gatehouse がまだ管理していない IAM ユーザーです。取り込みはそのアカウントで行います。",
		"hd.offboard.account":   "%s は AWS アカウント %s の IAM ユーザーです。",
		"users.group.email":     "メールアドレスでまとめる",
		"users.group.note":      "メールアドレスごとに、その人の各アカウントの IAM ユーザーをまとめて表示します。メールアドレスのないユーザーはこの表示には出ません。",
		"users.group.count":     "IAM ユーザー: %d",
		"users.group.continued": "前のページの続き、このページの IAM ユーザー: %d",
	})
}

package i18n

// E-mails to IAM users: a subject and a body per notice kind (see
// onboarding.Notice*). Bodies are text/template sources with the fields
// {{.UserName}}, {{.Link}} (the one-time link, or the portal) and
// {{.Deadline}}; package notify renders them.
func init() {
	register(EN, map[string]string{
		"mail.invite.subject":    "Your AWS sign-in invitation",
		"mail.invite.body":       "Hello {{.UserName}},\n\nyou have been given an AWS IAM user. Open this one-time link to receive your console password and set up MFA:\n\n{{.Link}}\n\nPlease finish by {{.Deadline}}. Gatehouse never sends passwords by e-mail.\n",
		"mail.reminder.subject":  "Reminder: set up MFA for AWS",
		"mail.reminder.body":     "Hello {{.UserName}},\n\nyour AWS MFA setup is not finished yet. Use the invite link you received, or ask your helpdesk for a new one ({{.Link}}).\n\nDeadline: {{.Deadline}}\n",
		"mail.overdue.subject":   "Your AWS MFA setup is overdue",
		"mail.overdue.body":      "Hello {{.UserName}},\n\nthe deadline to set up MFA for your AWS IAM user has passed. Contact your helpdesk ({{.Link}}) to get a new invite.\n\nDeadline was: {{.Deadline}}\n",
		"mail.mfa-reset.subject": "Your AWS MFA device was reset",
		"mail.mfa-reset.body":    "Hello {{.UserName}},\n\nthe helpdesk reset your AWS MFA device. Set up a new one with this one-time link:\n\n{{.Link}}\n\nPlease finish by {{.Deadline}}. If you did not ask for this, contact your helpdesk at once.\n",
		"mail.enrolled.subject":  "MFA is set up for your AWS user",
		"mail.enrolled.body":     "Hello {{.UserName}},\n\nMFA is now active for your AWS IAM user. You can now change your password and create access keys ({{.Link}}).\n",
	})
	register(JA, map[string]string{
		"mail.invite.subject":    "AWS へのサインインのご案内",
		"mail.invite.body":       "{{.UserName}} さん\n\nAWS IAM ユーザーが作成されました。次の 1 回限りのリンクを開くと、コンソールのパスワードを受け取り、MFA を登録できます。\n\n{{.Link}}\n\n{{.Deadline}} までに完了してください。Gatehouse がメールでパスワードを送ることはありません。\n",
		"mail.reminder.subject":  "リマインダー: AWS の MFA を登録してください",
		"mail.reminder.body":     "{{.UserName}} さん\n\nAWS の MFA の登録がまだ完了していません。受け取った招待リンクを使うか、ヘルプデスクに新しいリンクを依頼してください（{{.Link}}）。\n\n期限: {{.Deadline}}\n",
		"mail.overdue.subject":   "AWS の MFA 登録の期限が過ぎました",
		"mail.overdue.body":      "{{.UserName}} さん\n\nAWS IAM ユーザーの MFA 登録の期限が過ぎました。ヘルプデスク（{{.Link}}）に連絡して、新しい招待を受け取ってください。\n\n期限: {{.Deadline}}\n",
		"mail.mfa-reset.subject": "AWS の MFA デバイスがリセットされました",
		"mail.mfa-reset.body":    "{{.UserName}} さん\n\nヘルプデスクが AWS の MFA デバイスをリセットしました。次の 1 回限りのリンクから新しいデバイスを登録してください。\n\n{{.Link}}\n\n{{.Deadline}} までに完了してください。心当たりがない場合は、すぐにヘルプデスクに連絡してください。\n",
		"mail.enrolled.subject":  "AWS ユーザーの MFA の登録が完了しました",
		"mail.enrolled.body":     "{{.UserName}} さん\n\nAWS IAM ユーザーの MFA が有効になりました。パスワードの変更やアクセスキーの作成ができるようになりました（{{.Link}}）。\n",
	})
}

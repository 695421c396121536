package i18n

// Errors of the domain rules (package portal): user input and invite links.
func init() {
	register(EN, map[string]string{
		"err.username.empty":        "Enter a user name.",
		"err.username.long":         "A user name can be at most 64 characters long (this one has %d).",
		"err.username.chars":        "A user name may contain only letters, digits and the characters + = , . @ _ - (no spaces).",
		"err.displayname.long":      "A display name can be at most 128 characters long.",
		"err.email.invalid":         "Enter an e-mail address like name@example.com, or leave it empty.",
		"err.deadline.past":         "The enrollment deadline must be in the future.",
		"err.path.invalid":          "An IAM path starts and ends with \"/\" and has at most 512 printable ASCII characters without spaces, like /engineering/.",
		"err.invite.replaced":       "This invite link was replaced by a newer one. Use the most recent link you received, or ask your administrator for a new one.",
		"err.invite.used":           "This invite link was already used. Each link works only once; ask your administrator for a new one if you did not finish.",
		"err.invite.expired":        "This invite link expired on %s. Ask your administrator for a new one.",
		"err.arn.invalid":           "%q is not an ARN.",
		"err.partition.unsupported": "Gatehouse supports the AWS partitions aws, aws-us-gov and aws-cn, not %q (from %s).",
	})
	register(JA, map[string]string{
		"err.arn.invalid":           "「%s」は ARN ではありません。",
		"err.partition.unsupported": "Gatehouse が対応している AWS パーティションは aws、aws-us-gov、aws-cn です。「%s」（%s より）には対応していません。",
		"err.username.empty":        "ユーザー名を入力してください。",
		"err.username.long":         "ユーザー名は 64 文字以内で入力してください（入力は %d 文字です）。",
		"err.username.chars":        "ユーザー名に使えるのは英字、数字と記号 + = , . @ _ - だけです（スペースは使えません）。",
		"err.displayname.long":      "表示名は 128 文字以内で入力してください。",
		"err.email.invalid":         "name@example.com のような形式でメールアドレスを入力するか、空欄のままにしてください。",
		"err.deadline.past":         "登録期限には未来の日付を指定してください。",
		"err.path.invalid":          "IAM パスは「/」で始まり「/」で終わる、スペースを含まない 512 文字以内の半角英数字・記号です（例: /engineering/）。",
		"err.invite.replaced":       "この招待リンクは新しいリンクに置き換えられました。最後に受け取ったリンクを使うか、管理者に新しいリンクを依頼してください。",
		"err.invite.used":           "この招待リンクは使用済みです。リンクは 1 回しか使えません。設定が終わっていない場合は、管理者に新しいリンクを依頼してください。",
		"err.invite.expired":        "この招待リンクの有効期限は %s に切れました。管理者に新しいリンクを依頼してください。",
	})
}

package i18n

// Messages of the posture page's notice remedy (extra or old access keys →
// an e-mail to the user), the reason of adoptions, and the weekly posture
// report. The e-mail bodies are text/template sources rendered by package
// notify: the key notice sees {{.UserName}}, {{.Keys}} (each .ID, .Created,
// .Why), {{.SigninURL}} and {{.Link}} (the portal); the report sees
// {{.At}}, {{.Coverage}}, {{.Delta}}, {{.ConsoleMFA}}, {{.ConsoleUsers}},
// {{.Failing}} (each .Title, .CIS, .ID, .Count) and {{.Link}} (the posture
// page).
func init() {
	register(EN, map[string]string{
		"mail.keys.subject": "Action needed: your AWS access keys",
		"mail.keys.body": "Hello {{.UserName}},\n\nthe security check of the AWS account found access keys of your IAM user that need your attention:\n\n" +
			"{{range .Keys}}- {{.ID}} (created {{.Created}}): {{.Why}}\n{{end}}\n" +
			"What to do: sign in to the AWS console ({{.SigninURL}}), open “Security credentials” from the menu under your name, then\n" +
			"- for a key 90 days old or more: create a new key, move your programs to it, then deactivate and delete the old key;\n" +
			"- if you have two active keys: find which one your programs use and deactivate the other;\n" +
			"- for a key you have never used: delete it unless you need it.\n\n" +
			"How to rotate access keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console\n\n" +
			"Gatehouse ({{.Link}}) has not changed your keys. Never send anyone your secret access key, not even your helpdesk.\n",
		"mail.keys.old":               "90 days old or more; rotate it",
		"mail.keys.extra":             "one of two active keys; keep only the one you use",
		"mail.keys.never_used":        "never used; delete it if you do not need it",
		"mail.posture-report.subject": "Weekly AWS credential posture",
		"mail.posture-report.body": "Weekly credential posture of the AWS account, as the status sync evaluated it at {{.At}}.\n\n" +
			"MFA coverage of console users: {{.Coverage}} ({{.ConsoleMFA}} of {{.ConsoleUsers}}), {{.Delta}} points over the last 7 days.\n\n" +
			"Failing controls (CIS AWS Foundations Benchmark v3.0.0):\n" +
			"{{range .Failing}}- {{.Title}} (CIS {{.CIS}}, {{.ID}}): {{.Count}} failing\n{{else}}- none\n{{end}}\n" +
			"{{if .Accounts}}The figures above are the hub account's. Every account:\n" +
			"{{range .Accounts}}- {{.Label}}: {{if .Skipped}}skipped by the sync, it cannot be reached: {{.Skipped}}" +
			"{{if .Recorded}} (last recorded: MFA coverage {{.Coverage}}, {{.ConsoleMFA}} of {{.ConsoleUsers}}){{end}}" +
			"{{else if .Recorded}}MFA coverage {{.Coverage}} ({{.ConsoleMFA}} of {{.ConsoleUsers}}), {{.Delta}} points over 7 days, {{.Failing}} failing controls" +
			"{{else}}no posture recorded yet{{end}}\n{{end}}\n{{end}}" +
			"Details, the users concerned and one-click remedies: {{.Link}}\n",
		"notice.kind.keys":                 "Access key notice",
		"err.keynotice.reason":             "Say why you send this notice (it is kept in the audit log).",
		"err.keynotice.nomail":             "E-mail is not configured (PORTAL_SMTP_HOST): Gatehouse cannot send notices.",
		"err.keynotice.adopt":              "%s is not managed by Gatehouse, so no e-mail address is known: adopt the user first.",
		"err.keynotice.noemail":            "No e-mail address is recorded for %s: add one on the user's page first.",
		"err.keynotice.nothing":            "%s has no access key that needs attention any more (rotated or deactivated since the last sync).",
		"audit.keynotice":                  "access-key notice queued to %[2]s about %[1]s — reason: %[3]s",
		"audit.with_reason":                "%s — reason: %s",
		"err.adopt.reason":                 "Say why you adopt these users (it is kept in the audit log).",
		"audit.action.credentials.notice":  "Access-key notice sent to a user",
		"audit.action.credentials.disable": "Unused credentials disabled",
		"posture.notice.title":             "Send an access-key notice",
		"posture.notice.intro":             "Each user ticked below gets an e-mail in their language listing their access keys that are 90 days old or more, one of two active keys, or never used, and what to do in the AWS console. Gatehouse checks the keys again with IAM first and changes nothing: the users own their keys. Each notice is audited with your reason.",
		"posture.notice.submit":            "Send the notices",
		"posture.notice.none":              "Select at least one user with a known e-mail address.",
		"posture.notice.done":              "%s: notice about %d access key(s) queued to %s.",
		"posture.notice.nomail":            "E-mail is not configured (PORTAL_SMTP_HOST), so no notice can be sent. Tell these users yourself.",
		"posture.notice.noemail":           "These users cannot be sent a notice:",
		"posture.user.adopt_first":         "no e-mail known — adopt first",
		"posture.user.no_email":            "no e-mail address recorded",
	})
	register(JA, map[string]string{
		"mail.keys.subject": "対応のお願い: AWS のアクセスキー",
		"mail.keys.body": "{{.UserName}} さん\n\nAWS アカウントのセキュリティチェックで、あなたの IAM ユーザーのアクセスキーに対応が必要なものが見つかりました。\n\n" +
			"{{range .Keys}}- {{.ID}}（作成日 {{.Created}}）: {{.Why}}\n{{end}}\n" +
			"対応方法: AWS コンソール（{{.SigninURL}}）にサインインし、右上のユーザー名のメニューから「セキュリティ認証情報」を開いて、\n" +
			"- 作成から 90 日以上のキー: 新しいキーを作成し、プログラムを新しいキーに切り替えてから、古いキーを無効化して削除してください。\n" +
			"- 有効なキーが 2 つある場合: プログラムが使っている方を確かめ、もう一方を無効化してください。\n" +
			"- 一度も使っていないキー: 必要なければ削除してください。\n\n" +
			"アクセスキーのローテーション方法: https://docs.aws.amazon.com/ja_jp/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console\n\n" +
			"Gatehouse（{{.Link}}）はあなたのキーを変更していません。シークレットアクセスキーは、ヘルプデスクを含め誰にも送らないでください。\n",
		"mail.keys.old":               "作成から 90 日以上経っています。ローテーションしてください",
		"mail.keys.extra":             "有効なキー 2 つのうちの 1 つです。使っている方だけを残してください",
		"mail.keys.never_used":        "一度も使われていません。不要なら削除してください",
		"mail.posture-report.subject": "AWS 認証情報のセキュリティ状況（週次）",
		"mail.posture-report.body": "AWS アカウントの認証情報のセキュリティ状況（{{.At}} のステータス同期で評価）の週次レポートです。\n\n" +
			"コンソールユーザーの MFA カバー率: {{.Coverage}}（{{.ConsoleUsers}} 人中 {{.ConsoleMFA}} 人）、過去 7 日間で {{.Delta}} ポイント。\n\n" +
			"不合格のコントロール（CIS AWS Foundations Benchmark v3.0.0）:\n" +
			"{{range .Failing}}- {{.Title}}（CIS {{.CIS}}、{{.ID}}）: {{.Count}} 件\n{{else}}- なし\n{{end}}\n" +
			"{{if .Accounts}}上記はハブアカウントの数値です。アカウントごと:\n" +
			"{{range .Accounts}}- {{.Label}}: {{if .Skipped}}到達できないため同期でスキップされました: {{.Skipped}}" +
			"{{if .Recorded}}（前回の記録: MFA カバー率 {{.Coverage}}、{{.ConsoleUsers}} 人中 {{.ConsoleMFA}} 人）{{end}}" +
			"{{else if .Recorded}}MFA カバー率 {{.Coverage}}（{{.ConsoleUsers}} 人中 {{.ConsoleMFA}} 人）、過去 7 日間で {{.Delta}} ポイント、不合格のコントロール {{.Failing}} 件" +
			"{{else}}セキュリティ状況はまだ記録されていません{{end}}\n{{end}}\n{{end}}" +
			"詳細、対象のユーザー、ワンクリックの対処: {{.Link}}\n",
		"notice.kind.keys":                 "アクセスキーのお知らせ",
		"err.keynotice.reason":             "このお知らせを送る理由を入力してください（監査ログに残ります）。",
		"err.keynotice.nomail":             "メールが設定されていない（PORTAL_SMTP_HOST）ため、Gatehouse はお知らせを送れません。",
		"err.keynotice.adopt":              "%s は Gatehouse の管理下にないため、メールアドレスがわかりません。先にユーザーを取り込んでください。",
		"err.keynotice.noemail":            "%s のメールアドレスが登録されていません。先にユーザーのページで追加してください。",
		"err.keynotice.nothing":            "%s には対応が必要なアクセスキーがもうありません（前回の同期の後にローテーションまたは無効化されました）。",
		"audit.keynotice":                  "%[1]s についてのアクセスキーのお知らせを %[2]s に送信予約しました — 理由: %[3]s",
		"audit.with_reason":                "%s — 理由: %s",
		"err.adopt.reason":                 "これらのユーザーを取り込む理由を入力してください（監査ログに残ります）。",
		"audit.action.credentials.notice":  "アクセスキーのお知らせをユーザーに送信",
		"audit.action.credentials.disable": "使われていない認証情報を無効化",
		"posture.notice.title":             "アクセスキーのお知らせを送る",
		"posture.notice.intro":             "以下でチェックした各ユーザーに、作成から 90 日以上のキー、有効な 2 つのキーのうちの 1 つ、一度も使われていないキーの一覧と、AWS コンソールでの対応方法を、そのユーザーの言語でメールします。Gatehouse は先に IAM でキーを確かめ直し、何も変更しません（キーはユーザーのものです）。各お知らせは入力した理由とともに監査ログに残ります。",
		"posture.notice.submit":            "お知らせを送る",
		"posture.notice.none":              "メールアドレスがわかっているユーザーを 1 人以上選んでください。",
		"posture.notice.done":              "%s: アクセスキー %d 個についてのお知らせを %s に送信予約しました。",
		"posture.notice.nomail":            "メールが設定されていない（PORTAL_SMTP_HOST）ため、お知らせは送れません。これらのユーザーには直接伝えてください。",
		"posture.notice.noemail":           "次のユーザーにはお知らせを送れません:",
		"posture.user.adopt_first":         "メールアドレス不明 — 先に取り込んでください",
		"posture.user.no_email":            "メールアドレス未登録",
	})
}

package i18n

// Messages of the invitee's journey that a reload or a crash can lead to:
// continuing a setup, setting the console password again, showing the MFA
// step again, and what to do next when the way on is closed.
func init() {
	register(EN, map[string]string{
		"invite.continue.intro": "You started the setup with this link in this browser on %s, and it is still open. Continue where you left off.",
		"invite.continue":       "Continue setup",
		"invite.next.title":     "What you can do",
		"invite.next.retry":     "Try again",
		"invite.next.admin":     "If you cannot continue, ask the administrator who sent you the link for a new one. They can see where your setup stopped.",
		"invite.next.done":      "If you finished the setup already, sign in to the AWS console at %s.",
		"invite.error.setup":    "Your setup could not go on",

		"err.invite.used.elsewhere": "This invite link was already used. If you started the setup in another browser or on another device, continue there while it is open.",
		"err.invite.nopassword":     "Your console password is not set yet. Set it first.",
		"err.mfa.devicegone":        "This QR code is no longer valid: its MFA device was removed. Start over with a new QR code.",

		"creds.notset":        "Your console password is not set yet: the setup stopped before it. Set it now.",
		"creds.set":           "Set my password",
		"creds.once":          "Save this password in your password manager now. Gatehouse does not keep it: it is shown here only until you confirm that you saved it.",
		"creds.gone":          "Your password was shown already. Gatehouse does not keep it, so it cannot be shown again. If you saved it, continue. If not, set a new one below.",
		"creds.saved":         "You confirmed that you saved your password.",
		"creds.hidden":        "not shown again",
		"creds.saved.mfa":     "I have saved it — set up MFA",
		"creds.saved.console": "I have saved it — set up MFA in the AWS console",
		"creds.continue":      "Continue: set up MFA",
		"creds.new.intro":     "Did not save the password, or lost it? Set a new one for the same user. The one shown before stops working.",
		"creds.new":           "Set a new password",

		"mfa.none":   "Gatehouse creates an MFA device for you in AWS and shows its QR code for your authenticator app.",
		"mfa.start":  "Show my QR code",
		"mfa.noseed": "The QR code is no longer shown: Gatehouse does not keep it. If your app has the entry already, enter two codes below. If not, start over with a new QR code (then delete the old entry from the app if you added it).",

		"audit.invite.password":       "console password issued",
		"audit.invite.password.again": "console password set again for the same invite (the person lost the one shown)",
		"audit.mfa.found.lost":        "MFA device %s found active in IAM (enabled in the portal; the answer was lost)",

		"done.admin.title": "What needs your administrator",
		"done.admin.git":   "Git access to AWS CodeCommit. Git cannot send an MFA code, so while your account's MFA policy applies, CodeCommit rejects Git credentials and SSH keys. Ask your administrator if you need Git.",
	})
	register(JA, map[string]string{
		"invite.continue.intro": "このブラウザーで %s にこのリンクから設定を始めており、その設定はまだ続けられます。続きから再開してください。",
		"invite.continue":       "設定を続ける",
		"invite.next.title":     "次にできること",
		"invite.next.retry":     "もう一度試す",
		"invite.next.admin":     "続けられない場合は、リンクを送ってきた管理者に新しいリンクを依頼してください。管理者は、設定がどこで止まったかを確認できます。",
		"invite.next.done":      "設定を既に完了している場合は、%s から AWS コンソールにサインインしてください。",
		"invite.error.setup":    "設定を続けられませんでした",

		"err.invite.used.elsewhere": "この招待リンクは既に使用されています。別のブラウザーや端末で設定を始めた場合は、設定が有効なうちにそちらで続けてください。",
		"err.invite.nopassword":     "コンソールパスワードがまだ設定されていません。先に設定してください。",
		"err.mfa.devicegone":        "この QR コードは無効です（MFA デバイスが削除されました）。新しい QR コードでやり直してください。",

		"creds.notset":        "コンソールパスワードはまだ設定されていません（設定の途中で処理が止まりました）。今すぐ設定してください。",
		"creds.set":           "パスワードを設定する",
		"creds.once":          "今すぐこのパスワードをパスワードマネージャーに保存してください。Gatehouse はパスワードを保存しません。保存したことを確認するまでの間だけ、ここに表示されます。",
		"creds.gone":          "パスワードは既に表示されました。Gatehouse はパスワードを保存しないため、もう一度表示することはできません。保存済みの場合はそのまま進んでください。保存していない場合は、下で新しいパスワードを設定してください。",
		"creds.saved":         "パスワードを保存したことを確認しました。",
		"creds.hidden":        "再表示できません",
		"creds.saved.mfa":     "保存しました — MFA を設定する",
		"creds.saved.console": "保存しました — AWS コンソールで MFA を設定する",
		"creds.continue":      "次へ: MFA を設定",
		"creds.new.intro":     "パスワードを保存しなかった、またはなくした場合は、同じユーザーに新しいパスワードを設定できます。前に表示されたパスワードは使えなくなります。",
		"creds.new":           "新しいパスワードを設定する",

		"mfa.none":   "Gatehouse が AWS に MFA デバイスを作成し、認証アプリ用の QR コードを表示します。",
		"mfa.start":  "QR コードを表示する",
		"mfa.noseed": "QR コードはもう表示されません（Gatehouse は保存しません）。アプリに既に登録済みの場合は、下に 2 つのコードを入力してください。まだの場合は、新しい QR コードでやり直してください（古い項目をアプリに追加していた場合は削除してください）。",

		"audit.invite.password":       "コンソールのパスワードを発行しました",
		"audit.invite.password.again": "同じ招待でコンソールのパスワードを再設定しました（表示したパスワードを本人が失ったため）",
		"audit.mfa.found.lost":        "IAM で MFA デバイス %s が有効になっていました（ポータルで有効化。応答が失われていました）",

		"done.admin.title": "管理者への依頼が必要なこと",
		"done.admin.git":   "AWS CodeCommit への Git アクセス。Git は MFA コードを送れないため、このアカウントの MFA ポリシーが適用されている間は、CodeCommit は Git 認証情報や SSH キーを拒否します。Git が必要な場合は管理者に相談してください。",
	})
}

// Messages of the helpdesk about interrupted claims.
func init() {
	register(EN, map[string]string{
		"dash.interrupted":       "Setup interrupted",
		"dash.interrupted.intro": "These people opened their invite link, but Gatehouse stopped before it set their console password. The browser they used can still finish for a while; otherwise send them a new invite link from their page.",
		"hd.claim.interrupted":   "The invite link was opened on %s, but the console password was never set (Gatehouse stopped in between). The person can finish in the same browser for a while; otherwise send a new invite link.",
	})
	register(JA, map[string]string{
		"dash.interrupted":       "中断された設定",
		"dash.interrupted.intro": "次のユーザーは招待リンクを開きましたが、コンソールパスワードが設定される前に Gatehouse の処理が止まりました。しばらくの間は同じブラウザーで続けられます。それ以外の場合は、ユーザーのページから新しい招待リンクを送ってください。",
		"hd.claim.interrupted":   "招待リンクは %s に開かれましたが、コンソールパスワードは設定されていません（途中で Gatehouse の処理が止まりました）。しばらくの間は同じブラウザーで続けられます。それ以外の場合は新しい招待リンクを送ってください。",
	})
}

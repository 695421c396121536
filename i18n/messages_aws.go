package i18n

// Messages about acting safely on a real AWS account (issue 11): ownership
// checks, Gatehouse's own identity, adoption of users with access keys.
func init() {
	register(EN, map[string]string{
		"err.notours.tag":       "Nothing was changed: the IAM user %s no longer carries the tag managed-by=gatehouse, so Gatehouse does not treat it as its own any more. Ask whoever changed it in AWS; adopt it again if Gatehouse should manage it.",
		"err.notours.id":        "Nothing was changed: the IAM user %s is not the one Gatehouse created or adopted (its IAM user ID is different, so it was deleted and created again outside Gatehouse). Gatehouse acts only on users it manages; adopt the new user if it should be managed.",
		"err.notours.claimed":   "Nothing was changed: the IAM user %s is already recorded as another Gatehouse user (%s).",
		"err.adopt.self":        "Gatehouse runs as the IAM user %s itself. Attaching the forced-MFA policy to it would deny Gatehouse's own calls (its access key has no MFA), so it cannot be adopted.",
		"err.adopt.keys":        "%s has %d active access key(s). Confirm that you understand what the policy does to them, then adopt it again.",
		"hd.adopt.keys":         "Active access keys",
		"hd.adopt.keys.warning": "Users marked “access keys” are often scripts, CI jobs or services. The forced-MFA policy denies every request made without MFA, except setting up MFA. Access keys used directly never carry MFA, so after adoption these keys stop working for almost everything: the programs that use them fail until they switch to temporary credentials from “aws sts get-session-token” with an MFA code, or you stop managing the user.",
		"hd.adopt.keys.confirm": "I understand: %s's access keys will be denied everything without MFA",
		"hd.adopt.self":         "Gatehouse itself",
		"hd.adopt.self.note":    "Gatehouse runs as this IAM user; it is never offered for adoption.",
		"err.device.notours":    "%s is not an abandoned MFA device that Gatehouse created, so Gatehouse does not delete it (it may have been enabled or deleted meanwhile, or someone else created it).",
		"offboard.step.certs":   "signing certificates",
		"offboard.step.cert":    "signing certificate %s",
		"offboard.step.sshkeys": "SSH public keys",
		"offboard.step.sshkey":  "SSH public key %s",
	})
	register(JA, map[string]string{
		"err.notours.tag":       "何も変更していません。IAM ユーザー %s にはもう managed-by=gatehouse タグが付いていないため、Gatehouse はこのユーザーを管理対象として扱いません。AWS 側で変更した人に確認し、管理すべきなら改めて取り込んでください。",
		"err.notours.id":        "何も変更していません。IAM ユーザー %s は Gatehouse が作成または取り込んだユーザーではありません（IAM のユーザー ID が異なるため、Gatehouse の外で削除・再作成されています）。Gatehouse は自分が管理するユーザーにしか操作しません。管理すべきなら新しいユーザーを取り込んでください。",
		"err.notours.claimed":   "何も変更していません。IAM ユーザー %s は別の Gatehouse ユーザー（%s）として記録されています。",
		"err.adopt.self":        "Gatehouse 自身がこの IAM ユーザー %s として動作しています。MFA 強制ポリシーをアタッチすると Gatehouse 自身の呼び出し（MFA のないアクセスキー）が拒否されるため、取り込めません。",
		"err.adopt.keys":        "%s には有効なアクセスキーが %d 個あります。ポリシーがキーに与える影響を理解したことを確認してから、もう一度取り込んでください。",
		"hd.adopt.keys":         "有効なアクセスキー",
		"hd.adopt.keys.warning": "「アクセスキー」の印があるユーザーは、スクリプト、CI ジョブ、サービスであることが多いです。MFA 強制ポリシーは、MFA のない要求を MFA の設定以外すべて拒否します。アクセスキーを直接使う要求には MFA が付かないため、取り込み後はこれらのキーでほぼ何もできなくなります。キーを使うプログラムは、MFA コード付きの「aws sts get-session-token」で得た一時認証情報に切り替えるまで失敗します（またはこのユーザーを管理対象から外してください）。",
		"hd.adopt.keys.confirm": "理解しました:%s のアクセスキーは MFA なしではすべて拒否されます",
		"hd.adopt.self":         "Gatehouse 自身",
		"hd.adopt.self.note":    "Gatehouse はこの IAM ユーザーとして動作しているため、取り込み対象にはなりません。",
		"err.device.notours":    "%s は Gatehouse が作成した放置 MFA デバイスではないため、削除しません（その間に有効化・削除されたか、別の人が作成したデバイスです）。",
		"offboard.step.certs":   "署名証明書",
		"offboard.step.cert":    "署名証明書 %s",
		"offboard.step.sshkeys": "SSH 公開鍵",
		"offboard.step.sshkey":  "SSH 公開鍵 %s",
	})
}

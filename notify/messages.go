package notify

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/gatehouse/portal/onboarding"
)

// texts holds subject and body per language and notice kind. Bodies get
// the user name, then the link (invite or portal), then the deadline.
var texts = map[string]map[string][2]string{
	"en": {
		onboarding.NoticeInvite: {"Your AWS sign-in invitation",
			"Hello %s,\n\nyou have been given an AWS IAM user. Open this one-time link to receive your console password and set up MFA:\n\n%s\n\nPlease finish by %s. Gatehouse never sends passwords by e-mail.\n"},
		onboarding.NoticeReminder: {"Reminder: set up MFA for AWS",
			"Hello %s,\n\nyour AWS MFA setup is not finished yet. Use the invite link you received, or ask your helpdesk for a new one (%s).\n\nDeadline: %s\n"},
		onboarding.NoticeOverdue: {"Your AWS MFA setup is overdue",
			"Hello %s,\n\nthe deadline to set up MFA for your AWS IAM user has passed. Contact your helpdesk (%s) to get a new invite.\n\nDeadline was: %s\n"},
		onboarding.NoticeMFAReset: {"Your AWS MFA device was reset",
			"Hello %s,\n\nthe helpdesk reset your AWS MFA device. Set up a new one with this one-time link:\n\n%s\n\nPlease finish by %s. If you did not ask for this, contact your helpdesk at once.\n"},
		onboarding.NoticeEnrolled: {"MFA is set up for your AWS user",
			"Hello %s,\n\nMFA is now active for your AWS IAM user. You can now change your password and create access keys (%s).\n%.0s"},
	},
	"ja": {
		onboarding.NoticeInvite: {"AWS サインインのご案内",
			"%s さん\n\nAWS IAM ユーザーが作成されました。次の一回限りのリンクを開くと、コンソールパスワードの受け取りと MFA の設定ができます。\n\n%s\n\n%s までに完了してください。Gatehouse がメールでパスワードを送ることはありません。\n"},
		onboarding.NoticeReminder: {"リマインダー: AWS の MFA を設定してください",
			"%s さん\n\nAWS の MFA 設定がまだ完了していません。受け取った招待リンクを使うか、ヘルプデスクに新しいリンクを依頼してください（%s）。\n\n期限: %s\n"},
		onboarding.NoticeOverdue: {"AWS の MFA 設定の期限が過ぎました",
			"%s さん\n\nAWS IAM ユーザーの MFA 設定期限が過ぎました。ヘルプデスク（%s）に連絡して新しい招待を受け取ってください。\n\n期限: %s\n"},
		onboarding.NoticeMFAReset: {"AWS の MFA デバイスがリセットされました",
			"%s さん\n\nヘルプデスクが AWS の MFA デバイスをリセットしました。次の一回限りのリンクで新しいデバイスを設定してください。\n\n%s\n\n%s までに完了してください。心当たりがない場合はすぐにヘルプデスクへ連絡してください。\n"},
		onboarding.NoticeEnrolled: {"AWS ユーザーの MFA 設定が完了しました",
			"%s さん\n\nAWS IAM ユーザーの MFA が有効になりました。パスワードの変更やアクセスキーの作成ができるようになりました（%s）。\n%.0s"},
	},
}

// render returns the subject and body of n in its language.
func render(n onboarding.Notice, portalURL string) (string, string, error) {
	lang := n.Lang
	if _, ok := texts[lang]; !ok {
		lang = "en"
	}
	t, ok := texts[lang][n.Kind]
	if !ok {
		return "", "", fmt.Errorf("notify: unknown notice kind %q", n.Kind)
	}
	link := n.InviteURL
	if link == "" {
		link = portalURL
	}
	deadline := ""
	if !n.Deadline.IsZero() {
		deadline = n.Deadline.UTC().Format("2006-01-02 15:04 UTC")
	}
	return t[0], fmt.Sprintf(t[1], n.UserName, link, deadline), nil
}

// writeBase64 writes data base64-encoded in 76-character lines (RFC 2045).
func writeBase64(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
}

func tlsConfig(host string) *tls.Config {
	return &tls.Config{ServerName: strings.TrimSuffix(host, "."), MinVersion: tls.VersionTLS12}
}

package notify

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/onboarding"
)

// kinds are the notice kinds with an e-mail; each has the catalog keys
// mail.<kind>.subject and mail.<kind>.body (i18n/messages_mail.go).
var kinds = []string{onboarding.NoticeInvite, onboarding.NoticeReminder, onboarding.NoticeOverdue,
	onboarding.NoticeMFAReset, onboarding.NoticeEnrolled}

// MailKeys returns the catalog keys of every e-mail (built at run time from
// the notice kind), for the catalog test.
func MailKeys() []string {
	var out []string
	for _, k := range kinds {
		out = append(out, "mail."+k+".subject", "mail."+k+".body")
	}
	return out
}

// mailData is what an e-mail body template sees.
type mailData struct {
	UserName string
	Link     string // the one-time link, or the portal's address
	Deadline string // "" when the notice has none
}

// render returns the subject and body of n in its language (English when
// the language is unknown): the subject from the catalog, the body from the
// catalog's text/template source.
func render(n onboarding.Notice, portalURL string) (string, string, error) {
	if !slices.Contains(kinds, n.Kind) {
		return "", "", fmt.Errorf("notify: unknown notice kind %q", n.Kind)
	}
	lang, ok := i18n.ParseLang(n.Lang)
	if !ok {
		lang = i18n.EN
	}
	data := mailData{UserName: n.UserName, Link: n.InviteURL}
	if data.Link == "" {
		data.Link = portalURL
	}
	if !n.Deadline.IsZero() {
		data.Deadline = n.Deadline.UTC().Format("2006-01-02 15:04 UTC")
	}
	key := "mail." + n.Kind
	tmpl, err := template.New(key).Option("missingkey=error").Parse(i18n.T(lang, key+".body"))
	if err != nil {
		return "", "", fmt.Errorf("notify: %s body (%s): %w", key, lang, err)
	}
	var body strings.Builder
	if err := tmpl.Execute(&body, data); err != nil {
		return "", "", fmt.Errorf("notify: %s body (%s): %w", key, lang, err)
	}
	return i18n.T(lang, key+".subject"), body.String(), nil
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

package notify

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/onboarding"
)

// kinds are the notice kinds with an e-mail; each has the catalog keys
// mail.<kind>.subject and mail.<kind>.body (i18n/messages_mail.go).
var kinds = []string{onboarding.NoticeInvite, onboarding.NoticeReminder, onboarding.NoticeOverdue,
	onboarding.NoticeMFAReset, onboarding.NoticeEnrolled, onboarding.NoticeKeys, onboarding.NoticePostureReport}

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
	Link     string // the one-time link, or the portal page the notice points to, or the portal's address
	Deadline string // "" when the notice has none
	// The access-key notice: the keys and the console sign-in address.
	Keys      []mailKey
	SigninURL string
	// The weekly posture report.
	At           string
	Coverage     string // "75%"
	Delta        string // "+5", "-2.5", "±0" percentage points
	ConsoleMFA   int
	ConsoleUsers int
	Failing      []mailControl
	// Accounts is a line per managed account, when several are.
	Accounts []mailAccount
}

// mailAccount is one account's line of a report, in words.
type mailAccount struct {
	Label                             string
	Skipped                           string // why the sync skipped it; "" when reachable
	Recorded                          bool
	Coverage                          string
	Delta                             string
	ConsoleMFA, ConsoleUsers, Failing int
}

// mailKey is one access key of a notice, in words.
type mailKey struct {
	ID      string
	Created string // the day it was created
	Why     string // what is wrong with it
}

// mailControl is one failing control of a report.
type mailControl struct {
	ID, CIS, Title string
	Count          int
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
	if n.PageURL != "" {
		data.Link = n.PageURL
	}
	if !n.Deadline.IsZero() {
		data.Deadline = n.Deadline.UTC().Format("2006-01-02 15:04 UTC")
	}
	data.SigninURL = n.SigninURL
	for _, k := range n.Keys {
		var why []string
		if k.Old {
			why = append(why, i18n.T(lang, "mail.keys.old"))
		}
		if k.Extra {
			why = append(why, i18n.T(lang, "mail.keys.extra"))
		}
		if k.NeverUsed {
			why = append(why, i18n.T(lang, "mail.keys.never_used"))
		}
		data.Keys = append(data.Keys, mailKey{ID: k.ID, Created: k.Created.UTC().Format("2006-01-02"), Why: strings.Join(why, i18n.T(lang, "list.sep"))})
	}
	if r := n.Report; r != nil {
		data.At = r.At.UTC().Format("2006-01-02 15:04 UTC")
		data.Coverage, data.Delta = percent(r.Coverage)+"%", points(r.Delta)
		data.ConsoleMFA, data.ConsoleUsers = r.ConsoleMFA, r.ConsoleUsers
		for _, c := range r.Failing {
			data.Failing = append(data.Failing, mailControl{ID: c.ID, CIS: c.CIS, Title: i18n.T(lang, c.Title), Count: c.Count})
		}
		for _, a := range r.Accounts {
			ma := mailAccount{Label: a.Label, Recorded: a.Recorded, Coverage: percent(a.Coverage) + "%", Delta: points(a.Delta),
				ConsoleMFA: a.ConsoleMFA, ConsoleUsers: a.ConsoleUsers, Failing: a.Failing}
			if !a.Skipped.IsZero() {
				ma.Skipped = i18n.Text(lang, a.Skipped)
			}
			data.Accounts = append(data.Accounts, ma)
		}
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

// percent formats a share with at most one decimal: "75", "66.7".
func percent(v float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0")
}

// points formats a change of percentage points with its sign.
func points(v float64) string {
	switch {
	case v == 0:
		return "±0"
	case v > 0:
		return "+" + percent(v)
	}
	return percent(v)
}

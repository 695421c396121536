package main

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/gatehouse/portal/notify"
	"github.com/gatehouse/portal/onboarding"
)

func init() {
	serveEnv = append(serveEnv,
		envVar{"PORTAL_SYNC_INTERVAL", "how often the status sync runs (default 1h)"},
		envVar{"PORTAL_DEADLINE_ACTION", "automatic action at the deadline: off (default), disable-console or deactivate-keys"},
		envVar{"PORTAL_REMINDER_BEFORE", "e-mail reminder this long before the deadline (default 48h)"},
		envVar{"PORTAL_SMTP_HOST", "SMTP server for e-mail notices; unset = no e-mail"},
		envVar{"PORTAL_SMTP_PORT", "SMTP port (default 587)"},
		envVar{"PORTAL_SMTP_USERNAME", "SMTP user name (optional)"},
		envVar{"PORTAL_SMTP_PASSWORD[_FILE]", "SMTP password (optional)"},
		envVar{"PORTAL_SMTP_FROM", "sender address of notices (required with PORTAL_SMTP_HOST)"},
		envVar{"PORTAL_POSTURE_REPORT_TO", "weekly posture report by e-mail: comma-separated addresses, each optionally :en or :ja (needs PORTAL_SMTP_HOST)"},
		envVar{"PORTAL_POSTURE_REPORT_LANG", "language of the weekly report for addresses without one: en (default) or ja"},
	)
}

// lifecycleFromEnv reads the settings of status sync, deadlines and e-mail.
func lifecycleFromEnv(getenv func(string) string, baseURL string) (onboarding.LifecycleConfig, time.Duration, error) {
	lc := onboarding.LifecycleConfig{}
	every, err := envDuration(getenv, "PORTAL_SYNC_INTERVAL", time.Hour)
	if err != nil {
		return lc, 0, err
	}
	switch a := getenv("PORTAL_DEADLINE_ACTION"); a {
	case "", "off":
	case onboarding.DeadlineActionDisableLogin, onboarding.DeadlineActionDeactivateKey:
		lc.DeadlineAction = a
	default:
		return lc, 0, fmt.Errorf("PORTAL_DEADLINE_ACTION=%q: use off, %s or %s", a, onboarding.DeadlineActionDisableLogin, onboarding.DeadlineActionDeactivateKey)
	}
	if lc.ReminderBefore, err = envDuration(getenv, "PORTAL_REMINDER_BEFORE", 48*time.Hour); err != nil {
		return lc, 0, err
	}
	host := getenv("PORTAL_SMTP_HOST")
	if host == "" {
		if getenv("PORTAL_POSTURE_REPORT_TO") != "" {
			return lc, 0, fmt.Errorf("PORTAL_POSTURE_REPORT_TO is set but PORTAL_SMTP_HOST is not: the weekly report is sent by e-mail")
		}
		return lc, every, nil
	}
	password, err := secret(getenv, "PORTAL_SMTP_PASSWORD")
	if err != nil {
		return lc, 0, err
	}
	m, err := notify.New(notify.Config{Host: host, Port: getenv("PORTAL_SMTP_PORT"), Username: getenv("PORTAL_SMTP_USERNAME"),
		Password: password, From: getenv("PORTAL_SMTP_FROM"), PortalURL: baseURL})
	if err != nil {
		return lc, 0, fmt.Errorf("PORTAL_SMTP_HOST is set but PORTAL_SMTP_FROM is missing: %w", err)
	}
	lc.Notifier = m
	if lc.ReportTo, err = reportRecipients(getenv("PORTAL_POSTURE_REPORT_TO"), getenv("PORTAL_POSTURE_REPORT_LANG")); err != nil {
		return lc, 0, err
	}
	return lc, every, nil
}

// reportRecipients parses PORTAL_POSTURE_REPORT_TO: "a@example.com,
// b@example.jp:ja"; an address without a language gets lang (default en).
func reportRecipients(list, lang string) ([]onboarding.ReportRecipient, error) {
	switch lang {
	case "":
		lang = "en"
	case "en", "ja":
	default:
		return nil, fmt.Errorf("PORTAL_POSTURE_REPORT_LANG=%q: use en or ja", lang)
	}
	var out []onboarding.ReportRecipient
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		r := onboarding.ReportRecipient{To: item, Lang: lang}
		if i := strings.LastIndex(item, ":"); i >= 0 {
			r.To, r.Lang = strings.TrimSpace(item[:i]), strings.TrimSpace(item[i+1:])
		}
		if r.Lang != "en" && r.Lang != "ja" {
			return nil, fmt.Errorf("PORTAL_POSTURE_REPORT_TO: %q: the language after the colon must be en or ja", item)
		}
		if a, err := mail.ParseAddress(r.To); err != nil || a.Address != r.To {
			return nil, fmt.Errorf("PORTAL_POSTURE_REPORT_TO: %q is not an e-mail address", r.To)
		}
		out = append(out, r)
	}
	return out, nil
}

package main

import (
	"fmt"
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
	return lc, every, nil
}

package onboarding

import (
	"context"
	"time"
)

// Automatic actions at the deadline. Off by default: taking a person's
// access away is a decision an organisation makes on purpose.
const (
	DeadlineActionNone          = ""                // only list the user as overdue
	DeadlineActionDisableLogin  = "disable-console" // DeleteLoginProfile
	DeadlineActionDeactivateKey = "deactivate-keys" // UpdateAccessKey Inactive
)

// Notice kinds sent to IAM users by e-mail.
const (
	NoticeInvite   = "invite"
	NoticeReminder = "reminder"
	NoticeOverdue  = "overdue"
	NoticeMFAReset = "mfa-reset"
	NoticeEnrolled = "enrolled"
	// NoticeKeys tells a user which of their access keys to rotate or
	// deactivate (the posture page's remedy for extra and old keys).
	NoticeKeys = "keys"
	// NoticePostureReport is the weekly posture summary to the configured
	// recipients (not IAM users); see posturereport.go.
	NoticePostureReport = "posture-report"
)

// Notice is one message to an IAM user. InviteURL is set only for invites
// and resets; a password is never part of a notice.
type Notice struct {
	Kind      string
	To        string
	Lang      string // "en" or "ja"
	UserName  string
	AccountID string // the user's AWS account ("": the hub), for the audit entry
	InviteURL string
	Deadline  time.Time
	// Keys are the access keys a NoticeKeys is about, and SigninURL the
	// account's console sign-in address where the user rotates them.
	Keys      []NoticeKey
	SigninURL string
	// Report is the summary a NoticePostureReport carries, and PageURL the
	// portal page it points to.
	Report  *PostureSummary
	PageURL string
}

// Notifier delivers notices (e-mail). Nil in LifecycleConfig means no
// notices are sent, and the UI says so.
type Notifier interface {
	Notify(ctx context.Context, n Notice) error
}

// LifecycleConfig holds the settings of status sync, deadlines and notices.
type LifecycleConfig struct {
	// ReportPoll is how often a credential report in progress is polled
	// (default 2 s); ReportWait bounds the wait (default 2 min).
	ReportPoll, ReportWait time.Duration
	// SyncLease bounds how long one sync may hold the sync lease (default
	// 10 min): a replica that died mid-sync does not block syncs forever.
	SyncLease time.Duration
	// DeadlineAction is what happens when a pending user's deadline passes;
	// DeadlineActionNone (the default) does nothing but list them.
	DeadlineAction string
	// ReminderBefore is how long before the deadline a reminder is sent
	// (default 2 days).
	ReminderBefore time.Duration
	// Notifier sends e-mail; nil means none is configured. Workflows only
	// queue notices; the job runner delivers them (notices.go).
	Notifier Notifier
	// Box seals invite links while their notices wait (required with
	// Notifier).
	Box Sealer
	// Wake, if set, tells the local job runner a notice was queued.
	Wake func()
	// Holder names this replica in leases (default: a random ID).
	Holder string
	// ReportTo are the recipients of the weekly posture report (none: no
	// report); it needs Notifier.
	ReportTo []ReportRecipient
}

func (c *LifecycleConfig) defaults() {
	if c.ReportPoll == 0 {
		c.ReportPoll = 2 * time.Second
	}
	if c.ReportWait == 0 {
		c.ReportWait = 2 * time.Minute
	}
	if c.SyncLease == 0 {
		c.SyncLease = 10 * time.Minute
	}
	if c.ReminderBefore == 0 {
		c.ReminderBefore = 48 * time.Hour
	}
	if c.Holder == "" {
		_, c.Holder = randomHolder()
	}
}

// NotifyEnabled reports whether e-mail notices are configured.
func (s *Service) NotifyEnabled() bool { return s.cfg.Lifecycle.Notifier != nil }

// DefaultDeadline returns the enrollment window of a user onboarded
// without a deadline of their own.
func (s *Service) DefaultDeadline() time.Duration { return s.cfg.DefaultDeadline }

// DeadlineAction returns the configured automatic action at the deadline.
func (s *Service) DeadlineAction() string { return s.cfg.Lifecycle.DeadlineAction }

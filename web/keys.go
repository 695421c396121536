package web

import (
	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/policy"
)

// keyFamilies are the message keys the views build at run time ("status." +
// s and the like), by prefix, with every value the suffix can take. A new
// value of one of these families is added here, or the catalog test fails.
var keyFamilies = map[string][]string{
	"status.":          names(portal.Statuses),
	"role.":            {"admin", "helpdesk", "auditor"},
	"bulk.status.":     {"pending", "running", "done", "failed"},
	"sync.source.":     {"schedule", "manual"},
	"deadline.action.": {"disable-console", "deactivate-keys"},
	"operators.link.":  {"invite", "reset"},
	"yesno.":           {"yes", "no"},
	"users.sort.":      names(portal.UserSorts),
	"step.":            {"ensure_policy", "create_user", "attach_policy", "create_invite"},
	"step.status.":     {"started", "done"},
	"policy.severity.": {"error", "warning", "info"},
	"policy.decision.": {"allowed", "explicitDeny", "implicitDeny"},
	"notice.kind.":     {"invite", "reminder", "overdue", "mfa-reset", "enrolled", "keys"},
	"notice.state.":    {"queued", "sent", "failed"},
	"audit.kind.":      portal.TargetKinds,
	"tokens.kind.":     {"api", "scim"},
	"posture.result.":  {"pass", "fail", "unknown"},
	"posture.fix.":     {"adopt", "disable", "notice"},
	"audit.action.":    AuditActions,
	"webhook.event.":   portal.WebhookEvents,
}

// names converts a list of string-typed values to their strings.
func names[S ~string](values []S) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// AuditActions are the actions the audit log records, as the audit
// filter offers them (each with words in the catalogs: audit.action.<name>).
var AuditActions = []string{"user.onboard", "user.adopt", "user.adopt.refused", "credentials.disable", "credentials.notice", "user.options", "user.offboard", "user.offboard.failed", "user.disable", "user.disable.failed", "user.enable", "user.enable.failed", "user.gone", "user.not_ours", "user.iam_id.recorded", "onboard.resume.failed", "invite.claim", "invite.password", "invite.resend", "invite.revoke", "deadline.extend", "deadline.action", "deadline.action.failed", "mfa.device.create", "mfa.enable", "mfa.reset", "mfa.removed", "mfa.device.delete", "mfa.device.delete.refused", "console.signin.seen", "notice.sent", "notice.failed", "notice.reminder", "notice.overdue", "policy.create", "policy.publish", "policy.version.delete", "policy.drift", "bulk.download", "bulk.finish", "user.overdue", "webhook.create", "webhook.enable", "webhook.disable", "webhook.delete", "webhook.resend", "user.scim.cancel", "operator.setup", "operator.invite", "operator.invite.revoke", "operator.join", "operator.role", "operator.enable", "operator.disable", "operator.totp.reset", "operator.recovery.issue", "operator.recovery.regenerate", "operator.recovery.use", "operator.signin", "operator.signin.fail", "operator.signout", "operator.signout.everywhere", "apitoken.create", "apitoken.revoke", "apitoken.revoke.all", "account.add", "account.edit", "account.remove"}

// storedKeys are keys that no code writes any more but events stored
// before still carry (audit texts of earlier versions): they stay in the
// catalogs so old events keep their words.
var storedKeys = []string{"audit.signin", "audit.signin.failed", "audit.apitoken.create", "audit.apitoken.revoke"}

// RuntimeKeys returns every message key the views build at run time.
func RuntimeKeys() []string {
	out := append([]string(nil), storedKeys...)
	for prefix, values := range keyFamilies {
		for _, v := range values {
			out = append(out, prefix+v)
		}
	}
	return out
}

// LintKeys returns the catalog keys of every policy lint finding (built at
// run time from the finding ID).
func LintKeys() []string { return lintKeys(policy.FindingIDs) }

package portal

// Webhook event types: what Gatehouse announces to the HTTPS endpoints an
// admin registered (docs/webhooks.md). Each is announced when the audit log
// records one of the actions WebhookEventOf maps onto it, so an event is
// sent exactly when the change it names has happened.
const (
	EventUserOnboarded  = "user.onboarded"
	EventUserClaimed    = "user.claimed"
	EventUserEnrolled   = "user.enrolled"
	EventUserOverdue    = "user.overdue"
	EventUserMFARemoved = "user.mfa_removed"
	EventUserMFAReset   = "user.mfa_reset"
	EventUserOffboarded = "user.offboarded"
	EventBulkFinished   = "bulk.finished"
	EventPolicyDrift    = "policy.drift"
)

// WebhookEvents lists every webhook event type, in the order the
// registration form offers them.
var WebhookEvents = []string{EventUserOnboarded, EventUserClaimed, EventUserEnrolled, EventUserOverdue,
	EventUserMFARemoved, EventUserMFAReset, EventUserOffboarded, EventBulkFinished, EventPolicyDrift}

// WebhookEventOf returns the webhook event type the audit action announces,
// or "" when the action is not announced.
func WebhookEventOf(action string) string {
	switch action {
	case "user.onboard", "user.adopt":
		return EventUserOnboarded
	case "invite.claim":
		return EventUserClaimed
	case "mfa.enable":
		return EventUserEnrolled
	case "user.overdue":
		return EventUserOverdue
	case "mfa.removed":
		return EventUserMFARemoved
	case "mfa.reset":
		return EventUserMFAReset
	case "user.offboard":
		return EventUserOffboarded
	case "bulk.finish":
		return EventBulkFinished
	case "policy.drift":
		return EventPolicyDrift
	}
	return ""
}

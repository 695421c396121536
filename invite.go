package portal

import "time"

// Invite is a one-time link that lets an IAM user claim console credentials
// and enroll MFA. Only the SHA-256 hash of its token is ever stored.
type Invite struct {
	ID        int64
	UserID    int64
	TokenHash string
	CreatedAt time.Time
	ExpiresAt time.Time
	ClaimedAt time.Time
	RevokedAt time.Time
	// CredentialsAt is when the claim's console password was first set in
	// IAM. A claimed invite without it is a claim that never completed (the
	// portal stopped between the two): Interrupted.
	CredentialsAt time.Time
}

// Interrupted reports whether the invite was claimed but its console
// password was never set.
func (i *Invite) Interrupted() bool { return !i.ClaimedAt.IsZero() && i.CredentialsAt.IsZero() }

// Claimable reports why the invite cannot be claimed at now, or nil.
func (i *Invite) Claimable(now time.Time) error {
	switch {
	case !i.RevokedAt.IsZero():
		return E(EGONE, "err.invite.replaced")
	case !i.ClaimedAt.IsZero():
		return E(EGONE, "err.invite.used")
	case now.After(i.ExpiresAt):
		return E(EGONE, "err.invite.expired", i.ExpiresAt.UTC().Format("2006-01-02 15:04 MST"))
	}
	return nil
}

// ClaimSession is the short-lived session an invite claim opens for the IAM
// user while they set up MFA. It is not an operator session.
type ClaimSession struct {
	IDHash    string
	UserID    int64
	InviteID  int64
	CreatedAt time.Time
	ExpiresAt time.Time
	// PendingSerial is the virtual MFA device created for this session and
	// not enabled yet. It is not a secret: the seed is never kept.
	PendingSerial string
	// PasswordAt is when the claim's console password was first set (the
	// invite's CredentialsAt); zero until the claim completed.
	PasswordAt time.Time
	// SavedAt is when the person confirmed having saved the password shown
	// last; zero until then, and again after a new password was set.
	SavedAt time.Time
}

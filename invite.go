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
}

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
}

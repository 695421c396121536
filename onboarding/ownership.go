package onboarding

import (
	"context"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/store"
)

// ReasonNotOurs is the Reason of the error a destructive action returns when
// the IAM user is not the one Gatehouse manages (see ensureOurs).
const ReasonNotOurs = "NotManagedByGatehouse"

// actionNotOurs is the audit action of such a refusal.
const actionNotOurs = "user.not_ours"

// ensureOurs is the one check every destructive path runs right before it
// changes IAM user u (offboarding, an MFA reset, a deadline action, replacing
// a console password): the IAM user of that name must still carry
// managed-by=gatehouse and have the UserId recorded when Gatehouse created or
// adopted it. A name can be reused: a user deleted and created again outside
// Gatehouse gets a new UserId and is not ours, whatever its tags say. A
// refusal is audited (what was refused and why) and returned as ECONFLICT
// with Reason ReasonNotOurs; nothing has been changed then. A user that no
// longer exists comes back as IAM's NoSuchEntity, for the caller to decide.
//
// Records from before Gatehouse stored UserIds have none: the first check
// learns it from the user if it still carries the tag and no other record
// claims that UserId, and audits it, so from then on a re-created user is
// caught. That one first check cannot tell a user re-created and tagged by
// hand from the original (docs/running-on-aws.md).
func (s *Service) ensureOurs(ctx context.Context, a Actor, u *portal.User, what string) (awsiam.User, error) {
	iu, err := s.iam(ctx).GetUser(ctx, u.UserName)
	if err != nil {
		return awsiam.User{}, err
	}
	switch {
	case iu.Tags[ManagedTagKey] != ManagedTagValue:
		return awsiam.User{}, s.notOurs(ctx, a, u, what, portal.T("audit.notours.tag", ManagedTagKey+"="+ManagedTagValue),
			portal.E(portal.ECONFLICT, "err.notours.tag", u.UserName))
	case u.IAMUserID != "" && iu.ID != u.IAMUserID:
		return awsiam.User{}, s.notOurs(ctx, a, u, what, portal.T("audit.notours.id", iu.ID, u.IAMUserID),
			portal.E(portal.ECONFLICT, "err.notours.id", u.UserName))
	case u.IAMUserID == "":
		if other, err := s.claimedBy(ctx, iu.ID, u.ID); err != nil {
			return awsiam.User{}, err
		} else if other != "" {
			return awsiam.User{}, s.notOurs(ctx, a, u, what, portal.T("audit.notours.claimed", iu.ID, other),
				portal.E(portal.ECONFLICT, "err.notours.claimed", u.UserName, other))
		}
		if err := s.cfg.Store.UpdateUser(ctx, u.ID, store.UserUpdate{IAMUserID: &iu.ID}, s.cfg.Now()); err != nil {
			return awsiam.User{}, err
		}
		u.IAMUserID = iu.ID
		s.auditUser(ctx, a, "user.iam_id.recorded", u, portal.T("audit.iam_id.recorded", iu.ID))
	}
	return iu, nil
}

// notOurs audits a refused action and returns its error.
func (s *Service) notOurs(ctx context.Context, a Actor, u *portal.User, what string, why portal.Text, e *portal.Error) error {
	s.auditUser(ctx, a, actionNotOurs, u, portal.T("audit.notours", what, u.UserName, why))
	return e.WithReason(ReasonNotOurs)
}

// claimedBy returns the name of a record other than id that holds the IAM
// UserId iamID, or "".
func (s *Service) claimedBy(ctx context.Context, iamID string, id int64) (string, error) {
	page, err := s.cfg.Store.FindUsers(ctx, portal.UserFilter{IAMUserID: iamID})
	if err != nil {
		return "", err
	}
	for _, o := range page.Users {
		if o.ID != id {
			return o.UserName, nil
		}
	}
	return "", nil
}

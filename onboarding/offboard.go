package onboarding

import (
	"context"
	"fmt"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
)

// Offboard deletes a managed user's IAM user completely, in the order AWS
// documents for deleting a user (DeleteUser fails with DeleteConflict while
// anything is left): console password, access keys, signing certificates,
// SSH public keys, service-specific credentials, MFA devices (deactivated and
// deleted), inline and managed policies, groups, then the user. Every listing
// follows all its pages. The record stays as "offboarded" for the audit trail. Each removal
// is audited, so a failure half-way shows what is done; running it again
// continues. Nothing is removed from an IAM user that is not ours any more
// (ensureOurs); one that is gone already just closes the record.
func (s *Service) Offboard(ctx context.Context, a Actor, userName, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return portal.FieldE("reason", "err.offboard.reason")
	}
	return s.offboard(ctx, a, userName, reason)
}

// OffboardBecause is Offboard with a reason Gatehouse states itself (an
// identity provider's SCIM DELETE whose grace period ended), shown in the
// reader's language.
func (s *Service) OffboardBecause(ctx context.Context, a Actor, userName string, reason portal.Text) error {
	return s.offboard(ctx, a, userName, reason)
}

// offboard does Offboard; reason is a person's string or a portal.Text.
func (s *Service) offboard(ctx context.Context, a Actor, userName string, reason any) error {
	ctx, u, err := s.findUser(ctx, userName)
	if err != nil {
		return err
	}
	if u.State == portal.StateOffboarded {
		return portal.E(portal.ECONFLICT, "err.offboard.done", u.UserName)
	}
	if _, err := s.ensureOurs(ctx, a, u, "offboard"); portal.ErrorReason(err) == awsiam.CodeNoSuchEntity {
		return s.closeOffboarded(ctx, a, u, nil, portal.T("audit.offboard.gone", reason))
	} else if err != nil {
		return err
	}
	var done []portal.Text
	step := func(what portal.Text, err error) error {
		if err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
			s.auditUser(ctx, a, "user.offboard.failed", u, portal.T("audit.offboard.failed", done, what, portal.ErrorTextOf(err)))
			return fmt.Errorf("offboard %s: %s: %w", u.UserName, what.Key, err)
		}
		if err == nil {
			done = append(done, what)
		}
		return nil
	}
	name := u.UserName
	if has, err := s.iam(ctx).HasLoginProfile(ctx, name); err != nil && portal.ErrorReason(err) != awsiam.CodeNoSuchEntity {
		return step(portal.T("offboard.step.password"), err)
	} else if has {
		if err := step(portal.T("offboard.step.password"), s.iam(ctx).DeleteLoginProfile(ctx, name)); err != nil {
			return err
		}
	}
	keys, err := s.iam(ctx).ListAccessKeys(ctx, name)
	if err := step(portal.T("offboard.step.keys"), err); err != nil {
		return err
	}
	for _, k := range keys {
		if err := step(portal.T("offboard.step.key", k.ID), s.iam(ctx).DeleteAccessKey(ctx, name, k.ID)); err != nil {
			return err
		}
	}
	certs, err := s.iam(ctx).ListSigningCertificates(ctx, name)
	if err := step(portal.T("offboard.step.certs"), err); err != nil {
		return err
	}
	for _, c := range certs {
		if err := step(portal.T("offboard.step.cert", c.ID), s.iam(ctx).DeleteSigningCertificate(ctx, name, c.ID)); err != nil {
			return err
		}
	}
	sshKeys, err := s.iam(ctx).ListSSHPublicKeys(ctx, name)
	if err := step(portal.T("offboard.step.sshkeys"), err); err != nil {
		return err
	}
	for _, k := range sshKeys {
		if err := step(portal.T("offboard.step.sshkey", k.ID), s.iam(ctx).DeleteSSHPublicKey(ctx, name, k.ID)); err != nil {
			return err
		}
	}
	creds, err := s.iam(ctx).ListServiceSpecificCredentials(ctx, name)
	if err := step(portal.T("offboard.step.creds"), err); err != nil {
		return err
	}
	for _, c := range creds {
		if err := step(portal.T("offboard.step.cred", c.Service, c.ID), s.iam(ctx).DeleteServiceSpecificCredential(ctx, name, c.ID)); err != nil {
			return err
		}
	}
	// The records of the devices removed go with the user's record at the
	// end (a run that stops before leaves them to DanglingDevices, which
	// drops records of devices that are gone).
	removed, err := s.iam(ctx).RemoveMFADevices(ctx, name)
	for _, serial := range removed {
		done = append(done, portal.T("offboard.step.device", serial))
	}
	if err := step(portal.T("offboard.step.devices"), err); err != nil {
		return err
	}
	inline, err := s.iam(ctx).InlinePolicyNames(ctx, name)
	if err := step(portal.T("offboard.step.inlines"), err); err != nil {
		return err
	}
	for _, p := range inline {
		if err := step(portal.T("offboard.step.inline", p), s.iam(ctx).DeleteUserPolicy(ctx, name, p)); err != nil {
			return err
		}
	}
	arns, err := s.iam(ctx).AttachedPolicyARNs(ctx, name)
	if err := step(portal.T("offboard.step.policies"), err); err != nil {
		return err
	}
	for _, arn := range arns {
		if err := step(portal.T("offboard.step.policy", arn), s.iam(ctx).DetachUserPolicy(ctx, name, arn)); err != nil {
			return err
		}
	}
	groups, err := s.iam(ctx).GroupsForUser(ctx, name)
	if err := step(portal.T("offboard.step.groups"), err); err != nil {
		return err
	}
	for _, g := range groups {
		if err := step(portal.T("offboard.step.group", g), s.iam(ctx).RemoveUserFromGroup(ctx, name, g)); err != nil {
			return err
		}
	}
	if err := step(portal.T("offboard.step.user"), s.iam(ctx).DeleteUser(ctx, name)); err != nil {
		return err
	}
	return s.closeOffboarded(ctx, a, u, removed, portal.T("audit.offboard.done", done, reason))
}

// closeOffboarded records u as offboarded (its unclaimed invites revoked,
// the records of the MFA devices removed, serials, dropped) and audits
// detail. The IAM user is gone: the record is written on a lasting context,
// whatever happens to the request.
func (s *Service) closeOffboarded(ctx context.Context, a Actor, u *portal.User, serials []string, detail portal.Text) error {
	rctx, cancel := lasting(ctx)
	defer cancel()
	if err := s.cfg.Store.RecordOffboarded(rctx, u.ID, serials, s.cfg.Now()); err != nil {
		return err
	}
	s.auditUser(ctx, a, "user.offboard", u, detail)
	return nil
}

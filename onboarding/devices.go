package onboarding

import (
	"context"
	"strings"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/store"
)

// DanglingDevice is an unassigned virtual MFA device that Gatehouse created
// for a managed user's enrollment, left behind when it was abandoned.
type DanglingDevice struct {
	Account  string // the AWS account the device is in
	Serial   string
	UserName string
}

// DanglingDevices lists the unassigned virtual MFA devices Gatehouse
// created (recordDevice) in the account the request chose (InAccount; the
// hub by default), except those a setup session in progress is about to
// enable. A device merely named after a managed user is not listed: under
// the seed policy anyone may create mfa/* devices. Records of devices no
// longer unassigned (enabled, or deleted outside Gatehouse) are dropped,
// so a name reused later is not mistaken for ours. A member account whose
// role cannot be assumed is recorded unreachable and the error says why.
func (s *Service) DanglingDevices(ctx context.Context) ([]DanglingDevice, error) {
	ctx, err := s.scopeChosen(ctx)
	if err != nil {
		return nil, err
	}
	return s.danglingDevices(ctx)
}

// danglingDevices is DanglingDevices in ctx's account.
func (s *Service) danglingDevices(ctx context.Context) ([]DanglingDevice, error) {
	acct := s.account(ctx)
	devs, err := s.iam(ctx).ListVirtualMFADevices(ctx, false)
	if Unreachable(err) {
		s.markUnreachable(ctx, acct, err)
	}
	if err != nil {
		return nil, err
	}
	all, err := s.cfg.Store.FindDevices(ctx)
	if err != nil {
		return nil, err
	}
	// The records of this account's devices only (a serial is the device's
	// ARN, which names its account): another account's are not listed here
	// and must not be taken for gone.
	ours := make(map[string]store.CreatedDevice, len(all))
	for serial, rec := range all {
		if serialAccount(serial) == acct {
			ours[serial] = rec
		}
	}
	active, err := s.cfg.Store.ActivePendingSerials(ctx, s.cfg.Now())
	if err != nil {
		return nil, err
	}
	var out []DanglingDevice
	for _, d := range devs {
		rec, created := ours[d.Serial]
		if !created {
			continue
		}
		delete(ours, d.Serial)
		if active[d.Serial] {
			continue
		}
		u, err := s.cfg.Store.FindUserByID(ctx, rec.UserID)
		if err != nil {
			return nil, err
		}
		out = append(out, DanglingDevice{Account: acct, Serial: d.Serial, UserName: u.UserName})
	}
	var gone []string
	for serial, rec := range ours {
		// A device created this minute may not be listed yet (IAM is
		// eventually consistent); its record stays until the next look.
		if s.cfg.Now().Sub(rec.CreatedAt) > time.Minute {
			gone = append(gone, serial)
		}
	}
	s.forgetDevices(ctx, gone...)
	return out, nil
}

// serialAccount is the account of a virtual MFA device's serial, its ARN
// (arn:PARTITION:iam::ACCOUNT:mfa/NAME); "" for anything else.
func serialAccount(serial string) string {
	parts := strings.SplitN(serial, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[4]
}

// DeleteDanglingDevice deletes one dangling device of the account the
// request chose (the hub by default); serial must be one of
// DanglingDevices, so this cannot delete a device Gatehouse did not create
// (such a request is refused and audited). A device that is gone already is
// fine.
func (s *Service) DeleteDanglingDevice(ctx context.Context, a Actor, serial string) error {
	ctx, err := s.scopeChosen(ctx)
	if err != nil {
		return err
	}
	devs, err := s.danglingDevices(ctx)
	if err != nil {
		return err
	}
	for _, d := range devs {
		if d.Serial == serial {
			return s.deleteDangling(ctx, a, d)
		}
	}
	s.auditKind(ctx, a, portal.TargetDevice, "mfa.device.delete.refused", serial, portal.T("audit.device.notours", serial))
	return portal.E(portal.ENOTFOUND, "err.device.notours", serial)
}

// DeleteAllDanglingDevices deletes every dangling device of the account the
// request chose (the hub by default) and returns how many it deleted.
func (s *Service) DeleteAllDanglingDevices(ctx context.Context, a Actor) (int, error) {
	ctx, err := s.scopeChosen(ctx)
	if err != nil {
		return 0, err
	}
	devs, err := s.danglingDevices(ctx)
	if err != nil {
		return 0, err
	}
	for i, d := range devs {
		if err := s.deleteDangling(ctx, a, d); err != nil {
			return i, err
		}
	}
	return len(devs), nil
}

func (s *Service) deleteDangling(ctx context.Context, a Actor, d DanglingDevice) error {
	if err := s.iam(ctx).DeleteVirtualMFADevice(ctx, d.Serial); err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
		return err
	}
	s.forgetDevices(ctx, d.Serial)
	s.auditIn(ctx, a, d.Account, "mfa.device.delete", d.UserName, portal.T("audit.device.delete", d.Serial))
	return nil
}

// UserMFADevices returns the MFA devices IAM has assigned to a user now.
func (s *Service) UserMFADevices(ctx context.Context, userName string) ([]awsiam.MFADevice, error) {
	ctx, _, err := s.findUser(ctx, userName)
	if portal.ErrorCode(err) == portal.ENOTFOUND { // not managed: an IAM user of the chosen account
		ctx, err = s.scopeChosen(ctx)
	}
	if err != nil {
		return nil, err
	}
	return s.iam(ctx).ListMFADevices(ctx, userName)
}

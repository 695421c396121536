package onboarding

import (
	"context"
	"regexp"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
)

// DanglingDevice is an unassigned virtual MFA device left by a managed
// user's abandoned enrollment.
type DanglingDevice struct {
	Serial   string
	UserName string
}

// suffixRE matches the random suffix createAfterConflict adds to a device
// name that is taken.
var suffixRE = regexp.MustCompile(`-[0-9a-f]{6}$`)

// DanglingDevices lists unassigned virtual MFA devices named after managed
// users (as Gatehouse names them), except those a setup session in progress
// is about to enable.
func (s *Service) DanglingDevices(ctx context.Context) ([]DanglingDevice, error) {
	devs, err := s.cfg.IAM.ListVirtualMFADevices(ctx, false)
	if err != nil {
		return nil, err
	}
	active, err := s.cfg.Store.ActivePendingSerials(ctx, s.cfg.Now())
	if err != nil {
		return nil, err
	}
	prefix := s.mfaARN("")
	var out []DanglingDevice
	for _, d := range devs {
		name, ok := strings.CutPrefix(d.Serial, prefix)
		if !ok || active[d.Serial] || strings.Contains(name, "/") {
			continue
		}
		for _, candidate := range []string{name, suffixRE.ReplaceAllString(name, "")} {
			if u, err := s.cfg.Store.FindUserByName(ctx, candidate); err == nil {
				out = append(out, DanglingDevice{Serial: d.Serial, UserName: u.UserName})
				break
			}
		}
	}
	return out, nil
}

// DeleteDanglingDevice deletes one dangling device; serial must be one of
// DanglingDevices, so this cannot delete a device Gatehouse does not own.
// A device that is gone already is fine.
func (s *Service) DeleteDanglingDevice(ctx context.Context, a Actor, serial string) error {
	devs, err := s.DanglingDevices(ctx)
	if err != nil {
		return err
	}
	for _, d := range devs {
		if d.Serial == serial {
			return s.deleteDangling(ctx, a, d)
		}
	}
	return portal.E(portal.ENOTFOUND, "err.device.notdangling", serial)
}

// DeleteAllDanglingDevices deletes every dangling device and returns how
// many it deleted.
func (s *Service) DeleteAllDanglingDevices(ctx context.Context, a Actor) (int, error) {
	devs, err := s.DanglingDevices(ctx)
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
	if err := s.cfg.IAM.DeleteVirtualMFADevice(ctx, d.Serial); err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
		return err
	}
	s.audit(ctx, a, "mfa.device.delete", d.UserName, "abandoned unassigned MFA device "+d.Serial+" deleted")
	return nil
}

// UserMFADevices returns the MFA devices IAM has assigned to a user now.
func (s *Service) UserMFADevices(ctx context.Context, userName string) ([]awsiam.MFADevice, error) {
	return s.cfg.IAM.ListMFADevices(ctx, userName)
}

package onboarding

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strconv"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/awsiam"
	"github.com/gatehouse/portal/store"
)

// MFASetup is what the MFA page shows: the device's serial and, this once,
// its secret and QR code. Neither the secret nor the QR is stored anywhere.
type MFASetup struct {
	Serial string
	Secret string
	QRPNG  []byte
}

// StartMFA creates a fresh virtual MFA device for the claim session's user
// and records its serial as Gatehouse's (recordDevice). A device left from
// an earlier try of this session (or a dangling unassigned device with the
// user's name that Gatehouse created) is deleted first, since its seed can
// never be shown again.
func (s *Service) StartMFA(ctx context.Context, cs *portal.ClaimSession, u *portal.User, requestID string) (*MFASetup, error) {
	if u.State == portal.StateEnrolled {
		return nil, portal.E(portal.ECONFLICT, "err.mfa.done")
	}
	if cs.PendingSerial != "" {
		if err := s.cfg.IAM.DeleteVirtualMFADevice(ctx, cs.PendingSerial); err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
			return nil, err
		}
		s.forgetDevices(ctx, cs.PendingSerial)
	}
	dev, err := s.cfg.IAM.CreateVirtualMFADevice(ctx, u.UserName)
	if portal.ErrorReason(err) == awsiam.CodeEntityAlreadyExists {
		dev, err = s.createAfterConflict(ctx, u.UserName)
	}
	if err != nil {
		return nil, err
	}
	if err := s.recordDevice(ctx, u, dev.Serial); err != nil {
		return nil, err
	}
	if err := s.cfg.Store.SetPendingSerial(ctx, cs.IDHash, dev.Serial); err != nil {
		return nil, err
	}
	cs.PendingSerial = dev.Serial
	s.audit(ctx, Actor{Name: "invitee:" + u.UserName, RequestID: requestID}, "mfa.device.create", u.UserName, portal.T("audit.mfa.device.create", dev.Serial))
	return &MFASetup{Serial: dev.Serial, Secret: dev.Secret, QRPNG: dev.QRPNG}, nil
}

// createAfterConflict handles a device name that is taken: an unassigned
// leftover with that name that Gatehouse created is deleted (an abandoned
// try); any other device of that name — assigned, or created by someone else,
// which the seed policy allows — keeps it, and the new one gets a random
// suffix instead.
func (s *Service) createAfterConflict(ctx context.Context, name string) (awsiam.VirtualDevice, error) {
	serial := s.mfaARN(name)
	unassigned, err := s.cfg.IAM.ListVirtualMFADevices(ctx, false)
	if err != nil {
		return awsiam.VirtualDevice{}, err
	}
	ours, err := s.cfg.Store.FindDevices(ctx)
	if err != nil {
		return awsiam.VirtualDevice{}, err
	}
	for _, d := range unassigned {
		if _, created := ours[serial]; d.Serial == serial && created {
			if err := s.cfg.IAM.DeleteVirtualMFADevice(ctx, serial); err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
				return awsiam.VirtualDevice{}, err
			}
			s.forgetDevices(ctx, serial)
			return s.cfg.IAM.CreateVirtualMFADevice(ctx, name)
		}
	}
	b := make([]byte, 3)
	rand.Read(b)
	suffixed := name + "-" + hex.EncodeToString(b)
	if len(suffixed) > 128 {
		suffixed = suffixed[len(suffixed)-128:]
	}
	return s.cfg.IAM.CreateVirtualMFADevice(ctx, suffixed)
}

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// EnrollMFA enables the session's pending device with two consecutive codes.
// Mistakes that can be seen without asking AWS (not six digits, the same
// code twice) are reported before any call.
func (s *Service) EnrollMFA(ctx context.Context, cs *portal.ClaimSession, u *portal.User, code1, code2, requestID string) (string, error) {
	switch {
	case !sixDigits.MatchString(code1):
		return "", portal.FieldE("code1", "err.mfa.code1")
	case !sixDigits.MatchString(code2):
		return "", portal.FieldE("code2", "err.mfa.code2")
	case code1 == code2:
		return "", portal.FieldE("code2", "err.mfa.same")
	case cs.PendingSerial == "":
		return "", portal.E(portal.ECONFLICT, "err.mfa.nopending")
	}
	// The codes are a guess at the device's secret: the attempt is recorded
	// against the invite before AWS checks them (portal.GuessLimit).
	subject := "invite:" + strconv.FormatInt(cs.InviteID, 10)
	if err := s.cfg.Store.TakeAttempt(ctx, subject, portal.GuessLimit, s.cfg.Now()); err != nil {
		return "", err
	}
	err := s.cfg.IAM.EnableMFADevice(ctx, u.UserName, cs.PendingSerial, code1, code2)
	if portal.ErrorReason(err) == awsiam.CodeInvalidAuthenticationCode {
		return "", portal.FieldE("code1", "err.mfa.rejected").WithReason(awsiam.CodeInvalidAuthenticationCode).Wrap(err)
	}
	if err != nil {
		return "", err
	}
	serial := cs.PendingSerial
	if err := s.markEnrolled(ctx, u, serial); err != nil {
		return "", err
	}
	if err := s.cfg.Store.SetPendingSerial(ctx, cs.IDHash, ""); err != nil {
		return "", err
	}
	s.audit(ctx, Actor{Name: "invitee:" + u.UserName, RequestID: requestID}, "mfa.enable", u.UserName, portal.T("audit.mfa.enable", serial))
	return serial, nil
}

func (s *Service) markEnrolled(ctx context.Context, u *portal.User, serial string) error {
	now := s.cfg.Now()
	enrolled := portal.StateEnrolled
	if err := s.cfg.Store.UpdateUser(ctx, u.ID, store.UserUpdate{State: &enrolled, MFASerial: &serial, EnrolledAt: &now}, now); err != nil {
		return err
	}
	s.forgetDevices(ctx, serial) // enabled: the user's device now, not an abandoned one
	u.State, u.MFASerial, u.EnrolledAt = enrolled, serial, now
	return nil
}

// CheckStatus asks IAM whether the user has an MFA device now (for users who
// set it up in the AWS console) and records enrollment when so.
func (s *Service) CheckStatus(ctx context.Context, u *portal.User, a Actor) (bool, error) {
	devs, err := s.cfg.IAM.ListMFADevices(ctx, u.UserName)
	if err != nil {
		return false, err
	}
	if len(devs) == 0 {
		return false, nil
	}
	if u.State != portal.StateEnrolled {
		if err := s.markEnrolled(ctx, u, devs[0].Serial); err != nil {
			return false, err
		}
		s.audit(ctx, a, "mfa.enable", u.UserName, portal.T("audit.mfa.found", devs[0].Serial))
	}
	return true, nil
}

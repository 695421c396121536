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

// MFASetup is a virtual MFA device waiting for its two codes: its serial
// and its secret, to be shown and never stored.
type MFASetup struct {
	Serial string
	Secret string
	// Enrolled says the user has an active MFA device already (enabled in a
	// request whose answer was lost, or in the AWS console): nothing was
	// created, Serial is that device and the setup is done.
	Enrolled bool
}

// StartMFA creates a virtual MFA device for the claim session's user and
// records its serial as Gatehouse's (recordDevice). It is idempotent against
// IAM: a user with an active device is enrolled, and nothing is created. A
// device left from an earlier try of this session (or a dangling unassigned
// device with the user's name that Gatehouse created) is deleted first: its
// seed cannot be shown again from here.
func (s *Service) StartMFA(ctx context.Context, cs *portal.ClaimSession, u *portal.User, requestID string) (*MFASetup, error) {
	ctx, err := s.scope(ctx, u.AccountID) // the invitee's calls go to their own account
	if err != nil {
		return nil, err
	}
	a := invitee(u, requestID)
	if serial, ok, err := s.recordActiveDevice(ctx, cs, u, a); err != nil || ok {
		return &MFASetup{Serial: serial, Enrolled: ok}, err
	}
	if cs.PendingSerial != "" {
		err := s.iam(ctx).DeleteVirtualMFADevice(ctx, cs.PendingSerial)
		if portal.ErrorReason(err) == awsiam.CodeDeleteConflict {
			// Assigned since the look above: enabled by a request still
			// running, or in the console.
			if serial, ok, lerr := s.recordActiveDevice(ctx, cs, u, a); lerr != nil || ok {
				return &MFASetup{Serial: serial, Enrolled: ok}, lerr
			}
		}
		if err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
			return nil, err
		}
		s.forgetDevices(ctx, cs.PendingSerial)
	}
	dev, err := s.iam(ctx).CreateVirtualMFADevice(ctx, u.UserName)
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
	s.auditUser(ctx, a, "mfa.device.create", u, portal.T("audit.mfa.device.create", dev.Serial))
	return &MFASetup{Serial: dev.Serial, Secret: dev.Secret}, nil
}

// recordActiveDevice asks IAM whether the user has an MFA device now. One
// that the store does not know yet (enabled by a request whose answer was
// lost, or set up in the AWS console) is recorded: the user is enrolled.
// It reports the device's serial and whether there is one.
func (s *Service) recordActiveDevice(ctx context.Context, cs *portal.ClaimSession, u *portal.User, a Actor) (string, bool, error) {
	devs, err := s.iam(ctx).ListMFADevices(ctx, u.UserName)
	if err != nil || len(devs) == 0 {
		return "", false, err
	}
	serial := devs[0].Serial
	for _, d := range devs {
		if cs != nil && d.Serial == cs.PendingSerial {
			serial = d.Serial // the device this setup created
		}
	}
	pending := ""
	if cs != nil && cs.PendingSerial != "" {
		pending = cs.IDHash // the setup session waits no longer
	}
	if u.State != portal.StateEnrolled || u.MFASerial == "" {
		if err := s.markEnrolled(ctx, u, serial, pending); err != nil {
			return "", false, err
		}
		how := portal.T("audit.mfa.found", serial)
		if cs != nil && serial == cs.PendingSerial {
			how = portal.T("audit.mfa.found.lost", serial)
		}
		s.auditUser(ctx, a, "mfa.enable", u, how)
	} else if pending != "" {
		if err := s.cfg.Store.SetPendingSerial(ctx, pending, ""); err != nil {
			return "", false, err
		}
	}
	if pending != "" {
		cs.PendingSerial = ""
	}
	return u.MFASerial, true, nil
}

// createAfterConflict handles a device name that is taken: an unassigned
// leftover with that name that Gatehouse created is deleted (an abandoned
// try); any other device of that name — assigned, or created by someone else,
// which the seed policy allows — keeps it, and the new one gets a random
// suffix instead.
func (s *Service) createAfterConflict(ctx context.Context, name string) (awsiam.VirtualDevice, error) {
	serial := s.mfaARN(ctx, name)
	unassigned, err := s.iam(ctx).ListVirtualMFADevices(ctx, false)
	if err != nil {
		return awsiam.VirtualDevice{}, err
	}
	ours, err := s.cfg.Store.FindDevices(ctx)
	if err != nil {
		return awsiam.VirtualDevice{}, err
	}
	for _, d := range unassigned {
		if _, created := ours[serial]; d.Serial == serial && created {
			if err := s.iam(ctx).DeleteVirtualMFADevice(ctx, serial); err != nil && portal.ErrorCode(err) != portal.ENOTFOUND {
				return awsiam.VirtualDevice{}, err
			}
			s.forgetDevices(ctx, serial)
			return s.iam(ctx).CreateVirtualMFADevice(ctx, name)
		}
	}
	b := make([]byte, 3)
	rand.Read(b)
	suffixed := name + "-" + hex.EncodeToString(b)
	if len(suffixed) > 128 {
		suffixed = suffixed[len(suffixed)-128:]
	}
	return s.iam(ctx).CreateVirtualMFADevice(ctx, suffixed)
}

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// EnrollMFA enables the session's pending device with two consecutive codes.
// Mistakes that can be seen without asking AWS (not six digits, the same
// code twice) are reported before any call. It is idempotent against IAM:
// a device that is active already (the answer to an earlier submit was
// lost) means the user is enrolled.
func (s *Service) EnrollMFA(ctx context.Context, cs *portal.ClaimSession, u *portal.User, code1, code2, requestID string) (string, error) {
	ctx, err := s.scope(ctx, u.AccountID)
	if err != nil {
		return "", err
	}
	switch {
	case !sixDigits.MatchString(code1):
		return "", portal.FieldE("code1", "err.mfa.code1")
	case !sixDigits.MatchString(code2):
		return "", portal.FieldE("code2", "err.mfa.code2")
	case code1 == code2:
		return "", portal.FieldE("code2", "err.mfa.same")
	}
	a := invitee(u, requestID)
	if cs.PendingSerial == "" {
		if serial, ok, err := s.recordActiveDevice(ctx, cs, u, a); err != nil || ok {
			return serial, err
		}
		return "", portal.E(portal.ECONFLICT, "err.mfa.nopending")
	}
	// The codes are a guess at the device's secret: the attempt is recorded
	// against the invite before AWS checks them (portal.GuessLimit).
	subject := "invite:" + strconv.FormatInt(cs.InviteID, 10)
	if err := s.cfg.Store.TakeAttempt(ctx, subject, portal.GuessLimit, s.cfg.Now()); err != nil {
		return "", err
	}
	serial := cs.PendingSerial
	err = s.iam(ctx).EnableMFADevice(ctx, u.UserName, serial, code1, code2)
	switch portal.ErrorReason(err) {
	case awsiam.CodeInvalidAuthenticationCode:
		return "", portal.FieldE("code1", "err.mfa.rejected").WithReason(awsiam.CodeInvalidAuthenticationCode).Wrap(err)
	case awsiam.CodeEntityAlreadyExists, awsiam.CodeNoSuchEntity:
		// In use: enabled by an earlier submit whose answer was lost (or by
		// another tab). Gone: deleted meanwhile (a restart in another tab, or
		// the helpdesk's cleanup). IAM says which.
		if active, ok, lerr := s.recordActiveDevice(ctx, cs, u, a); lerr != nil || ok {
			return active, lerr
		}
		if portal.ErrorReason(err) == awsiam.CodeNoSuchEntity {
			s.forgetDevices(ctx, serial)
			if err := s.cfg.Store.SetPendingSerial(ctx, cs.IDHash, ""); err != nil {
				return "", err
			}
			cs.PendingSerial = ""
			return "", portal.E(portal.ECONFLICT, "err.mfa.devicegone").Wrap(err)
		}
	}
	if err != nil {
		return "", err
	}
	if err := s.markEnrolled(ctx, u, serial, cs.IDHash); err != nil {
		return "", err
	}
	cs.PendingSerial = ""
	s.auditUser(ctx, a, "mfa.enable", u, portal.T("audit.mfa.enable", serial))
	return serial, nil
}

// markEnrolled records that u enrolled with the device serial (its record
// as a device Gatehouse created goes: the user's device now, not an
// abandoned one) and that the setup session claimIDHash ("" for none) no
// longer waits for a device, in one write.
func (s *Service) markEnrolled(ctx context.Context, u *portal.User, serial, claimIDHash string) error {
	now := s.cfg.Now()
	if err := s.cfg.Store.RecordEnrollment(ctx, u.ID, serial, claimIDHash, now); err != nil {
		return err
	}
	u.State, u.MFASerial, u.EnrolledAt = portal.StateEnrolled, serial, now
	return nil
}

// CheckStatus asks IAM whether the user has an MFA device now (for users who
// set it up in the AWS console, or whose enrollment in the portal was not
// recorded) and records enrollment when so.
func (s *Service) CheckStatus(ctx context.Context, cs *portal.ClaimSession, u *portal.User, a Actor) (bool, error) {
	ctx, err := s.scope(ctx, u.AccountID)
	if err != nil {
		return false, err
	}
	_, ok, err := s.recordActiveDevice(ctx, cs, u, a)
	return ok, err
}

// recordDevice records serial as a device Gatehouse created for u. If the
// record cannot be written the device is deleted again, so that no device
// of ours exists that cleanup would not know as ours.
func (s *Service) recordDevice(ctx context.Context, u *portal.User, serial string) error {
	err := s.cfg.Store.CreateDevice(ctx, store.CreatedDevice{Serial: serial, UserID: u.ID, CreatedAt: s.cfg.Now()})
	if err != nil {
		if derr := s.iam(ctx).DeleteVirtualMFADevice(ctx, serial); derr != nil {
			s.log.ErrorContext(ctx, "delete an unrecorded device", "serial", serial, "err", derr)
		}
	}
	return err
}

// forgetDevices drops the records of devices that were enabled or deleted.
// A failure is logged: a stale record is dropped by the next DanglingDevices.
func (s *Service) forgetDevices(ctx context.Context, serials ...string) {
	if err := s.cfg.Store.DeleteDevices(ctx, serials...); err != nil {
		s.log.WarnContext(ctx, "forget devices", "serials", serials, "err", err)
	}
}

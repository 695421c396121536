package iamemu

import (
	"strings"
	"time"
)

const msgBadCode = "Authentication code for device is not valid."

// maxDevicesPerUser is the per-user MFA quota since 16 Nov 2022
// (docs/iam-notes.md#mfa-devices).
const maxDevicesPerUser = 8

// mfaInput validates UserName, SerialNumber and the two codes shared by
// EnableMFADevice and ResyncMFADevice.
func (c *call) mfaInput() (*user, *mfaDevice, string, string, *apiError) {
	var v checker
	name := v.str(c.p, "UserName", ruleUserRef, true)
	serial := v.str(c.p, "SerialNumber", ruleSerial, true)
	c1 := v.str(c.p, "AuthenticationCode1", ruleAuthCode, true)
	c2 := v.str(c.p, "AuthenticationCode2", ruleAuthCode, true)
	if err := v.err(); err != nil {
		return nil, nil, "", "", err
	}
	if err := c.checkArnPartition(serial); err != nil {
		return nil, nil, "", "", err
	}
	u, err := c.findUser(name)
	if err != nil {
		return nil, nil, "", "", err
	}
	d := c.st.Devices[serial]
	if d == nil {
		return nil, nil, "", "", errf("NoSuchEntity", "MFA Device with serial number %s does not exist.", serial)
	}
	return u, d, c1, c2, nil
}

// enableMFADevice binds a virtual device to a user after checking two
// consecutive RFC 6238 codes in a window around now
// (docs/iam-notes.md#totp-and-code-checks). moto accepts any two strings
// here.
func enableMFADevice(c *call) (any, *apiError) {
	u, d, c1, c2, err := c.mfaInput()
	if err != nil {
		return nil, err
	}
	if d.UserName != "" {
		return nil, errf("EntityAlreadyExists", "MFA Device is already in use.")
	}
	if len(c.userDevices(u.Name)) >= maxDevicesPerUser {
		return nil, errf("LimitExceeded", "Cannot exceed quota for MFADevicesPerUser: %d", maxDevicesPerUser)
	}
	step, now, err := c.consecutiveCodes(d, c1, c2)
	if err != nil {
		return nil, err
	}
	// Late codes still associate the device but leave it out of sync
	// (docs/iam-notes.md#totp-and-code-checks): remember how far behind the
	// device's clock appears to be.
	d.Drift, d.LastStep = step-now, step
	d.UserName, d.Enabled = u.Name, c.now
	return nil, nil
}

// consecutiveCodes checks that c1 and c2 are consecutive codes of d in the
// window around the IAM clock's step now, later than any pair d accepted
// before; step is the step of c2.
func (c *call) consecutiveCodes(d *mfaDevice, c1, c2 string) (step, now int64, err *apiError) {
	key, kerr := decodeSeed(d.Seed)
	if kerr != nil {
		return 0, 0, errf("ServiceFailure", "Device seed is corrupt.")
	}
	now = stepOf(c.now)
	step, ok := findConsecutive(key, c1, c2, now, c.e.opts.MFAPastSteps, c.e.opts.MFAFutureSteps, d.LastStep)
	if !ok {
		return 0, 0, errf("InvalidAuthenticationCode", msgBadCode)
	}
	return step, now, nil
}

// resyncMFADevice re-anchors the drift of an enabled device
// (docs/iam-notes.md#totp-and-code-checks). Codes are searched around now +
// drift; replayed codes are refused.
func resyncMFADevice(c *call) (any, *apiError) {
	u, d, c1, c2, err := c.mfaInput()
	if err != nil {
		return nil, err
	}
	if !equalFoldName(d.UserName, u.Name) {
		return nil, errf("NoSuchEntity", "MFA Device with serial number %s does not exist.", d.Serial)
	}
	step, now, err := c.consecutiveCodes(d, c1, c2)
	if err != nil {
		return nil, err
	}
	d.Drift, d.LastStep = step-now, step
	return nil, nil
}

func deactivateMFADevice(c *call) (any, *apiError) {
	var v checker
	serial := v.str(c.p, "SerialNumber", ruleSerial, true)
	u, err := c.targetUser(&v, ruleUserRef)
	if err != nil {
		return nil, err
	}
	if err := c.checkArnPartition(serial); err != nil {
		return nil, err
	}
	d := c.st.Devices[serial]
	if d == nil || !equalFoldName(d.UserName, u.Name) {
		return nil, errf("NoSuchEntity", "MFA Device with serial number %s does not exist.", serial)
	}
	// A deactivated virtual device is not deleted: it becomes Unassigned and
	// still blocks its name until DeleteVirtualMFADevice
	// (docs/iam-notes.md#mfa-devices).
	d.UserName, d.Enabled, d.Drift = "", time.Time{}, 0
	return nil, nil
}

func deleteVirtualMFADevice(c *call) (any, *apiError) {
	var v checker
	serial := v.str(c.p, "SerialNumber", ruleSerial, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := c.checkArnPartition(serial); err != nil {
		return nil, err
	}
	d := c.st.Devices[serial]
	if d == nil {
		return nil, errf("NoSuchEntity", "MFA Device with serial number %s does not exist.", serial)
	}
	if d.UserName != "" {
		// moto deletes assigned devices and leaves dangling references.
		return nil, errf("DeleteConflict", "MFA device %s is still in use by %s. Deactivate it first.", serial, d.UserName)
	}
	delete(c.st.Devices, serial)
	return nil, nil
}

// equalFoldName compares IAM names, which are case-insensitive.
func equalFoldName(a, b string) bool { return a != "" && strings.EqualFold(a, b) }

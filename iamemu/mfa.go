package iamemu

import (
	"encoding/base32"
	"sort"
	"strings"
	"time"
)

type mfaDevice struct {
	Serial, Name, Path string
	Seed               string // 64-char base32
	Created            time.Time
	UserName           string // empty while unassigned
	Enabled            time.Time
	Drift              int64 // steps the device runs behind (<0) or ahead of the clock
	LastStep           int64 // last accepted TOTP step (codes are single-use)
	Tags               []tag
}

type xmlVirtualDevice struct {
	SerialNumber     string
	Base32StringSeed blob `xml:",omitempty"`
	QRCodePNG        blob `xml:",omitempty"`
	User             *xmlUser
	EnableDate       *isoTime
	Tags             *members[xmlTag]
}

type createVirtualMFADeviceResult struct {
	VirtualMFADevice xmlVirtualDevice
	qrURI            string
}

// createVirtualMFADevice returns the seed and QR code — the only call that
// ever does (docs/iam-notes.md#mfa-devices). The QR is a real PNG of the
// otpauth URI (moto returns random bytes).
func createVirtualMFADevice(c *call) (any, *apiError) {
	var v checker
	name := v.str(c.p, "VirtualMFADeviceName", ruleDeviceName, true)
	path, tags, err := c.newEntity(&v, false, false)
	if err != nil {
		return nil, err
	}
	serial := c.st.arn("mfa" + path + name)
	if len(serial) > 256 {
		return nil, validationErr("Value at 'virtualMFADeviceName' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	if _, ok := c.st.Devices[serial]; ok {
		return nil, errf("EntityAlreadyExists", "MFA device already exists.")
	}
	// Virtual devices per account are capped by the user quota
	// (docs/iam-notes.md#names-limits-and-quotas).
	if len(c.st.Devices) >= 5000 {
		return nil, errf("LimitExceeded", "Cannot exceed quota for VirtualMFADevicesPerAccount: 5000")
	}
	seed := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(randomBytes(40))
	c.st.Devices[serial] = &mfaDevice{Serial: serial, Name: name, Path: path, Seed: seed, Created: c.now, Tags: tags}
	x := xmlVirtualDevice{SerialNumber: serial, Base32StringSeed: blob(seed)}
	if len(tags) > 0 {
		t := list(tagsXML(tags))
		x.Tags = &t
	}
	// The QR code is drawn after the emulator's lock is released (see
	// unlockedWork): it is most of this call's cost and needs no state.
	return &createVirtualMFADeviceResult{VirtualMFADevice: x, qrURI: otpauthURI(name, c.st.otpauthAccount(), seed)}, nil
}

// finish renders the QR code (unlockedWork).
func (r *createVirtualMFADeviceResult) finish() *apiError {
	png, err := qrPNG(r.qrURI)
	if err != nil {
		return errf("ServiceFailure", "Could not render the QR code.")
	}
	r.VirtualMFADevice.QRCodePNG = blob(png)
	return nil
}

// userDevices returns the devices assigned to a user, by serial.
func (c *call) userDevices(userName string) []*mfaDevice {
	var out []*mfaDevice
	for _, d := range c.st.Devices {
		if d.UserName != "" && strings.EqualFold(d.UserName, userName) {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Serial < out[j].Serial })
	return out
}

type xmlMFADevice struct {
	UserName     string
	SerialNumber string
	EnableDate   isoTime
}

type listMFADevicesResult struct {
	MFADevices members[xmlMFADevice]
	page
}

func listMFADevices(c *call) (any, *apiError) {
	var v checker
	var devices []*mfaDevice
	if c.p.get("UserName") == "" && c.caller.Root {
		devices = nil // the root user's devices are not emulated
	} else {
		u, err := c.targetUser(&v, ruleUserRef)
		if err != nil {
			return nil, err
		}
		devices = c.userDevices(u.Name)
	}
	items, pg, err := paginate(c.p, devices, func(d *mfaDevice) string { return d.Serial })
	if err != nil {
		return nil, err
	}
	out := listMFADevicesResult{MFADevices: list([]xmlMFADevice{}), page: pg}
	for _, d := range items {
		out.MFADevices.Member = append(out.MFADevices.Member, xmlMFADevice{d.UserName, d.Serial, isoTime(d.Enabled)})
	}
	return out, nil
}

type listVirtualMFADevicesResult struct {
	VirtualMFADevices members[xmlVirtualDevice]
	page
}

// listVirtualMFADevices never returns seeds or QR codes; assigned devices
// carry User (without tags) and EnableDate (docs/iam-notes.md#mfa-devices).
// Default status is Any.
func listVirtualMFADevices(c *call) (any, *apiError) {
	var v checker
	status := v.enum(c.p, "AssignmentStatus", false, "Assigned", "Unassigned", "Any")
	if err := v.err(); err != nil {
		return nil, err
	}
	var devices []*mfaDevice
	for _, d := range c.st.Devices {
		assigned := d.UserName != ""
		if status == "Assigned" && !assigned || status == "Unassigned" && assigned {
			continue
		}
		devices = append(devices, d)
	}
	sort.Slice(devices, func(i, j int) bool { return devices[i].Serial < devices[j].Serial })
	items, pg, err := paginate(c.p, devices, func(d *mfaDevice) string { return d.Serial })
	if err != nil {
		return nil, err
	}
	out := listVirtualMFADevicesResult{VirtualMFADevices: list([]xmlVirtualDevice{}), page: pg}
	for _, d := range items {
		x := xmlVirtualDevice{SerialNumber: d.Serial}
		if u := c.st.Users[strings.ToLower(d.UserName)]; d.UserName != "" && u != nil {
			x.User = c.userXML(u, false)
			x.EnableDate = optTime(d.Enabled)
		}
		out.VirtualMFADevices.Member = append(out.VirtualMFADevices.Member, x)
	}
	return out, nil
}

// SeedForTest returns the base32 seed of a virtual MFA device, for the
// portal's test-mode virtual authenticator. Real AWS never reveals a seed
// after CreateVirtualMFADevice; only test code may call this. The device
// may be in any hosted account (its serial names the account).
func (e *Emulator) SeedForTest(serialNumber string) (base32Seed string, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, id := range e.order {
		if d, ok := e.accounts[id].Devices[serialNumber]; ok {
			return d.Seed, true
		}
	}
	return "", false
}

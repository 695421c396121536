package awsiam

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// VirtualDevice is a virtual MFA device. Secret and QRPNG are set only in
// the answer to CreateVirtualMFADevice — IAM never returns them again — and
// Gatehouse passes them straight to the page without storing them.
type VirtualDevice struct {
	Serial     string
	Secret     string // base32 seed
	QRPNG      []byte
	UserName   string // empty while unassigned
	EnableDate time.Time
}

// CreateVirtualMFADevice creates an unassigned virtual MFA device.
func (c *Client) CreateVirtualMFADevice(ctx context.Context, name string) (VirtualDevice, error) {
	out, err := c.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
	if err != nil {
		return VirtualDevice{}, mapErr("CreateVirtualMFADevice", err)
	}
	d := out.VirtualMFADevice
	return VirtualDevice{Serial: aws.ToString(d.SerialNumber), Secret: string(d.Base32StringSeed), QRPNG: d.QRCodePNG}, nil
}

// EnableMFADevice assigns a virtual device to a user; IAM checks that the
// two codes are consecutive.
func (c *Client) EnableMFADevice(ctx context.Context, user, serial, code1, code2 string) error {
	_, err := c.iam.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(code1), AuthenticationCode2: aws.String(code2)})
	return mapErr("EnableMFADevice", err)
}

// MFADevice is an MFA device enabled for a user.
type MFADevice struct {
	Serial     string
	EnableDate time.Time
}

// ListMFADevices returns the MFA devices enabled for a user.
func (c *Client) ListMFADevices(ctx context.Context, user string) ([]MFADevice, error) {
	var out []MFADevice
	p := iam.NewListMFADevicesPaginator(c.iam, &iam.ListMFADevicesInput{UserName: aws.String(user), MaxItems: c.maxItems()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListMFADevices", err)
		}
		for _, d := range page.MFADevices {
			out = append(out, MFADevice{Serial: aws.ToString(d.SerialNumber), EnableDate: aws.ToTime(d.EnableDate)})
		}
	}
	return out, nil
}

// ListVirtualMFADevices lists the account's virtual devices in pages of up
// to 1,000; assigned selects assigned (true) or unassigned (false) ones.
// Hardware keys and passkeys are not virtual devices and never appear.
func (c *Client) ListVirtualMFADevices(ctx context.Context, assigned bool) ([]VirtualDevice, error) {
	status := types.AssignmentStatusTypeUnassigned
	if assigned {
		status = types.AssignmentStatusTypeAssigned
	}
	var out []VirtualDevice
	p := iam.NewListVirtualMFADevicesPaginator(c.iam, &iam.ListVirtualMFADevicesInput{AssignmentStatus: status, MaxItems: c.largestPage()})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, mapErr("ListVirtualMFADevices", err)
		}
		for _, d := range page.VirtualMFADevices {
			v := VirtualDevice{Serial: aws.ToString(d.SerialNumber), EnableDate: aws.ToTime(d.EnableDate)}
			if d.User != nil {
				v.UserName = aws.ToString(d.User.UserName)
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// DeactivateMFADevice detaches a device from a user; a virtual device stays
// in the account, unassigned, until deleted.
func (c *Client) DeactivateMFADevice(ctx context.Context, user, serial string) error {
	_, err := c.iam.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String(user), SerialNumber: aws.String(serial)})
	return mapErr("DeactivateMFADevice", err)
}

// DeleteVirtualMFADevice deletes an unassigned virtual device.
func (c *Client) DeleteVirtualMFADevice(ctx context.Context, serial string) error {
	_, err := c.iam.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	return mapErr("DeleteVirtualMFADevice", err)
}

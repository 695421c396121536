package iamemu

import (
	"bytes"
	"errors"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// RFC 6238 Appendix B, SHA-1, truncated to 6 digits (§6.1).
func TestGenerateCode_RFC6238Vectors(t *testing.T) {
	const seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	for _, tc := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}} {
		got, err := GenerateCode(seed, time.Unix(tc.unix, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Fatalf("code at %d = %s, want %s", tc.unix, got, tc.want)
		}
	}
}

// newDevice creates a virtual device for a new user and returns its serial
// and seed.
func (env *testEnv) newDevice(t *testing.T, userName string) (string, string) {
	t.Helper()
	env.createUser(t, userName)
	out := must[*iam.CreateVirtualMFADeviceOutput](t)(env.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(userName)}))
	return aws.ToString(out.VirtualMFADevice.SerialNumber), string(out.VirtualMFADevice.Base32StringSeed)
}

func code(t *testing.T, seed string, at time.Time) string {
	t.Helper()
	c, err := GenerateCode(seed, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (env *testEnv) enable(user, serial, c1, c2 string) error {
	_, err := env.iam.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
		UserName: aws.String(user), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2),
	})
	return err
}

func TestCreateVirtualMFADevice_RealSeedAndQR_MotoReturnsRandomBytes(t *testing.T) {
	env := newEnv(t, Options{})
	out := must[*iam.CreateVirtualMFADeviceOutput](t)(env.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{
		VirtualMFADeviceName: aws.String("alice-phone"), Path: aws.String("/team/"),
	}))
	d := out.VirtualMFADevice
	if got, want := aws.ToString(d.SerialNumber), "arn:aws:iam::123456789012:mfa/team/alice-phone"; got != want {
		t.Fatalf("SerialNumber = %q, want %q", got, want)
	}
	if got, want := len(d.Base32StringSeed), 64; got != want {
		t.Fatalf("seed length = %d, want %d", got, want)
	}
	img, err := png.Decode(bytes.NewReader(d.QRCodePNG))
	if err != nil {
		t.Fatalf("QRCodePNG is not a PNG: %v", err)
	}
	if got, want := img.Bounds().Dx(), 200; got != want {
		t.Fatalf("QR width = %d, want %d", got, want)
	}
	if got, want := otpauthURI("alice-phone", "123456789012", "SEED"), "otpauth://totp/Amazon%20Web%20Services:alice-phone@123456789012?secret=SEED&issuer=Amazon%20Web%20Services"; got != want {
		t.Fatalf("otpauth URI = %q, want %q", got, want)
	}
	if seed, ok := env.e.SeedForTest(aws.ToString(d.SerialNumber)); !ok || seed != string(d.Base32StringSeed) {
		t.Fatalf("SeedForTest = %q, %v; want the created seed", seed, ok)
	}

	t.Run("same path and name is EntityAlreadyExists", func(t *testing.T) {
		_, err := env.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alice-phone"), Path: aws.String("/team/")})
		var target *types.EntityAlreadyExistsException
		if !errors.As(err, &target) || aws.ToString(target.Message) != "MFA device already exists." {
			t.Fatalf("err = %v, want EntityAlreadyExists \"MFA device already exists.\"", err)
		}
	})
}

func TestEnableMFADevice_RejectsWrongCodes_MotoAcceptsAny(t *testing.T) {
	now := t0.Add(10 * time.Second)
	step := 30 * time.Second
	cases := []struct {
		name   string
		c1, c2 func(seed string) string
		ok     bool
	}{
		{"previous and current code are accepted", at(now.Add(-step)), at(now), true},
		{"current and next code are accepted", at(now), at(now.Add(step)), true},
		{"late pair within the window still associates", at(now.Add(-8 * step)), at(now.Add(-7 * step)), true},
		{"same code twice is rejected", at(now), at(now), false},
		{"non-consecutive codes are rejected", at(now.Add(-2 * step)), at(now), false},
		{"swapped order is rejected", at(now), at(now.Add(-step)), false},
		{"pair older than the window is rejected", at(now.Add(-12 * step)), at(now.Add(-11 * step)), false},
		{"pair from the future is rejected", at(now.Add(2 * step)), at(now.Add(3 * step)), false},
		{"arbitrary digits are rejected", fixed("234567"), fixed("987654"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t, Options{})
			env.clock.Advance(now.Sub(t0))
			serial, seed := env.newDevice(t, "alice")
			err := env.enable("alice", serial, tc.c1(seed), tc.c2(seed))
			if tc.ok {
				if err != nil {
					t.Fatalf("EnableMFADevice: %v", err)
				}
				return
			}
			var target *types.InvalidAuthenticationCodeException
			if !errors.As(err, &target) {
				t.Fatalf("err = %v, want InvalidAuthenticationCodeException", err)
			}
			if got, want := aws.ToString(target.Message), "Authentication code for device is not valid."; got != want {
				t.Fatalf("message = %q, want %q", got, want)
			}
		})
	}
}

func at(t time.Time) func(string) string {
	return func(seed string) string { c, _ := GenerateCode(seed, t); return c }
}

func fixed(c string) func(string) string { return func(string) string { return c } }

func TestMFADeviceLifecycle_DeleteConflictWhileAssigned_MotoDeletesAssigned(t *testing.T) {
	env := newEnv(t, Options{})
	serial, seed := env.newDevice(t, "alice")
	if err := env.enable("alice", serial, code(t, seed, t0.Add(-30*time.Second)), code(t, seed, t0)); err != nil {
		t.Fatal(err)
	}
	listed := must[*iam.ListMFADevicesOutput](t)(env.iam.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("alice")}))
	if got, want := len(listed.MFADevices), 1; got != want {
		t.Fatalf("ListMFADevices = %d devices, want %d", got, want)
	}
	if d := listed.MFADevices[0]; aws.ToString(d.SerialNumber) != serial || !d.EnableDate.Equal(t0) {
		t.Fatalf("device = %s enabled %v, want %s at %v", aws.ToString(d.SerialNumber), d.EnableDate, serial, t0)
	}

	t.Run("enabling an assigned device again is EntityAlreadyExists", func(t *testing.T) {
		env.clock.Advance(time.Minute)
		err := env.enable("alice", serial, code(t, seed, env.clock.Now().Add(-30*time.Second)), code(t, seed, env.clock.Now()))
		var target *types.EntityAlreadyExistsException
		if !errors.As(err, &target) {
			t.Fatalf("err = %v, want EntityAlreadyExistsException", err)
		}
	})
	t.Run("assigned filter shows the user", func(t *testing.T) {
		out := must[*iam.ListVirtualMFADevicesOutput](t)(env.iam.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeAssigned}))
		if len(out.VirtualMFADevices) != 1 || aws.ToString(out.VirtualMFADevices[0].User.UserName) != "alice" || out.VirtualMFADevices[0].Base32StringSeed != nil {
			t.Fatalf("assigned devices = %+v, want alice's device without seed", out.VirtualMFADevices)
		}
	})
	t.Run("deleting an assigned device is DeleteConflict", func(t *testing.T) {
		_, err := env.iam.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
		var target *types.DeleteConflictException
		if !errors.As(err, &target) {
			t.Fatalf("err = %v, want DeleteConflictException", err)
		}
	})
	t.Run("deactivate leaves an unassigned device, then delete works", func(t *testing.T) {
		must[*iam.DeactivateMFADeviceOutput](t)(env.iam.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("alice"), SerialNumber: aws.String(serial)}))
		out := must[*iam.ListVirtualMFADevicesOutput](t)(env.iam.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeUnassigned}))
		if len(out.VirtualMFADevices) != 1 || out.VirtualMFADevices[0].User != nil {
			t.Fatalf("unassigned devices = %+v, want one without User", out.VirtualMFADevices)
		}
		must[*iam.DeleteVirtualMFADeviceOutput](t)(env.iam.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)}))
		_, err := env.iam.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
		if got, want := apiMessage(t, err), "MFA Device with serial number "+serial+" does not exist."; got != want {
			t.Fatalf("message = %q, want %q", got, want)
		}
	})
	t.Run("unknown serial on enable is NoSuchEntity", func(t *testing.T) {
		err := env.enable("alice", "arn:aws:iam::123456789012:mfa/ghost", "123456", "654321")
		if got, want := apiCode(t, err), "NoSuchEntity"; got != want {
			t.Fatalf("code = %q, want %q", got, want)
		}
	})
	t.Run("non-digit code is ValidationError", func(t *testing.T) {
		err := env.enable("alice", serial, "12345a", "123456")
		if got := apiMessage(t, err); !strings.Contains(got, "'authenticationCode1'") {
			t.Fatalf("message = %q, want authenticationCode1 violation", got)
		}
	})
}

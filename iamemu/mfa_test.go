package iamemu

import (
	"bytes"
	"encoding/base32"
	"errors"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/pquerna/otp"
)

// RFC 6238 Appendix B, SHA-1, truncated to 6 digits.
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
	wantQR(t, d.QRCodePNG, otpauthURI("alice-phone", "123456789012", string(d.Base32StringSeed)))
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

// wantQR fails unless png is a small PNG whose every pixel is the QR code
// pquerna/otp draws for uri (no QR decoder builds here, so the PNG is held
// against the library's own rendering of the expected URI).
func wantQR(t *testing.T, pngData []byte, uri string) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		t.Fatalf("QRCodePNG is not a PNG: %v", err)
	}
	if len(pngData) > 4096 {
		t.Fatalf("QR PNG is %d bytes; a two-colour 200×200 code fits in far less", len(pngData))
	}
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		t.Fatal(err)
	}
	want, err := key.Image(200, 200)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != want.Bounds() {
		t.Fatalf("QR bounds = %v, want %v", img.Bounds(), want.Bounds())
	}
	dark := func(c color.Color) bool { r, _, _, _ := c.RGBA(); return r < 0x8000 }
	for y := 0; y < 200; y++ {
		for x := 0; x < 200; x++ {
			if dark(img.At(x, y)) != dark(want.At(x, y)) {
				t.Fatalf("QR pixel (%d,%d) differs from the code of %s", x, y, uri)
			}
		}
	}
}

func TestCreateVirtualMFADevice_QRNamesTheAccountAlias(t *testing.T) {
	env := newEnv(t, Options{})
	must[*iam.CreateAccountAliasOutput](t)(env.iam.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("example-corp")}))
	d := must[*iam.CreateVirtualMFADeviceOutput](t)(env.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("bob")})).VirtualMFADevice
	wantQR(t, d.QRCodePNG, otpauthURI("bob", "example-corp", string(d.Base32StringSeed)))
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

// BenchmarkQRPNG is the QR rendering CreateVirtualMFADevice does outside the
// emulator's lock.
func BenchmarkQRPNG(b *testing.B) {
	uri := otpauthURI("alice-phone", "123456789012", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
	for b.Loop() {
		if _, err := qrPNG(uri); err != nil {
			b.Fatal(err)
		}
	}
}

// TestQRPNG_MatchesTheLibraryAtEveryLength holds qrPNG against pquerna/otp's
// image for device names from 1 to 64 characters and both kinds of account,
// so QR versions with and without version information, one and two block
// groups, and every mask the penalty can pick are compared.
func TestQRPNG_MatchesTheLibraryAtEveryLength(t *testing.T) {
	for n := 1; n <= 64; n++ {
		for _, account := range []string{"123456789012", "example-corp-with-a-long-alias-name"} {
			name := strings.Repeat("d", n)
			uri := otpauthURI(name, account, base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(randomBytes(40)))
			got, err := qrPNG(uri)
			if err != nil {
				t.Fatal(err)
			}
			wantQR(t, got, uri)
		}
	}
	if _, err := qrPNG("otpauth://totp/x?secret=" + strings.Repeat("A", 3000)); err == nil {
		t.Fatal("qrPNG accepted content too long for any QR version")
	}
}

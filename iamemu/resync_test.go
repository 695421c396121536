package iamemu

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestResyncMFADevice_MotoNotImplemented(t *testing.T) {
	env := newEnv(t, Options{})
	serial, seed := env.newDevice(t, "alice")
	// Late codes: the device associates but is 5 steps behind.
	if err := env.enable("alice", serial, code(t, seed, t0.Add(-6*30*time.Second)), code(t, seed, t0.Add(-5*30*time.Second))); err != nil {
		t.Fatal(err)
	}
	resync := func(c1, c2 string) error {
		_, err := env.iam.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String("alice"), SerialNumber: aws.String(serial), AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)})
		return err
	}
	env.clock.Advance(time.Minute)
	now := env.clock.Now()
	if got, want := apiCode(t, resync("111111", "222222")), "InvalidAuthenticationCode"; got != want {
		t.Fatalf("code = %q, want %q", got, want)
	}
	if err := resync(code(t, seed, now.Add(-30*time.Second)), code(t, seed, now)); err != nil {
		t.Fatalf("ResyncMFADevice: %v", err)
	}
	if got, want := env.e.st.Devices[serial].Drift, int64(0); got != want {
		t.Fatalf("drift = %d, want %d", got, want)
	}
	if got, want := apiCode(t, resync(code(t, seed, now.Add(-30*time.Second)), code(t, seed, now))), "InvalidAuthenticationCode"; got != want {
		t.Fatalf("replayed codes: code = %q, want %q", got, want)
	}
}

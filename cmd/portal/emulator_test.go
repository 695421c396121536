package main

import (
	"bufio"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// runEmulatorCmd runs "portal emulator" in-process and returns what it
// printed (KEY=value lines) and a stop function that waits for the state
// to be saved.
func runEmulatorCmd(t *testing.T, args ...string) (map[string]string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"emulator", "--addr", "127.0.0.1:0"}, args...), func(string) string { return "" }, pw, io.Discard)
		pw.Close()
	}()
	vals := map[string]string{}
	sc := bufio.NewScanner(pr)
	member := ""
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && strings.HasPrefix(k, "AWS_") {
			vals[k] = v
		}
		// A member account's credentials: "Member account ID (…" then
		// "  AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=…", kept as ID/KEY.
		if rest, ok := strings.CutPrefix(sc.Text(), "Member account "); ok {
			member, _, _ = strings.Cut(rest, " ")
		}
		if member != "" && strings.HasPrefix(sc.Text(), "  AWS_") {
			for _, kv := range strings.Fields(sc.Text()) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					vals[member+"/"+k] = v
				}
			}
		}
		if strings.HasPrefix(sc.Text(), "Example:") {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	return vals, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("emulator returned %v", err)
		}
	}
}

func emulatorClient(t *testing.T, vals map[string]string) *iam.Client {
	t.Helper()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL", "AWS_REGION"} {
		if vals[k] == "" {
			t.Fatalf("emulator did not print %s: %v", k, vals)
		}
	}
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion(vals["AWS_REGION"]),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(vals["AWS_ACCESS_KEY_ID"], vals["AWS_SECRET_ACCESS_KEY"], "")))
	if err != nil {
		t.Fatal(err)
	}
	return iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(vals["AWS_ENDPOINT_URL"]) })
}

func TestEmulatorCommandPrintsCredentialsAndKeepsState(t *testing.T) {
	ctx := context.Background()
	state := filepath.Join(t.TempDir(), "emu.json")
	vals, stop := runEmulatorCmd(t, "--state", state)
	if _, err := emulatorClient(t, vals).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("survivor")}); err != nil {
		t.Fatalf("create user with the printed credentials: %v", err)
	}
	stop()

	again, stop := runEmulatorCmd(t, "--state", state)
	defer stop()
	out, err := emulatorClient(t, again).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("survivor")})
	if err != nil || aws.ToString(out.User.UserName) != "survivor" {
		t.Fatalf("after a restart with --state: %v", err)
	}
}

func TestEmulatorCommandRejectsBadAccountID(t *testing.T) {
	for _, id := range []string{"12", "12345678901x"} {
		err := run(context.Background(), []string{"emulator", "--account-id", id}, func(string) string { return "" }, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "12 digits") {
			t.Fatalf("--account-id %s: err = %v", id, err)
		}
	}
}

func TestEmulatorCommandPartition(t *testing.T) {
	for _, tc := range []struct{ partition, region string }{
		{"aws", "us-east-1"},
		{"aws-us-gov", "us-gov-west-1"},
		{"aws-cn", "cn-north-1"},
	} {
		t.Run(tc.partition, func(t *testing.T) {
			vals, stop := runEmulatorCmd(t, "--partition", tc.partition)
			defer stop()
			if vals["AWS_REGION"] != tc.region || vals["AWS_DEFAULT_REGION"] != tc.region {
				t.Fatalf("printed regions %q/%q, want %q", vals["AWS_REGION"], vals["AWS_DEFAULT_REGION"], tc.region)
			}
			ic := emulatorClient(t, vals)
			out, err := ic.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("gov")})
			if err != nil {
				t.Fatalf("create user with the printed credentials and region: %v", err)
			}
			if got, want := aws.ToString(out.User.Arn), "arn:"+tc.partition+":iam::123456789012:user/gov"; got != want {
				t.Fatalf("user ARN = %q, want %q", got, want)
			}
		})
	}
	t.Run("an unknown partition is refused", func(t *testing.T) {
		err := run(context.Background(), []string{"emulator", "--partition", "aws-iso"}, func(string) string { return "" }, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--partition") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestEmulatorCommandHostsSeveralAccounts(t *testing.T) {
	ctx := context.Background()
	state := filepath.Join(t.TempDir(), "emu.json")
	args := []string{"--accounts", "111111111111, 222222222222", "--state", state}
	vals, stop := runEmulatorCmd(t, args...)
	member := map[string]string{
		"AWS_ACCESS_KEY_ID": vals["222222222222/AWS_ACCESS_KEY_ID"], "AWS_SECRET_ACCESS_KEY": vals["222222222222/AWS_SECRET_ACCESS_KEY"],
		"AWS_ENDPOINT_URL": vals["AWS_ENDPOINT_URL"], "AWS_REGION": vals["AWS_REGION"],
	}
	if member["AWS_ACCESS_KEY_ID"] == "" || member["AWS_ACCESS_KEY_ID"] == vals["AWS_ACCESS_KEY_ID"] {
		t.Fatalf("member credentials not printed apart: %v", vals)
	}
	out, err := emulatorClient(t, member).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("in-member")})
	if err != nil {
		t.Fatalf("create user with the member's printed credentials: %v", err)
	}
	if got, want := aws.ToString(out.User.Arn), "arn:aws:iam::222222222222:user/in-member"; got != want {
		t.Fatalf("user ARN = %q, want %q", got, want)
	}
	if _, err := emulatorClient(t, vals).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("in-member")}); err == nil {
		t.Fatal("the management account sees the member's user")
	}
	stop()

	again, stop := runEmulatorCmd(t, args...)
	defer stop()
	if again["222222222222/AWS_ACCESS_KEY_ID"] != member["AWS_ACCESS_KEY_ID"] {
		t.Fatal("the member's root credentials changed across a restart with --state")
	}
	member["AWS_ENDPOINT_URL"] = again["AWS_ENDPOINT_URL"]
	if _, err := emulatorClient(t, member).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("in-member")}); err != nil {
		t.Fatalf("the member's user after a restart: %v", err)
	}
}

func TestEmulatorCommandRejectsBadAccounts(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--accounts", "111111111111,22"}, `account id "22" is not 12 digits`},
		{[]string{"--accounts", "111111111111,111111111111"}, "given twice"},
		{[]string{"--accounts", "111111111111,222222222222", "--account-id", "111111111111"}, "either --account-id or --accounts"},
	} {
		err := run(context.Background(), append([]string{"emulator"}, tc.args...), func(string) string { return "" }, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestEmulatorCommandStateOfOtherAccountsIsRefused(t *testing.T) {
	state := filepath.Join(t.TempDir(), "emu.json")
	_, stop := runEmulatorCmd(t, "--accounts", "111111111111,222222222222", "--state", state)
	stop()
	err := run(context.Background(), []string{"emulator", "--addr", "127.0.0.1:0", "--account-id", "111111111111", "--state", state}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "222222222222") {
		t.Fatalf("err = %v, want a refusal naming the member account", err)
	}
}

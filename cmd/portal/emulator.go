package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gatehouse/portal/iamemu"
)

var emulatorEnv = []envVar{
	{"PORTAL_EMULATOR_ADDR", "listen address (default 127.0.0.1:4566)"},
}

// runEmulator runs the IAM + STS emulator alone and prints credentials for
// the AWS CLI.
func runEmulator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flagSet("emulator", "Runs the IAM + STS emulator alone, with Organizations ListAccounts when it hosts several accounts (for the AWS CLI and your own tests).", emulatorEnv, stderr)
	addr := fs.String("addr", envOr(getenv, "PORTAL_EMULATOR_ADDR", "127.0.0.1:4566"), "listen address")
	account := fs.String("account-id", "123456789012", "AWS account ID the emulator pretends to be")
	accounts := fs.String("accounts", "", "comma-separated 12-digit account IDs to host instead of one; the first is the organization's management account, each gets its own root credentials")
	partition := fs.String("partition", iamemu.DefaultPartition, "AWS partition: aws, aws-us-gov or aws-cn (ARNs and signing regions follow it)")
	state := fs.String("state", "", "file to load state from and save it to (survives restarts)")
	var faults iamemu.Faults
	fs.Float64Var(&faults.ThrottleRate, "throttle-rate", 0, "answer Throttling above this many calls per second (0: never)")
	fs.IntVar(&faults.ThrottleBurst, "throttle-burst", 0, "token-bucket size of --throttle-rate (default: the rate)")
	fs.Float64Var(&faults.ErrorRate, "error-rate", 0, "share of calls (0–1) answered with a 500 ServiceFailure")
	fs.DurationVar(&faults.Latency, "latency", 0, "added latency per call")
	fs.DurationVar(&faults.ConsistencyDelay, "consistency-delay", 0, "keep a new user invisible to other calls this long (IAM eventual consistency)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := iamemu.ValidAccountIDs([]string{*account}); err != nil {
		return fmt.Errorf("--account-id must be 12 digits")
	}
	ids := []string{*account}
	if *accounts != "" {
		if flagGiven(fs, "account-id") {
			return fmt.Errorf("give either --account-id or --accounts, not both")
		}
		ids = strings.Split(*accounts, ",")
		for i := range ids {
			ids[i] = strings.TrimSpace(ids[i])
		}
		if err := iamemu.ValidAccountIDs(ids); err != nil {
			return fmt.Errorf("--accounts: %w", err)
		}
	}
	region, ok := iamemu.PartitionRegion(*partition)
	if !ok {
		return fmt.Errorf("--partition must be aws, aws-us-gov or aws-cn")
	}
	if faults.ThrottleRate < 0 || faults.ErrorRate < 0 || faults.ErrorRate > 1 {
		return fmt.Errorf("--throttle-rate must be ≥ 0 and --error-rate from 0 to 1")
	}
	emu := iamemu.New(iamemu.Options{AccountID: ids[0], MemberAccounts: ids[1:], Partition: *partition})
	emu.SetFaults(faults)
	var background []func(context.Context)
	if *state != "" {
		if err := loadEmulatorState(emu, *state); err != nil {
			return err
		}
		background = append(background, func(ctx context.Context) { saveEvery(ctx, emu, *state, 10*time.Second, stderr) })
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	key, secret := emu.RootCredentials()
	url := "http://" + ln.Addr().String()
	if len(ids) == 1 {
		fmt.Fprintf(stdout, "IAM + STS emulator listening on %s (account %s, partition %s)\n", url, emu.AccountID(), emu.Partition())
	} else {
		fmt.Fprintf(stdout, "IAM + STS + Organizations emulator listening on %s (accounts %s, partition %s)\n", url, strings.Join(ids, ", "), emu.Partition())
	}
	fmt.Fprintf(stdout, "Root user arn:%s:iam::%s:root; sign IAM requests for %s\n", emu.Partition(), emu.AccountID(), region)
	fmt.Fprintln(stdout, "Root credentials:")
	fmt.Fprintln(stdout, "AWS_ACCESS_KEY_ID="+key)
	fmt.Fprintln(stdout, "AWS_SECRET_ACCESS_KEY="+secret)
	fmt.Fprintln(stdout, "AWS_REGION="+region)
	fmt.Fprintln(stdout, "AWS_DEFAULT_REGION="+region)
	fmt.Fprintln(stdout, "AWS_ENDPOINT_URL="+url)
	for _, id := range ids[1:] {
		k, s := emu.Account(id).RootCredentials()
		fmt.Fprintf(stdout, "Member account %s (root arn:%s:iam::%s:root), root credentials:\n", id, emu.Partition(), id)
		fmt.Fprintf(stdout, "  AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s\n", k, s)
	}
	if len(ids) > 1 {
		fmt.Fprintf(stdout, "Organization %s: management account %s; Organizations ListAccounts lists all %d accounts\n", emu.OrganizationID(), ids[0], len(ids))
	}
	fmt.Fprintf(stdout, "Example: aws --endpoint-url %s iam list-users\n", url)

	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	err = serveUntilDone(ctx, srv, ln, background...)
	if *state != "" {
		if serr := emu.SaveState(*state); serr != nil {
			return fmt.Errorf("save state: %w", serr)
		}
	}
	return err
}

// flagGiven reports whether the command line set the flag name.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// saveEvery saves the emulator's state periodically, so even a killed
// emulator loses at most the last few seconds (it also saves on exit).
func saveEvery(ctx context.Context, emu *iamemu.Emulator, path string, every time.Duration, stderr io.Writer) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := emu.SaveState(path); err != nil {
				fmt.Fprintln(stderr, "portal emulator: save state:", err)
			}
		}
	}
}

// loadEmulatorState loads the emulator's state from path; a missing file is
// a first run (start empty). It then saves once, so an unwritable path fails
// now rather than at exit.
func loadEmulatorState(emu *iamemu.Emulator, path string) error {
	if _, err := os.Stat(path); err == nil {
		if err := emu.LoadState(path); err != nil {
			return fmt.Errorf("load emulator state: %w", err)
		}
	} else if !errors.Is(err, iofs.ErrNotExist) {
		return fmt.Errorf("emulator state file: %w", err)
	}
	if err := emu.SaveState(path); err != nil {
		return fmt.Errorf("emulator state file is not writable: %w", err)
	}
	return nil
}

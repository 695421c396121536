// Command portal runs Gatehouse: the web portal (serve), the IAM+STS
// emulator on its own (emulator), and small admin tasks. It is the only
// place that reads configuration and knows every package.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `Gatehouse — onboard AWS IAM users under an enforced-MFA policy.

Usage:
  portal serve [flags]      run the web portal (add --test-mode to run against the built-in IAM emulator)
  portal emulator [flags]   run the IAM + STS emulator alone, for the AWS CLI and other tests
  portal healthcheck        check a running portal's /healthz (container health check)
  portal operator reset-totp NAME
                            break-glass: reset an operator's authenticator on the server and print their new setup link
  portal version            print the version

Run "portal <command> --help" for the flags and environment variables of a command.
`

// usageText is the top-level help with the environment of "serve", the
// command a deployment configures.
func usageText() string {
	var b strings.Builder
	b.WriteString(usage)
	b.WriteString("\nEnvironment of portal serve (secrets also as NAME_FILE, a file holding the value):\n")
	for _, e := range serveEnv {
		fmt.Fprintf(&b, "  %-28s %s\n", e.name, e.help)
	}
	return b.String()
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return // --help printed the usage; that is success
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
}

// run dispatches a subcommand. getenv and the writers are parameters so
// tests can run the real command in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText())
		return fmt.Errorf("no command given")
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], getenv, stdout, stderr)
	case "emulator":
		return runEmulator(ctx, args[1:], getenv, stdout, stderr)
	case "operator":
		return runOperator(ctx, args[1:], getenv, stdout, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "gatehouse", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText())
		return nil
	}
	fmt.Fprint(stderr, usageText())
	return fmt.Errorf("unknown command %q", args[0])
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/auth"
	"github.com/gatehouse/portal/i18n"
	"github.com/gatehouse/portal/store"
)

const operatorUsage = `Usage:
  portal operator reset-totp [serve flags] NAME

Break-glass reset of operator NAME's authenticator, for an operator who
cannot sign in at all (a lone admin who lost both the phone and the
recovery codes). Run it on the server, with the environment of
"portal serve" (the same database, PORTAL_SECRET_KEY and PORTAL_BASE_URL;
--test-mode and --db as for serve). It erases NAME's TOTP secret, ends
their sessions, revokes their API tokens, writes an audit event and prints
a one-time link (valid 72 hours) with which NAME confirms their password
and sets up a new authenticator app.
`

// runOperator runs "portal operator …", the operator tasks done on the
// server's console.
func runOperator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "reset-totp" {
		fmt.Fprint(stderr, operatorUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			return nil
		}
		return errors.New(`use "portal operator reset-totp NAME"`)
	}
	args = args[1:]
	if len(args) == 0 || strings.HasPrefix(args[len(args)-1], "-") {
		fmt.Fprint(stderr, operatorUsage)
		return errors.New("give the user name of the operator whose authenticator to reset, last")
	}
	name := args[len(args)-1]
	cfg, err := parseServe(args[:len(args)-1], getenv, stderr)
	if err != nil {
		return err
	}
	base, key := cfg.baseURL, cfg.secretKey
	if cfg.testMode {
		if base == "" {
			base = "http://" + cfg.addr
		}
		if key == "" {
			ts, err := testStateFor(cfg)
			if err != nil {
				return err
			}
			if key, err = testModeKey(ts); err != nil {
				return err
			}
		}
	}
	if cfg.dbDriver == "sqlite" {
		// A mistyped path must not become a new, empty database.
		if _, err := os.Stat(cfg.dbDSN); err != nil {
			return fmt.Errorf("no database at %s (PORTAL_DB_DSN / --db): %w", cfg.dbDSN, err)
		}
	}
	links, err := portal.NewLinks(base)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.dbDriver, dsnFor(cfg))
	if err != nil {
		return err
	}
	defer st.Close()
	box, err := auth.NewBox([]byte(key))
	if err != nil {
		return fmt.Errorf("PORTAL_SECRET_KEY: %w", err)
	}
	au, err := auth.New(auth.Config{Store: st, Box: box, Logger: slog.New(slog.NewJSONHandler(stderr, nil)), Links: links})
	if err != nil {
		return err
	}
	link, err := au.BreakGlassResetTOTP(ctx, auth.Caller{Console: consoleActor(getenv)}, name)
	if err != nil {
		return fmt.Errorf("reset the authenticator of %q: %s (%w)", name, i18n.ErrorText(i18n.EN, err), err)
	}
	fmt.Fprintf(stdout, "The authenticator of %s is reset: their sessions ended and their API tokens are revoked.\n", name)
	fmt.Fprintln(stdout, "Give them this one-time link (valid 72 hours) to confirm their password and set up a new authenticator app:")
	fmt.Fprintln(stdout, link)
	return nil
}

// consoleActor names who runs a console command, for the audit log: the
// server's user and host.
func consoleActor(getenv func(string) string) string {
	user := getenv("USER")
	if user == "" {
		user = "unknown"
	}
	host, _ := os.Hostname()
	return "console:" + user + "@" + host
}

package main

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// envVar documents one environment variable of a subcommand.
type envVar struct{ name, help string }

// flagSet returns a FlagSet whose usage lists the flags and env vars.
func flagSet(name, summary string, env []envVar, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: portal %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
		if len(env) > 0 {
			fmt.Fprintf(stderr, "\nEnvironment (flags win over the environment):\n")
			for _, e := range env {
				fmt.Fprintf(stderr, "  %-28s %s\n", e.name, e.help)
			}
		}
	}
	return fs
}

// envOr returns the variable's value or def.
func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// envBool parses a boolean variable.
func envBool(getenv func(string) string, name string, def bool) (bool, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q is not a boolean (use true or false)", name, v)
	}
	return b, nil
}

// envDuration parses a duration variable such as "168h".
func envDuration(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q is not a positive duration (for example 168h)", name, v)
	}
	return d, nil
}

// envFloat parses a number variable within [lo, hi].
func envFloat(getenv func(string) string, name string, def, lo, hi float64) (float64, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= lo && f <= hi) {
		return 0, fmt.Errorf("%s=%q is not a number from %g to %g", name, v, lo, hi)
	}
	return f, nil
}

// secret reads NAME or, if unset, the file named by NAME_FILE (the Docker
// and Kubernetes secrets convention). Trailing newlines are trimmed.
func secret(getenv func(string) string, name string) (string, error) {
	v, path := getenv(name), getenv(name+"_FILE")
	if v != "" && path != "" {
		return "", fmt.Errorf("both %s and %s_FILE are set: use one of them", name, name)
	}
	if v != "" {
		return v, nil
	}
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s_FILE=%s cannot be read: %w", name, path, err)
	}
	v = strings.TrimRight(string(b), "\r\n")
	if v == "" {
		return "", fmt.Errorf("%s_FILE=%s is empty", name, path)
	}
	return v, nil
}

// envPrefixes parses a comma-separated list of CIDR prefixes such as
// "10.0.0.0/8, 127.0.0.1/32".
func envPrefixes(getenv func(string) string, name string) ([]string, error) {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return nil, nil
	}
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if _, err := netip.ParsePrefix(p); err != nil {
			return nil, fmt.Errorf("%s: %q is not a CIDR prefix such as 10.0.0.0/8 or 127.0.0.1/32", name, p)
		}
		out = append(out, p)
	}
	return out, nil
}

package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envMap(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestServeConfigRejectsBadValues(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	key := strings.Repeat("k", 32)
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown driver", nil, map[string]string{"PORTAL_DB_DRIVER": "mysql", "PORTAL_SECRET_KEY": key}, `PORTAL_DB_DRIVER="mysql": use sqlite or postgres`},
		{"postgres without DSN", nil, map[string]string{"PORTAL_DB_DRIVER": "postgres", "PORTAL_SECRET_KEY": key}, "PORTAL_DB_DRIVER=postgres needs PORTAL_DB_DSN"},
		{"postgres DSN of another scheme", nil, map[string]string{"PORTAL_DB_DRIVER": "postgres", "PORTAL_DB_DSN": "mysql://db/x", "PORTAL_SECRET_KEY": key}, "is not a PostgreSQL URL"},
		{"URL given to sqlite", nil, map[string]string{"PORTAL_DB_DSN": "postgres://db/x", "PORTAL_SECRET_KEY": key}, "set PORTAL_DB_DRIVER=postgres"},
		{"DSN file missing", nil, map[string]string{"PORTAL_DB_DRIVER": "postgres", "PORTAL_DB_DSN_FILE": filepath.Join(dir, "nope"), "PORTAL_SECRET_KEY": key}, "PORTAL_DB_DSN_FILE=" + filepath.Join(dir, "nope") + " cannot be read"},
		{"secret key file empty", nil, map[string]string{"PORTAL_SECRET_KEY_FILE": empty}, "PORTAL_SECRET_KEY_FILE=" + empty + " is empty"},
		{"secret key and file both set", nil, map[string]string{"PORTAL_SECRET_KEY": key, "PORTAL_SECRET_KEY_FILE": empty}, "both PORTAL_SECRET_KEY and PORTAL_SECRET_KEY_FILE are set"},
		{"secret key too short", nil, map[string]string{"PORTAL_SECRET_KEY": "short"}, "at least 32 characters long (it has 5)"},
		{"secret key missing", nil, map[string]string{}, "PORTAL_SECRET_KEY (or PORTAL_SECRET_KEY_FILE) is required"},
		{"IAM endpoint not a URL", nil, map[string]string{"PORTAL_SECRET_KEY": key, "PORTAL_IAM_ENDPOINT": "localhost:4566"}, `PORTAL_IAM_ENDPOINT="localhost:4566" is not an http:// or https:// URL`},
		{"base URL not a URL", nil, map[string]string{"PORTAL_SECRET_KEY": key, "PORTAL_BASE_URL": "portal.example.com"}, `PORTAL_BASE_URL="portal.example.com" is not an http:// or https:// URL`},
		{"address without port", nil, map[string]string{"PORTAL_SECRET_KEY": key, "PORTAL_ADDR": "localhost"}, `--addr="localhost" is not host:port`},
		{"trusted proxy not a CIDR", nil, map[string]string{"PORTAL_SECRET_KEY": key, "PORTAL_TRUSTED_PROXIES": "10.0.0.0/8, nginx"}, `PORTAL_TRUSTED_PROXIES: "nginx" is not a CIDR prefix`},
		{"secure cookies not boolean", nil, map[string]string{"PORTAL_SECRET_KEY": key, "PORTAL_SECURE_COOKIES": "yes please"}, "is not a boolean"},
		{"deadline not a duration", nil, map[string]string{"PORTAL_SECRET_KEY": key, "PORTAL_DEADLINE": "7d"}, `PORTAL_DEADLINE="7d" is not a positive duration`},
		{"invite TTL negative", nil, map[string]string{"PORTAL_SECRET_KEY": key, "PORTAL_INVITE_TTL": "-1h"}, "PORTAL_INVITE_TTL"},
		{"bulk concurrency out of range", nil, map[string]string{"PORTAL_SECRET_KEY": key, "PORTAL_BULK_CONCURRENCY": "500"}, "PORTAL_BULK_CONCURRENCY=\"500\" is not a whole number from 1 to 64"},
		{"stray argument", []string{"postgres"}, map[string]string{"PORTAL_SECRET_KEY": key}, `unexpected argument "postgres"`},
		{"base URL missing outside test mode", nil, map[string]string{"PORTAL_SECRET_KEY": key}, "PORTAL_BASE_URL (or --base-url) is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseServe(c.args, envMap(c.env), io.Discard)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	t.Run("a complete PostgreSQL configuration from files is accepted", func(t *testing.T) {
		dsnFile, keyFile := filepath.Join(dir, "dsn"), filepath.Join(dir, "key")
		os.WriteFile(dsnFile, []byte("postgres://gh:pw@db:5432/gh?sslmode=disable\n"), 0o600)
		os.WriteFile(keyFile, []byte(key+"\n"), 0o600)
		c, err := parseServe(nil, envMap(map[string]string{"PORTAL_DB_DRIVER": "postgres", "PORTAL_DB_DSN_FILE": dsnFile,
			"PORTAL_SECRET_KEY_FILE": keyFile, "PORTAL_IAM_ENDPOINT": "http://emu:4566", "PORTAL_ADDR": "0.0.0.0:8080",
			"PORTAL_BASE_URL": "https://gatehouse.example.com"}), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := c.dbDSN, "postgres://gh:pw@db:5432/gh?sslmode=disable"; got != want {
			t.Fatalf("dsn = %q, want %q", got, want)
		}
		if got, want := c.secretKey, key; got != want {
			t.Fatalf("key = %q, want %q", got, want)
		}
	})
}

func TestHelpListsEnvironment(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}} {
		var out, errOut bytes.Buffer
		run(context.Background(), args, envMap(nil), &out, &errOut)
		text := out.String() + errOut.String()
		for _, v := range []string{"PORTAL_ADDR", "PORTAL_DB_DRIVER", "PORTAL_DB_DSN[_FILE]", "PORTAL_SECRET_KEY[_FILE]", "PORTAL_IAM_ENDPOINT", "PORTAL_METRICS_TOKEN[_FILE]", "AWS_*"} {
			if !strings.Contains(text, v) {
				t.Fatalf("%v help does not list %s:\n%s", args, v, text)
			}
		}
	}
	var errOut bytes.Buffer
	run(context.Background(), []string{"emulator", "--help"}, envMap(nil), io.Discard, &errOut)
	if !strings.Contains(errOut.String(), "PORTAL_EMULATOR_ADDR") {
		t.Fatalf("emulator help does not list its variable:\n%s", errOut.String())
	}
}

func TestTestModeStateDirectory(t *testing.T) {
	const pg = "postgres://gh:pw@db:5432/gh?sslmode=disable"
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"SQLite: beside the database file", map[string]string{}, []string{"--db", "/data/g.db"}, ""},
		{"PostgreSQL: the XDG state home", map[string]string{"PORTAL_DB_DRIVER": "postgres", "PORTAL_DB_DSN": pg, "XDG_STATE_HOME": "/st", "HOME": "/home/u"}, nil, "/st/gatehouse"},
		{"PostgreSQL: ~/.local/state", map[string]string{"PORTAL_DB_DRIVER": "postgres", "PORTAL_DB_DSN": pg, "HOME": "/home/u"}, nil, "/home/u/.local/state/gatehouse"},
		{"PORTAL_STATE_DIR wins", map[string]string{"PORTAL_DB_DRIVER": "postgres", "PORTAL_DB_DSN": pg, "HOME": "/home/u", "PORTAL_STATE_DIR": "/srv/gh"}, nil, "/srv/gh"},
		{"--state-dir wins", map[string]string{"PORTAL_STATE_DIR": "/srv/gh"}, []string{"--state-dir", "/x"}, "/x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseServe(append([]string{"--test-mode"}, tc.args...), envMap(tc.env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if c.stateDir != tc.want {
				t.Fatalf("state dir %q, want %q", c.stateDir, tc.want)
			}
		})
	}
	t.Run("the files of a PostgreSQL database do not depend on its password", func(t *testing.T) {
		a, b := dsnID(pg), dsnID("postgres://gh:other@db:5432/gh?sslmode=disable")
		if a != b || a == dsnID("postgres://gh:pw@db:5432/other?sslmode=disable") {
			t.Fatalf("ids %s %s", a, b)
		}
		if dsnID("host=db dbname=gh password=x") != dsnID("host=db dbname=gh password=y") {
			t.Fatal("a key=value DSN's password changes its id")
		}
	})
	t.Run("SQLite files keep their names beside the database", func(t *testing.T) {
		dir := t.TempDir()
		st, err := testStateFor(&serveConfig{dbDriver: "sqlite", dbDSN: filepath.Join(dir, "g.db")})
		if err != nil || st.keyPath != filepath.Join(dir, "g.db.key") || st.iamPath != filepath.Join(dir, "g.db.iam.json") {
			t.Fatalf("%+v, %v", st, err)
		}
	})
}

package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
)

// Test mode keeps two things outside the database: a generated secret key
// (it encrypts the operators' TOTP secrets, so it must not sit in plain
// text next to them in the same database) and the emulated IAM account
// (the emulator's state, which the database's users refer to). They live
// in a state directory, each file named after the database it belongs to,
// so one directory can serve several databases:
//
//   - SQLite: beside the database file by default, as gatehouse.db.key and
//     gatehouse.db.iam.json;
//   - PostgreSQL: $XDG_STATE_HOME/gatehouse (or ~/.local/state/gatehouse)
//     by default, as postgres-<id>.key and postgres-<id>.iam.json, where id
//     hashes the DSN without its password (a new password finds the same
//     files).
//
// PORTAL_STATE_DIR (--state-dir) chooses another directory for either.

// testState is where test mode keeps its key and emulated account.
type testState struct {
	keyPath, iamPath string
	// hubKeyPath keeps the access key of the hub's IAM user Gatehouse signs
	// as when several accounts are emulated.
	hubKeyPath string
}

// defaultStateDir is the state directory when none is configured:
// "" for SQLite (beside the database file), the XDG state home for
// PostgreSQL.
func defaultStateDir(getenv func(string) string, driver string) string {
	if driver == "sqlite" {
		return ""
	}
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "gatehouse")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "state", "gatehouse")
	}
	return ""
}

// testStateFor returns the state files of cfg's database and creates their
// directory (0700: the key is a secret).
func testStateFor(cfg *serveConfig) (testState, error) {
	dir, name := cfg.stateDir, ""
	switch cfg.dbDriver {
	case "sqlite":
		name = filepath.Base(cfg.dbDSN)
		if dir == "" {
			dir = filepath.Dir(cfg.dbDSN)
		}
	default:
		name = "postgres-" + dsnID(cfg.dbDSN)
		if dir == "" {
			return testState{}, fmt.Errorf("test mode on PostgreSQL needs a directory for its key and emulated account: set PORTAL_STATE_DIR (or --state-dir), or HOME")
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return testState{}, fmt.Errorf("test-mode state directory: %w", err)
	}
	base := filepath.Join(dir, name)
	return testState{keyPath: base + ".key", iamPath: base + ".iam.json", hubKeyPath: base + ".hub.key"}, nil
}

var dsnPassword = regexp.MustCompile(`password=\S*`)

// dsnID names a PostgreSQL database by its DSN without the password.
func dsnID(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		dsn = u.String()
	}
	dsn = dsnPassword.ReplaceAllString(dsn, "")
	sum := sha256.Sum256([]byte(dsn))
	return hex.EncodeToString(sum[:6])
}

// testModeKey returns the secret key for test mode without configuration:
// a random key kept in the state directory, so operators can still sign in
// after a restart. Outside test mode a key must be configured.
func testModeKey(st testState) (string, error) {
	if b, err := os.ReadFile(st.keyPath); err == nil && len(b) >= 32 {
		return string(b), nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	key := hex.EncodeToString(b)
	if err := os.WriteFile(st.keyPath, []byte(key), 0o600); err != nil {
		return "", fmt.Errorf("write test-mode key: %w", err)
	}
	return key, nil
}

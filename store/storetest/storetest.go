// Package storetest opens real databases for tests of other packages: a
// SQLite file in t.TempDir(), and PostgreSQL in a fresh schema when
// PORTAL_TEST_POSTGRES_URL is set (required under CI=true).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/gatehouse/portal/migrations"
	"github.com/gatehouse/portal/store"
)

// Engines returns the engines to test on: "sqlite" always, "postgres" when
// PORTAL_TEST_POSTGRES_URL is set. Under CI=true a missing URL fails t.
func Engines(t testing.TB) []string {
	if os.Getenv("PORTAL_TEST_POSTGRES_URL") != "" {
		return []string{"sqlite", "postgres"}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("PORTAL_TEST_POSTGRES_URL is not set under CI: the PostgreSQL half would be skipped")
	}
	t.Log("PostgreSQL skipped: set PORTAL_TEST_POSTGRES_URL to run it")
	return []string{"sqlite"}
}

// DSN returns a DSN of a fresh, empty database of engine for t. Several
// stores opened on it share it (two replicas on one database).
func DSN(t testing.TB, engine string) string {
	t.Helper()
	if engine == "sqlite" {
		return store.SQLiteDSN(filepath.Join(t.TempDir(), "portal.db"))
	}
	url := os.Getenv("PORTAL_TEST_POSTGRES_URL")
	if url == "" {
		t.Skip("PORTAL_TEST_POSTGRES_URL is not set")
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", url); err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema
}

// Open opens a store on dsn and closes it at the end of t.
func Open(t testing.TB, engine, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), engine, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// MigratedTo opens dsn as a plain database of engine with the migrations
// applied up to version and no further — an older Gatehouse's database,
// for tests that write rows in an old schema and check what a later
// migration makes of them (Open applies the rest). The database is closed
// at the end of t; closing it earlier is harmless.
func MigratedTo(t testing.TB, engine, dsn string, version int64) *sql.DB {
	t.Helper()
	driver, dialect, gd := "sqlite", migrations.SQLite, goose.DialectSQLite3
	if engine == "postgres" {
		driver, dialect, gd = "pgx", migrations.Postgres, goose.DialectPostgres
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p, err := goose.NewProvider(gd, db, migrations.FS(dialect))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(context.Background(), version); err != nil {
		t.Fatalf("migrate %s to %d: %v", engine, version, err)
	}
	return db
}

package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/gatehouse/portal/store"
)

// engines returns an opener per database engine: SQLite always, PostgreSQL
// when PORTAL_TEST_POSTGRES_URL is set. Under CI=true a missing PostgreSQL
// fails the run, so CI never goes green on a skipped engine.
func engines(t *testing.T) map[string]func(t *testing.T) *store.Store {
	out := map[string]func(t *testing.T) *store.Store{
		"sqlite": func(t *testing.T) *store.Store {
			return mustOpen(t, "sqlite", store.SQLiteDSN(filepath.Join(t.TempDir(), "conformance.db")))
		},
	}
	pg := os.Getenv("PORTAL_TEST_POSTGRES_URL")
	switch {
	case pg != "":
		out["postgres"] = func(t *testing.T) *store.Store { return mustOpen(t, "postgres", freshSchema(t, pg)) }
	case os.Getenv("CI") == "true":
		t.Fatal("PORTAL_TEST_POSTGRES_URL is not set under CI: the PostgreSQL half of the conformance suite would be skipped")
	default:
		t.Log("PostgreSQL conformance skipped: set PORTAL_TEST_POSTGRES_URL to run it")
	}
	return out
}

func mustOpen(t *testing.T, driver, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), driver, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", driver, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// freshSchema creates an empty schema for one test and returns a DSN whose
// search_path points at it, so tests never see each other's rows.
func freshSchema(t *testing.T, url string) string {
	t.Helper()
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
		db, err := sql.Open("pgx", url)
		if err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	sep := "?"
	for _, c := range url {
		if c == '?' {
			sep = "&"
		}
	}
	return url + sep + "search_path=" + schema
}

// forEachEngine runs fn as a subtest on every engine.
func forEachEngine(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) { fn(t, open(t)) })
	}
}

var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

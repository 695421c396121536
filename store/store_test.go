package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// engines returns an opener per database engine: SQLite always, PostgreSQL
// when PORTAL_TEST_POSTGRES_URL is set (storetest fails under CI=true
// without it, so CI never goes green on a skipped engine).
func engines(t *testing.T) map[string]func(t *testing.T) *store.Store {
	out := map[string]func(t *testing.T) *store.Store{}
	for _, engine := range storetest.Engines(t) {
		out[engine] = func(t *testing.T) *store.Store { return storetest.Open(t, engine, storetest.DSN(t, engine)) }
	}
	return out
}

// forEachEngine runs fn as a subtest on every engine.
func forEachEngine(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	for name, open := range engines(t) {
		t.Run(name, func(t *testing.T) { fn(t, open(t)) })
	}
}

var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// Every pooled SQLite connection keeps a page cache of 512 KiB, not
// SQLite's 2 MB: 16 connections would otherwise hold up to 32 MB outside
// the Go heap (docs/benchmarks.md).
func TestSQLiteConnectionsKeepASmallPageCache(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	// Two connections at once: the pragma is in the DSN, so each has it.
	var conns []*sql.Conn
	for range 2 {
		c, err := st.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	for i, c := range conns {
		var kib int
		if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&kib); err != nil {
			t.Fatal(err)
		}
		if kib != -512 {
			t.Errorf("connection %d: cache_size = %d, want -512 (512 KiB)", i, kib)
		}
	}
}

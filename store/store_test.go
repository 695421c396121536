package store_test

import (
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

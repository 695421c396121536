package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// sqliteConn opens a SQLite store and takes one of its pooled connections.
func sqliteConn(t *testing.T) (*store.Store, *sql.Conn) {
	t.Helper()
	st := storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	c, err := st.DB().Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return st, c
}

func statements(t *testing.T, c *sql.Conn) (kept, bytes int) {
	t.Helper()
	kept, bytes, err := store.SQLiteStatements(c)
	if err != nil {
		t.Fatal(err)
	}
	return kept, bytes
}

func queryInts(t *testing.T, c *sql.Conn, query string, args ...any) []int {
	t.Helper()
	rows, err := c.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

const countTo = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i FROM n`

// A SQLite connection keeps a read query prepared once it has run, and runs
// it again with other arguments without preparing it anew: compiling the
// text was a third of the dashboard's CPU (docs/benchmarks.md, "Page CPU
// per request"). SQLite's own count of the connection's statement memory
// shows it: nothing stays prepared without the cache, and running the same
// text again does not add a statement.
func TestSQLiteKeepsReadStatementsPrepared(t *testing.T) {
	_, c := sqliteConn(t)
	kept0, bytes0 := statements(t, c) // the store's own queries when it opened
	if got := queryInts(t, c, countTo, 3); fmt.Sprint(got) != "[1 2 3]" {
		t.Fatalf("first run: %v", got)
	}
	kept, bytes := statements(t, c)
	if kept != kept0+1 || bytes <= bytes0 {
		t.Fatalf("after one query: %d statements kept, %d bytes of prepared statements (before: %d, %d bytes); want it kept",
			kept, bytes, kept0, bytes0)
	}
	for n := 1; n <= 5; n++ {
		if got := queryInts(t, c, countTo, n); len(got) != n || got[n-1] != n {
			t.Fatalf("run with %d: %v", n, got)
		}
	}
	if k, b := statements(t, c); k != kept || b != bytes {
		t.Fatalf("after five more runs: %d statements, %d bytes; want %d and %d as after the first", k, b, kept, bytes)
	}
}

// The same query issued while the rows of an earlier run are still open
// gets a statement of its own; both read their own rows.
func TestSQLiteCachedStatementWhileItsRowsAreOpen(t *testing.T) {
	_, c := sqliteConn(t)
	ctx := context.Background()
	queryInts(t, c, countTo, 1) // cached
	kept0, _ := statements(t, c)
	outer, err := c.QueryContext(ctx, countTo, 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for outer.Next() {
		var i int
		if err := outer.Scan(&i); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprint(i, queryInts(t, c, countTo, i+1)))
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if want := "[1 [1 2] 2 [1 2 3] 3 [1 2 3 4]]"; fmt.Sprint(got) != want {
		t.Fatalf("nested runs: %v, want %s", got, want)
	}
	if kept, _ := statements(t, c); kept != kept0 {
		t.Fatalf("%d statements kept, want %d as before", kept, kept0)
	}
	if got := queryInts(t, c, countTo, 2); fmt.Sprint(got) != "[1 2]" {
		t.Fatalf("after the nested runs: %v", got)
	}
}

// The cache is bounded: the least recently used statement goes.
func TestSQLiteStatementCacheIsBounded(t *testing.T) {
	_, c := sqliteConn(t)
	_, one := statements(t, c)
	for i := range 3 * store.StmtCacheSize {
		if got := queryInts(t, c, fmt.Sprintf("SELECT ? + %d", i), 1); len(got) != 1 || got[0] != i+1 {
			t.Fatalf("query %d: %v", i, got)
		}
		if i == 0 {
			_, one = statements(t, c)
		}
	}
	kept, bytes := statements(t, c)
	if kept != store.StmtCacheSize {
		t.Fatalf("%d statements kept, want %d", kept, store.StmtCacheSize)
	}
	if bytes > 2*store.StmtCacheSize*one {
		t.Fatalf("%d bytes of prepared statements for %d kept (one: %d bytes)", bytes, kept, one)
	}
}

// A query that fails while it runs leaves its statement usable, and so does
// one whose context ends while its rows are read.
func TestSQLiteCachedStatementAfterErrorsAndCancel(t *testing.T) {
	_, c := sqliteConn(t)
	ctx := context.Background()
	const q = `SELECT json_extract(?, '$.n')`
	if got := queryInts(t, c, q, `{"n": 1}`); fmt.Sprint(got) != "[1]" {
		t.Fatalf("valid JSON: %v", got)
	}
	var n int
	if err := c.QueryRowContext(ctx, q, `{not JSON`).Scan(&n); err == nil {
		t.Fatal("malformed JSON: no error")
	}
	if got := queryInts(t, c, q, `{"n": 2}`); fmt.Sprint(got) != "[2]" {
		t.Fatalf("after the error: %v", got)
	}

	cctx, cancel := context.WithCancel(ctx)
	rows, err := c.QueryContext(cctx, countTo, 1000)
	if err != nil {
		t.Fatal(err)
	}
	rows.Next()
	cancel()
	for rows.Next() {
	}
	rows.Close()
	if got := queryInts(t, c, countTo, 3); fmt.Sprint(got) != "[1 2 3]" {
		t.Fatalf("after a cancelled read: %v", got)
	}
}

// A cached statement follows a change of the schema (SQLite prepares it
// again), and Store.Analyze empties the cache, so no statement keeps a plan
// made with older statistics.
func TestSQLiteCachedStatementAfterSchemaChangeAndAnalyze(t *testing.T) {
	st, c := sqliteConn(t)
	ctx := context.Background()
	if _, err := c.ExecContext(ctx, `CREATE TABLE cache_probe (a INTEGER)`); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExecContext(ctx, `INSERT INTO cache_probe (a) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	columns := func() int {
		rows, err := c.QueryContext(ctx, `SELECT * FROM cache_probe`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return len(cols)
	}
	if n := columns(); n != 1 {
		t.Fatalf("%d columns", n)
	}
	if _, err := c.ExecContext(ctx, `ALTER TABLE cache_probe ADD COLUMN b TEXT`); err != nil {
		t.Fatal(err)
	}
	if n := columns(); n != 2 {
		t.Fatalf("after ALTER TABLE: %d columns, want 2", n)
	}
	queryInts(t, c, countTo, 1)
	if kept, _ := statements(t, c); kept < 2 {
		t.Fatalf("%d statements kept, want at least 2", kept)
	}
	if err := st.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	queryInts(t, c, countTo, 1)
	if kept, _ := statements(t, c); kept != 1 {
		t.Fatalf("after Analyze: %d statements kept, want only the one prepared since", kept)
	}
}

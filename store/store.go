// Package store keeps Gatehouse's state in SQLite (embedded default) or
// PostgreSQL (production) behind one Store over *sql.DB. Exported methods own
// their transaction; unexported helpers take a *sql.Tx or the pool.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/migrations"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	"modernc.org/sqlite"               // registers driver "sqlite" (pure Go, no cgo)
	sqlite3 "modernc.org/sqlite/lib"
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	conn    *connector
	dialect migrations.Dialect

	// writes counts the store's committed writes that can change a user
	// row; the cached status counts are good only while it is unchanged.
	writes atomic.Uint64
	counts atomic.Pointer[statusCounts]
}

// SQLiteDSN returns the DSN for a SQLite file with the pragmas Gatehouse
// needs. They are part of the DSN so every pooled connection gets them, not
// only the first one: WAL for concurrent readers, a busy timeout instead of
// immediate SQLITE_BUSY, enforced foreign keys, BEGIN IMMEDIATE so a
// read-then-write transaction cannot deadlock on lock upgrade, and a page
// cache of 512 KiB per connection instead of SQLite's 2 MB: the pool keeps 16
// connections, each filling its own cache outside the Go heap (32 MB at 2 MB),
// while the operating system's file cache already holds the pages for all of
// them (docs/benchmarks.md, "Memory at 10,000 users").
func SQLiteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "cache_size(-512)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Open connects to the database named by driver ("sqlite" or "postgres")
// and dsn, and applies pending migrations.
func Open(ctx context.Context, driver, dsn string) (*Store, error) {
	var s Store
	switch driver {
	case "sqlite":
		s.dialect = migrations.SQLite
		if path := sqlitePath(dsn); path != "" && !strings.HasPrefix(path, ":") {
			if err := createPrivate(path); err != nil {
				return nil, fmt.Errorf("create %s: %w", path, explain(err))
			}
		}
	case "postgres":
		s.dialect = migrations.Postgres
	default:
		return nil, portal.E(portal.EINVALID, "err.store.driver", driver)
	}
	conn, err := newConnector(driver, dsn) // driver.go: errors people can act on, read-only recovery
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", driver, err)
	}
	db := sql.OpenDB(conn)
	s.conn = conn
	// database/sql keeps only 2 idle connections by default: under load
	// every other request then opens a new one, which for PostgreSQL means a
	// SCRAM handshake (measured: p99 in seconds at 50 clients). Keep a
	// bounded pool warm instead.
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.db = db
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", driver, err)
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, wrapErr(err, "migrate")
	}
	return &s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	d := goose.DialectSQLite3
	if s.dialect == migrations.Postgres {
		d = goose.DialectPostgres
	}
	p, err := goose.NewProvider(d, s.db, migrations.FS(s.dialect))
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// Close closes the pool.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// CheckWritable checks that the database answers and takes writes, for
// health checks: an UPDATE that matches no row still needs write access,
// so a read-only SQLite file or a PostgreSQL standby fails it (with the
// errors of driver.go) while nothing is written.
func (s *Store) CheckWritable(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `UPDATE leases SET expires_at = expires_at WHERE 1 = 0`)
	return wrapErr(err, "check that the database takes writes")
}

// DB exposes the pool for tests and for tools that dump tables.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect returns the database dialect in use.
func (s *Store) Dialect() migrations.Dialect { return s.dialect }

// q rewrites a query written with ? placeholders for the dialect. Queries are
// written once with ?; PostgreSQL needs $1, $2 … (SQLite would misbind $N
// silently, so the other direction is never used).
func (s *Store) q(query string) string {
	if s.dialect != migrations.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// placeholders returns n "?" placeholders separated by commas, for IN (…).
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// execer is what runs a statement: the database or a transaction, so one
// write can be made alone or as part of a larger one.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// inTx runs fn in a transaction and commits it if fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	err = tx.Commit()
	// Counted after the commit: a count that started before it and read
	// the old rows is cached under the old number, so nobody reuses it.
	s.writes.Add(1)
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// ms converts a time to stored Unix milliseconds; the zero time is 0.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// fromMS converts stored Unix milliseconds back; 0 is the zero time.
func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// notFound maps sql.ErrNoRows to an ENOTFOUND error whose message is key
// (with args) in the catalogs; the store writes no sentences for people.
func notFound(err error, key string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return portal.E(portal.ENOTFOUND, key, args...)
	}
	return err
}

// pgUniqueViolation is PostgreSQL's SQLSTATE for unique_violation
// (PostgreSQL documentation, appendix A "Error Codes").
const pgUniqueViolation = "23505"

// isUniqueViolation reports whether err is a unique-constraint failure in
// either engine, by the engine's error code (never by its text, which
// changes between versions and locales): PostgreSQL's SQLSTATE 23505, and
// SQLite's extended codes for a UNIQUE or PRIMARY KEY constraint.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == pgUniqueViolation
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch lite.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return true
		}
	}
	return false
}

// wrapErr says which operation failed, as fmt.Errorf(format+": %w") does,
// and keeps nil as nil (for the last statement of a method).
func wrapErr(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// textCol scans a stored portal.Text (JSON; "" in rows written before
// texts were kept by key).
type textCol struct{ t *portal.Text }

// Scan implements sql.Scanner.
func (c textCol) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("stored text: unexpected %T", src)
	}
	t, err := portal.DecodeText(s)
	if err != nil {
		return fmt.Errorf("stored text %q: %w", s, err)
	}
	*c.t = t
	return nil
}

// Analyze refreshes the query planner's statistics. On SQLite nothing else
// does: without them the planner walked the (state, deadline) index and
// sorted 3,000 overdue users by name for a page of 50 (6.9 ms of CPU per
// request at 10,000 users, 0.9 ms with statistics). It reads every row
// (analysis_limit 0): statistics from a sample of 1,000 rows led the
// planner back to the sort (9.5 ms per request). Hourly, that is a few
// milliseconds at 10,000 users. PostgreSQL's autovacuum keeps its
// statistics; there it does nothing.
func (s *Store) Analyze(ctx context.Context) error {
	if s.dialect != migrations.SQLite {
		return nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA analysis_limit = 0`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	// The trigram index gets one segment per batch of writes, merged
	// lazily; a search looks each trigram up in every segment, with a
	// statement SQLite compiles again each time. Merged into one segment
	// a search costs 60 % fewer instructions at 10,000 users
	// (docs/benchmarks.md, "Page CPU per request"). The merge rewrites the
	// index: 0.6 s at 10,000 users on the loaded benchmark machine, while
	// writers wait (busy timeout); nothing when it is one segment already.
	if _, err := conn.ExecContext(ctx, `INSERT INTO users_search(users_search) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("analyze: merge the search index: %w", err)
	}
	// Every connection drops the statements it keeps prepared
	// (stmtcache.go) and prepares them again as a fresh query would be:
	// with the new statistics on this connection and on those opened from
	// now on (SQLite loads statistics when a connection reads the schema).
	s.conn.analyzed.Add(1)
	return nil
}

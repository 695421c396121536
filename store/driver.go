package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gatehouse/portal"
)

// The pool does not talk to the engines' drivers directly but through
// faultConn, a thin wrapper with two jobs (docs/reliability.md):
//
//  1. An error whose cause is the database itself — unreachable (a
//     PostgreSQL restart, a cut network), read-only, or out of disk — leaves
//     the driver as a *portal.Error (EUNAVAILABLE) that says so, with the
//     driver's error as its cause. Every store method, and every layer
//     above, then shows words an operator can act on instead of a generic
//     500, without each call site classifying errors itself.
//  2. A SQLite connection that opened the file read-only (SQLite falls back
//     to read-only when it cannot open the file for writing) stays
//     read-only for its whole life. Such a connection is never reused: the
//     pool opens a fresh one for the next request, which is read-write as
//     soon as the file is writable again — recovery without a restart.

// connector opens connections of one engine for one DSN, wrapped.
type connector struct {
	base driver.Driver
	dsn  string
	// sqlitePath is the database file (SQLite only).
	sqlitePath string
	// queries counts the statements sent to the database (Exec, Query,
	// Prepare), so tests can hold a page to a number of queries.
	queries atomic.Int64
	// analyzed counts Store.Analyze runs: SQLite connections drop the
	// statements they prepared with older statistics (stmtcache.go).
	analyzed atomic.Uint64
}

func newConnector(engine, dsn string) (*connector, error) {
	if engine == "postgres" {
		return &connector{base: stdlib.GetDefaultDriver(), dsn: dsn}, nil
	}
	db, err := sql.Open("sqlite", "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return &connector{base: db.Driver(), dsn: dsn, sqlitePath: sqlitePath(dsn)}, nil
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Open(c.dsn)
	if err != nil {
		return nil, explain(err)
	}
	f := &faultConn{Conn: conn, c: c}
	if c.sqlitePath != "" {
		f.stmts = &stmtCache{gen: c.analyzed.Load(), m: map[string]*cachedStmt{}}
	}
	return f, nil
}

func (c *connector) Driver() driver.Driver { return c.base }

// faultConn wraps a driver connection: errors go through explain, and a
// read-only SQLite connection is discarded instead of reused.
type faultConn struct {
	driver.Conn
	c *connector
	// stmts are the connection's prepared read statements (SQLite only;
	// stmtcache.go).
	stmts *stmtCache
}

// Close closes the cached statements, then the connection.
func (f *faultConn) Close() error {
	if f.stmts != nil {
		f.stmts.closeAll()
	}
	return f.Conn.Close()
}

// note explains err and, when it says SQLite cannot write, repairs the
// modes of the WAL files so that fresh connections can.
func (f *faultConn) note(err error) error {
	err = explain(err)
	if f.c.sqlitePath != "" && portal.ErrorReason(err) == reasonReadOnly {
		repairModes(f.c.sqlitePath)
	}
	return err
}

func (f *faultConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ex, ok := f.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	f.c.queries.Add(1)
	r, err := ex.ExecContext(ctx, query, args)
	return r, f.note(err)
}

func (f *faultConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := f.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	f.c.queries.Add(1)
	if f.stmts != nil {
		return f.cachedQuery(ctx, query, args)
	}
	r, err := q.QueryContext(ctx, query, args)
	if err != nil {
		return nil, f.note(err)
	}
	return &faultRows{Rows: r, f: f}, nil
}

func (f *faultConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	f.c.queries.Add(1)
	if p, ok := f.Conn.(driver.ConnPrepareContext); ok {
		s, err := p.PrepareContext(ctx, query)
		return s, f.note(err)
	}
	s, err := f.Conn.Prepare(query)
	return s, f.note(err)
}

func (f *faultConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	b, ok := f.Conn.(driver.ConnBeginTx) // both engines' drivers have it
	if !ok {
		return nil, errors.New("store: the database driver cannot begin transactions with options")
	}
	tx, err := b.BeginTx(ctx, opts)
	if err != nil {
		return nil, f.note(err)
	}
	return &faultTx{Tx: tx, f: f}, nil
}

func (f *faultConn) Ping(ctx context.Context) error {
	if p, ok := f.Conn.(driver.Pinger); ok {
		return f.note(p.Ping(ctx))
	}
	return nil
}

func (f *faultConn) CheckNamedValue(v *driver.NamedValue) error {
	if c, ok := f.Conn.(driver.NamedValueChecker); ok {
		return c.CheckNamedValue(v)
	}
	return driver.ErrSkip
}

// ResetSession runs before a connection is reused; a SQLite connection
// that opened the database read-only is discarded here (ErrBadConn), so
// the pool replaces it.
func (f *faultConn) ResetSession(ctx context.Context) error {
	if f.readOnly() {
		return driver.ErrBadConn
	}
	if r, ok := f.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

// IsValid runs before a connection goes back into the pool.
func (f *faultConn) IsValid() bool {
	if f.readOnly() {
		return false
	}
	if v, ok := f.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// readOnly reports whether this is a SQLite connection that opened the
// database read-only (sqlite3_db_readonly).
func (f *faultConn) readOnly() bool {
	ro, ok := f.Conn.(interface{ IsReadOnly(string) (bool, error) })
	if !ok || f.c.sqlitePath == "" {
		return false
	}
	yes, err := ro.IsReadOnly("main")
	return err == nil && yes
}

type faultTx struct {
	driver.Tx
	f *faultConn
}

func (t *faultTx) Commit() error { return t.f.note(t.Tx.Commit()) }

type faultRows struct {
	driver.Rows
	f *faultConn
	// release frees a cached statement once its rows are closed.
	release func()
}

func (r *faultRows) Close() error {
	err := r.Rows.Close()
	if r.release != nil {
		r.release()
		r.release = nil
	}
	return err
}

// Next explains errors of statements whose write happens while rows are
// read (INSERT … RETURNING).
func (r *faultRows) Next(dest []driver.Value) error {
	err := r.Rows.Next(dest)
	if err == nil || err == io.EOF {
		return err
	}
	return r.f.note(err)
}

// Reasons of the errors explain makes (portal.ErrorReason).
const (
	reasonUnavailable = "database-unavailable"
	reasonReadOnly    = "database-read-only"
	reasonFull        = "database-full"
)

// explain returns err as a *portal.Error when its cause is the database
// itself, and unchanged otherwise. driver.ErrBadConn passes untouched:
// database/sql retries on it by identity.
func explain(err error) error {
	if err == nil || errors.Is(err, driver.ErrBadConn) || errors.Is(err, driver.ErrSkip) {
		return err
	}
	var e *portal.Error
	if errors.As(err, &e) {
		return err
	}
	if reason := faultOf(err); reason != "" {
		key := map[string]string{reasonUnavailable: "err.db.unavailable", reasonReadOnly: "err.db.readonly", reasonFull: "err.db.full"}[reason]
		return portal.E(portal.EUNAVAILABLE, key).WithReason(reason).Wrap(err)
	}
	return err
}

// faultOf names the database fault behind err, or "".
func faultOf(err error) string {
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff { // the primary result code
		case sqlite3.SQLITE_READONLY:
			return reasonReadOnly
		case sqlite3.SQLITE_FULL:
			return reasonFull
		case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return reasonUnavailable
		}
		return ""
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case pg.Code == "25006": // read_only_sql_transaction: a standby, or default_transaction_read_only
			return reasonReadOnly
		case pg.Code == "53100": // disk_full
			return reasonFull
		case strings.HasPrefix(pg.Code, "08"), // connection exception
			pg.Code == "57P01", pg.Code == "57P02", pg.Code == "57P03", // shutting down, crashed, starting up
			pg.Code == "53300": // too_many_connections
			return reasonUnavailable
		}
		return ""
	}
	var connect *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &connect), errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		return reasonUnavailable
	}
	return ""
}

// sqlitePath returns the file of a SQLite DSN ("file:PATH?pragmas" or a
// plain path).
func sqlitePath(dsn string) string {
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

// createPrivate creates a new SQLite database file readable and writable
// by its owner only (0600), whatever the umask. SQLite gives the -wal and
// -shm files it creates later the database file's mode, so all three end up
// 0600. An existing file keeps the mode its operator gave it.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// repairModes gives the -wal and -shm files the database file's mode when
// the database file itself is writable. SQLite creates them with the
// database's mode of that moment: a WAL index created while the database
// was read-only stays read-only after the database is fixed, and keeps
// every new connection read-only.
func repairModes(path string) {
	fi, err := os.Stat(path)
	if err != nil {
		return
	}
	if f, err := os.OpenFile(path, os.O_WRONLY, 0); err != nil {
		return // still not writable: nothing to repair yet
	} else {
		f.Close()
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if sfi, err := os.Stat(path + suffix); err == nil && sfi.Mode().Perm() != fi.Mode().Perm() {
			os.Chmod(path+suffix, fi.Mode().Perm())
		}
	}
}

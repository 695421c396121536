package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// audit writes one audit event (any write will do).
func audit(st *store.Store) error {
	return st.CreateAuditEvent(context.Background(), &portal.AuditEvent{At: time.Now(), Actor: "t", Action: "test.write", TargetKind: portal.TargetUser, Target: "x",
		Detail: strings.Repeat("d", 500)})
}

// wantFault checks that err is the database fault key, told to people.
func wantFault(t *testing.T, err error, key string) {
	t.Helper()
	var e *portal.Error
	if !errors.As(err, &e) || e.Code != portal.EUNAVAILABLE || e.Key != key {
		t.Fatalf("got %v, want %s (%s)", err, key, portal.EUNAVAILABLE)
	}
}

func TestDatabaseFilesAreCreatedPrivate(t *testing.T) {
	old := syscall.Umask(0o022) // the usual umask, which made them 0644
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "p.db")
	st := storetest.Open(t, "sqlite", store.SQLiteDSN(path))
	if err := audit(st); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
			t.Errorf("%s has mode %v, want %v", filepath.Base(name), got, want)
		}
	}
}

// A SQLite file that turns read-only makes every connection opened
// meanwhile read-only for good. Once the file is writable again the store
// must write again without a restart.
func TestReadOnlySQLiteRecovers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	st := storetest.Open(t, "sqlite", store.SQLiteDSN(path))
	ctx := context.Background()
	if err := audit(st); err != nil {
		t.Fatal(err)
	}
	undo := storetest.MakeReadOnly(t, path)
	// The pool reopens connections over time (idle timeout, load); make it
	// do so now, while the file is read-only.
	st.DB().SetMaxIdleConns(0)
	st.DB().SetMaxIdleConns(16)
	wantFault(t, audit(st), "err.db.readonly")
	wantFault(t, st.CheckWritable(ctx), "err.db.readonly")
	if _, err := st.FindSession(ctx, "x"); portal.ErrorCode(err) != portal.ENOTFOUND {
		t.Fatalf("reads fail while the file is read-only: %v", err)
	}

	undo()
	if err := st.CheckWritable(ctx); err != nil {
		t.Fatalf("the file is writable again, but the store still is not: %v", err)
	}
	for i := range 20 { // every pooled connection gets its turn
		if err := audit(st); err != nil {
			t.Fatalf("write %d after recovery: %v", i, err)
		}
	}
}

// SQLite gives a new -wal or -shm file the database file's mode of that
// moment; one created while the database was read-only is put right once
// the database is writable again.
func TestWALFilesGetTheDatabaseModeBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	for name, mode := range map[string]os.FileMode{path: 0o600, path + "-shm": 0o444, path + "-wal": 0o444} {
		if err := os.WriteFile(name, nil, mode); err != nil {
			t.Fatal(err)
		}
	}
	store.RepairModes(path)
	for _, name := range []string{path + "-wal", path + "-shm"} {
		fi, _ := os.Stat(name)
		if got, want := fi.Mode().Perm(), os.FileMode(0o600); got != want {
			t.Errorf("%s has mode %v, want %v", filepath.Base(name), got, want)
		}
	}
}

// A full disk is reported as such (SQLite's max_page_count makes the
// database "full" exactly as a full disk does: SQLITE_FULL).
func TestFullDatabaseIsReportedAsFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	st := storetest.Open(t, "sqlite", store.SQLiteDSN(path))
	var pages int
	st.DB().QueryRow(`PRAGMA page_count`).Scan(&pages)
	st.Close()
	full := storetest.Open(t, "sqlite", store.SQLiteDSN(path)+"&_pragma=max_page_count("+strconv.Itoa(pages+2)+")")
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		err = audit(full)
	}
	wantFault(t, err, "err.db.full")
}

// A PostgreSQL restart (a cut connection, then refused connections) is
// "database unavailable", and the pool is back once the server is.
func TestPostgresRestartIsUnavailableThenRecovers(t *testing.T) {
	dsn, proxy := storetest.ProxiedPostgres(t)
	st := storetest.Open(t, "postgres", dsn)
	ctx := context.Background()
	if err := audit(st); err != nil {
		t.Fatal(err)
	}
	proxy.Cut()
	for range 2 { // the dropped connection, then a refused one
		_, err := st.FindSession(ctx, "x")
		wantFault(t, err, "err.db.unavailable")
	}
	wantFault(t, st.CheckWritable(ctx), "err.db.unavailable")
	if err := proxy.Restore(); err != nil {
		t.Fatal(err)
	}
	if err := audit(st); err != nil {
		t.Fatalf("after the restart: %v", err)
	}
}

// A PostgreSQL that only reads (a standby after a failover, or
// default_transaction_read_only) is reported as read-only.
func TestReadOnlyPostgresIsReportedAsReadOnly(t *testing.T) {
	dsn := storetest.DSN(t, "postgres")
	storetest.Open(t, "postgres", dsn) // migrate while writable
	st := storetest.Open(t, "postgres", dsn+"&options=-c%20default_transaction_read_only%3Don")
	wantFault(t, audit(st), "err.db.readonly")
	wantFault(t, st.CheckWritable(context.Background()), "err.db.readonly")
}

// A real PostgreSQL restart (or an administrator's pg_terminate_backend)
// ends every session with FATAL 57P01 "terminating connection due to
// administrator command" from the server itself, which a cut proxy does
// not send. Simulated here by terminating the store's own backends on the
// test server (restarting the shared server would disturb every other
// test): a call on a connection that was terminated under it says the
// database is unavailable, and the pool replaces the dead idle connections
// by itself, so the next calls work.
func TestPostgresTerminatedConnectionsAreUnavailableThenRecover(t *testing.T) {
	app := "gatehouse_terminate_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	dsn := storetest.DSN(t, "postgres") + "&application_name=" + app
	st := storetest.Open(t, "postgres", dsn)
	ctx := context.Background()
	st.DB().SetMaxIdleConns(4)
	// Idle connections in the pool, and one in use (a request in flight).
	var conns []*sql.Conn
	for range 4 {
		c, err := st.DB().Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	busy := conns[0]
	defer busy.Close()
	for _, c := range conns[1:] {
		c.Close()
	}
	admin, err := sql.Open("pgx", os.Getenv("PORTAL_TEST_POSTGRES_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var killed int
	if err := admin.QueryRow(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed < 4 {
		t.Fatalf("%d backends of the store terminated, want 4", killed)
	}
	_, err = busy.ExecContext(ctx, `SELECT 1`)
	wantFault(t, err, "err.db.unavailable")
	for i := range 10 {
		if err := audit(st); err != nil {
			t.Fatalf("write %d after the terminated connections: %v", i, err)
		}
	}
}

package store

import (
	"context"
	"database/sql/driver"
)

// stmtCacheSize is how many prepared statements a SQLite connection keeps.
// The pages run a few dozen distinct queries (every user list filter is a
// query text of its own); the least recently used statement goes first.
const stmtCacheSize = 64

// stmtCache keeps a SQLite connection's prepared read statements by their
// text. database/sql prepares every query it is not given a *sql.Stmt for,
// and modernc's SQLite compiles the text each time: parsing and planning
// were 40 % of the dashboard's CPU at 10,000 users, more than running
// the queries (docs/benchmarks.md, "Page CPU per request"). A cached
// statement is reset and run again instead. PostgreSQL's driver (pgx)
// caches its prepared statements itself.
//
// A connection is used by one goroutine at a time (database/sql), so the
// cache needs no lock. A statement whose rows are still open (a query
// issued while reading the rows of the same query) is not shared: that
// query is prepared on its own, as without the cache. SQLite re-prepares a
// cached statement by itself when the schema changes; statistics that
// Store.Analyze refreshed are not a schema change, so the cache is emptied
// when the connector's count of Analyze runs moved, and no kept statement
// holds a plan that a fresh prepare would not make.
type stmtCache struct {
	gen  uint64 // connector.analyzed when the statements were prepared
	tick uint64
	m    map[string]*cachedStmt
}

type cachedStmt struct {
	stmt   driver.Stmt
	busy   bool   // its rows are open
	used   uint64 // tick of its last use
	orphan bool   // not (or no longer) in the cache: closed with its rows
}

// cachedQuery runs query on the connection through a cached statement, preparing
// and caching it on first use.
func (f *faultConn) cachedQuery(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	c := f.stmts
	if gen := f.c.analyzed.Load(); gen != c.gen {
		c.closeAll()
		c.gen = gen
	}
	c.tick++
	cs := c.m[query]
	if cs == nil || cs.busy {
		p, ok := f.Conn.(driver.ConnPrepareContext)
		if !ok {
			return nil, driver.ErrSkip
		}
		st, err := p.PrepareContext(ctx, query)
		if err != nil {
			return nil, f.note(err)
		}
		fresh := &cachedStmt{stmt: st, orphan: true}
		if cs == nil && c.makeRoom() {
			fresh.orphan = false
			c.m[query] = fresh
		}
		cs = fresh
	}
	q, ok := cs.stmt.(driver.StmtQueryContext)
	if !ok {
		if cs.orphan {
			cs.stmt.Close()
		}
		return nil, driver.ErrSkip
	}
	cs.busy, cs.used = true, c.tick
	rows, err := q.QueryContext(ctx, args)
	if err != nil {
		cs.release()
		return nil, f.note(err)
	}
	return &faultRows{Rows: rows, f: f, release: cs.release}, nil
}

// release marks the statement free again once its rows are closed; a
// statement that was not kept in the cache is closed.
func (cs *cachedStmt) release() {
	cs.busy = false
	if cs.orphan {
		cs.stmt.Close()
	}
}

// makeRoom makes room for one more statement by closing the least recently
// used free one; it reports false when every cached statement is in use.
func (c *stmtCache) makeRoom() bool {
	if len(c.m) < stmtCacheSize {
		return true
	}
	var oldest string
	var at *cachedStmt
	for q, cs := range c.m {
		if !cs.busy && (at == nil || cs.used < at.used) {
			oldest, at = q, cs
		}
	}
	if at == nil {
		return false
	}
	at.stmt.Close()
	delete(c.m, oldest)
	return true
}

// closeAll closes every cached statement; one whose rows are still open is
// closed when they are.
func (c *stmtCache) closeAll() {
	for q, cs := range c.m {
		if cs.busy {
			cs.orphan = true
		} else {
			cs.stmt.Close()
		}
		delete(c.m, q)
	}
}

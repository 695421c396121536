package store

import (
	"database/sql"

	"modernc.org/sqlite"
)

// StmtCacheSize exposes how many statements a SQLite connection keeps.
const StmtCacheSize = stmtCacheSize

// SQLiteStatements reports for the SQLite connection c how many read
// statements it keeps prepared, and the memory SQLite itself counts for the
// connection's prepared statements (SQLITE_DBSTATUS_STMT_USED).
func SQLiteStatements(c *sql.Conn) (kept, bytes int, err error) {
	err = c.Raw(func(dc any) error {
		f := dc.(*faultConn)
		if f.stmts != nil {
			kept = len(f.stmts.m)
		}
		bytes, _, err = f.Conn.(sqlite.DBStatus).Status(sqlite.DBStatusStmtUsed, false)
		return err
	})
	return kept, bytes, err
}

// Package migrations embeds the goose SQL migrations, one folder per
// database dialect. Both folders carry the same version numbers; a test
// checks that they never drift apart.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// Dialect names a folder of migrations.
type Dialect string

// Supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// FS returns the migrations of one dialect, with the files at the root.
func FS(d Dialect) fs.FS {
	sub, err := fs.Sub(files, string(d))
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

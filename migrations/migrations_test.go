package migrations

import (
	"io/fs"
	"slices"
	"testing"
)

// Both dialects must carry the same migration versions, so a database can
// move between engines and no change is made for one engine only.
func TestDialectsHaveTheSameVersions(t *testing.T) {
	names := func(d Dialect) []string {
		entries, err := fs.ReadDir(FS(d), ".")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	sqlite, pg := names(SQLite), names(Postgres)
	if len(sqlite) == 0 {
		t.Fatal("no migrations embedded")
	}
	if !slices.Equal(sqlite, pg) {
		t.Fatalf("sqlite migrations %v differ from postgres %v", sqlite, pg)
	}
}

package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// A unique violation is recognised by the engine's error code, on both
// engines, also through a wrap; other constraint failures and an error
// that only says the words are not one.
func TestUniqueViolationByErrorCode(t *testing.T) {
	for _, engine := range storetest.Engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			driver := map[string]string{"sqlite": "sqlite", "postgres": "pgx"}[engine]
			db, err := sql.Open(driver, storetest.DSN(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.ExecContext(ctx, `CREATE TABLE uv (id INTEGER PRIMARY KEY, name TEXT UNIQUE, note TEXT NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, `INSERT INTO uv (id, name, note) VALUES (1, 'a', 'x')`); err != nil {
				t.Fatal(err)
			}
			exec := func(q string) error { _, err := db.ExecContext(ctx, q); return err }
			for _, tc := range []struct {
				name string
				err  error
				want bool
			}{
				{"duplicate unique column", exec(`INSERT INTO uv (id, name, note) VALUES (2, 'a', 'x')`), true},
				{"duplicate primary key", exec(`INSERT INTO uv (id, name, note) VALUES (1, 'b', 'x')`), true},
				{"wrapped duplicate", fmt.Errorf("create thing: %w", exec(`INSERT INTO uv (id, name, note) VALUES (3, 'a', 'x')`)), true},
				{"not-null violation", exec(`INSERT INTO uv (id, name, note) VALUES (4, 'c', NULL)`), false},
				{"text that only looks like one", errors.New("UNIQUE constraint failed: uv.name (SQLSTATE 23505) duplicate key value"), false},
				{"no error", nil, false},
			} {
				if tc.want && tc.err == nil {
					t.Fatalf("%s: the statement did not fail", tc.name)
				}
				if got := store.IsUniqueViolation(tc.err); got != tc.want {
					t.Errorf("%s: IsUniqueViolation(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
				}
			}
		})
	}
}

// A failed statement says which operation failed (and for which record),
// and keeps the driver's error as the cause for logs and errors.Is.
func TestStoreErrorsNameTheOperation(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	s.Close() // every statement now fails inside database/sql
	for _, tc := range []struct {
		want string
		err  error
	}{
		{"find operators: ", func() error { _, err := s.FindOperators(ctx); return err }()},
		{"find API tokens operator 7: ", func() error { _, err := s.FindAPITokens(ctx, 7); return err }()},
		{"delete session: ", s.DeleteSession(ctx, "x")},
		{"find steps user 3: ", func() error { _, err := s.FindSteps(ctx, 3); return err }()},
		{"delete user 5: ", s.DeleteUser(ctx, 5)},
	} {
		if tc.err == nil || !strings.HasPrefix(tc.err.Error(), tc.want) {
			t.Errorf("err = %v, want it to start with %q", tc.err, tc.want)
		}
		if errors.Unwrap(tc.err) == nil {
			t.Errorf("%v: the driver's error is not kept as the cause", tc.err)
		}
	}
}

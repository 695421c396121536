package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/migrations"
	"github.com/gatehouse/portal/store"
)

// The user search uses a trigram index (FTS5 on SQLite, pg_trgm on
// PostgreSQL) kept in step with every write; its answers are those of a
// plain substring test of the user name, display name and e-mail, whatever
// the term's length or characters, after creates, updates and deletes.
func TestUserSearchIndexFollowsEveryWrite(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		type person struct{ name, display, email string }
		people := map[int64]*person{}
		add := func(name, display, email string) int64 {
			t.Helper()
			u := &portal.User{UserName: name, DisplayName: display, Email: email, State: portal.StateInvited, CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			people[u.ID] = &person{name, display, email}
			return u.ID
		}
		for i := range 120 {
			add(fmt.Sprintf("user-%03d", i), fmt.Sprintf("Person %d", i), fmt.Sprintf("p%d@Example.com", i))
		}
		add("a_b", "Fifty 50% Off", "under_score@example.org")
		add("quoter", `Say "quo" twice`, "q@example.net")
		add("yamada", "山田太郎", "yamada@example.jp")
		add("Mixed.Case", "McDONALD", "MC@EXAMPLE.COM")
		check := func(t *testing.T) {
			t.Helper()
			for _, term := range []string{"user-01", "USER-1", "person 11", "son 1", "@example", "example.com", "a_b", "50%", `"quo"`,
				`"`, "山田太", "田太", "mcd", "donald", "mixed.case", "zz", "p1", "er", "e", "1@e", "nobody-here", "__", "%%%"} {
				var want []string
				for _, p := range people {
					if strings.Contains(strings.ToLower(p.name), strings.ToLower(term)) || strings.Contains(strings.ToLower(p.display), strings.ToLower(term)) ||
						strings.Contains(strings.ToLower(p.email), strings.ToLower(term)) {
						want = append(want, portal.UserNameKey(p.name))
					}
				}
				slices.Sort(want)
				page, err := s.FindUsers(ctx, portal.UserFilter{Query: term})
				if err != nil {
					t.Fatalf("search %q: %v", term, err)
				}
				var got []string
				for _, u := range page.Users {
					got = append(got, portal.UserNameKey(u.UserName))
				}
				if !slices.Equal(got, want) {
					t.Errorf("search %q = %v, want %v", term, got, want)
				}
			}
			if s.Dialect() == migrations.SQLite {
				// FTS5 compares its index with the users table.
				if _, err := s.DB().ExecContext(ctx, `INSERT INTO users_search(users_search) VALUES ('integrity-check')`); err != nil {
					t.Fatalf("search index out of step: %v", err)
				}
			}
		}
		t.Run("after creates", check)
		var someone int64
		for id, p := range people {
			if p.name == "user-011" {
				someone = id
			}
		}
		display, email := "Renamed Zebra", "zebra@zoo.example"
		if err := s.UpdateUser(ctx, someone, store.UserUpdate{DisplayName: &display, Email: &email}, t0); err != nil {
			t.Fatal(err)
		}
		people[someone].display, people[someone].email = display, email
		t.Run("after an update", func(t *testing.T) {
			check(t)
			if p, _ := s.FindUsers(ctx, portal.UserFilter{Query: "zebra"}); len(p.Users) != 1 {
				t.Fatalf("the new display name is not found: %v", p.Users)
			}
		})
		for id, p := range people {
			if p.name == "user-012" || p.name == "yamada" {
				if err := s.DeleteUser(ctx, id); err != nil {
					t.Fatal(err)
				}
				delete(people, id)
			}
		}
		t.Run("after deletes", check)
	})
}

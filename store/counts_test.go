package store_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/migrations"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// TestCountByStatus_CachedCountMatchesARecount: the dashboard's counts are
// reused briefly, and every write through the store ends the reuse, so a
// count taken after a write returns always equals a fresh recount — one
// write at a time, and after writers and readers ran concurrently (a count
// that read the rows before a concurrent commit must not be kept).
func TestCountByStatus_CachedCountMatchesARecount(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		seedUsers(t, s, 60, now)
		page, err := s.FindUsers(ctx, portal.UserFilter{Limit: 100, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, len(page.Users))
		for i, u := range page.Users {
			ids[i] = u.ID
		}
		same := func(when string) {
			t.Helper()
			got, err := s.CountByStatus(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.RecountByStatus(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, want) {
				t.Fatalf("%s: CountByStatus = %v, a recount says %v", when, got, want)
			}
		}
		states := []portal.State{portal.StateEnrolled, portal.StateInvited, portal.StateOffboarded, portal.StateClaimed}
		write := func(i int) error {
			switch i % 5 {
			case 3:
				return s.CreateUser(ctx, &portal.User{UserName: fmt.Sprintf("new%05d", i), State: portal.StateInvited,
					Deadline: now.Add(-time.Hour), CreatedAt: now, UpdatedAt: now})
			case 4:
				return s.DeleteUser(ctx, ids[i%len(ids)])
			default:
				st := states[i%len(states)]
				return s.UpdateUser(ctx, ids[i%len(ids)], store.UserUpdate{State: &st}, now)
			}
		}

		same("before any write")
		for i := range 15 {
			same(fmt.Sprintf("before write %d", i))
			if err := write(i); err != nil {
				t.Fatal(err)
			}
			same(fmt.Sprintf("after write %d", i))
		}

		var wg sync.WaitGroup
		done := make(chan struct{})
		for range 3 {
			wg.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					if _, err := s.CountByStatus(ctx, now); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		var writers sync.WaitGroup
		for w := range 3 {
			writers.Go(func() {
				for i := range 20 {
					if err := write(100 + w*20 + i); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		writers.Wait()
		close(done)
		wg.Wait()
		same("after concurrent writers and readers")
	})
}

// TestAnalyze_WritesPlannerStatistics: on SQLite Analyze leaves statistics
// for the users table (without them the overdue list sorted every overdue
// user); on PostgreSQL it is a no-op that succeeds.
func TestAnalyze_WritesPlannerStatistics(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seedUsers(t, s, 50, time.Now())
		if err := s.Analyze(ctx); err != nil {
			t.Fatal(err)
		}
		if s.Dialect() != migrations.SQLite {
			return
		}
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'users'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatal("no planner statistics for users after Analyze")
		}
	})
}

// Analyze merges the trigram search index into one segment: a search looks
// each trigram up once per segment, and every user written on its own
// leaves a small one until FTS5 merges them lazily (docs/benchmarks.md,
// "Page CPU per request"). The search finds the same users after it.
func TestAnalyze_MergesTheSearchIndex(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite", storetest.DSN(t, "sqlite"))
	seedUsers(t, s, 300, time.Now())
	segments := func() int {
		t.Helper()
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(DISTINCT segid) FROM users_search_idx`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	search := func() string {
		t.Helper()
		page, err := s.FindUsers(ctx, portal.UserFilter{Query: "u0012", Sort: portal.SortName})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range page.Users {
			names = append(names, u.UserName)
		}
		return strings.Join(names, " ")
	}
	if n := segments(); n < 2 {
		t.Fatalf("300 users written one by one left %d segments; the test needs several", n)
	}
	before := search()
	if err := s.Analyze(ctx); err != nil {
		t.Fatal(err)
	}
	if n := segments(); n != 1 {
		t.Fatalf("after Analyze: %d segments, want 1", n)
	}
	if after := search(); after != before || !strings.Contains(after, "u00120") {
		t.Fatalf("search after Analyze: %q, before: %q", after, before)
	}
}

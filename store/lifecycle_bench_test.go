package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
	"github.com/gatehouse/portal/store/storetest"
)

// benchStores opens a store with 10,000 users per engine (PostgreSQL only
// when PORTAL_TEST_POSTGRES_URL is set; 500 users with -short, CI's smoke
// run). Results: docs/benchmarks.md.
func benchStores(b *testing.B, now time.Time) map[string]*store.Store {
	b.Helper()
	ctx := context.Background()
	out := map[string]*store.Store{}
	s, err := store.Open(ctx, "sqlite", store.SQLiteDSN(filepath.Join(b.TempDir(), "bench.db")))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	out["sqlite"] = s
	if pg := os.Getenv("PORTAL_TEST_POSTGRES_URL"); pg != "" {
		out["postgres"] = mustOpenB(b, pg)
	}
	n := 10000
	if testing.Short() {
		n = 500
	}
	for _, s := range out {
		seedUsers(b, s, n, now)
	}
	return out
}

func mustOpenB(b *testing.B, url string) *store.Store {
	s, err := store.Open(context.Background(), "postgres", storetest.DSN(b, "postgres"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkUserListAndDashboard10k(b *testing.B) {
	ctx := context.Background()
	now := time.Now().UTC()
	for engine, s := range benchStores(b, now) {
		cases := []struct {
			name string
			run  func() error
		}{
			{"list/first-page", func() error {
				_, err := s.FindUsers(ctx, portal.UserFilter{Limit: 50, Now: now})
				return err
			}},
			{"list/page-150-keyset", func() error {
				_, err := s.FindUsers(ctx, portal.UserFilter{Limit: 50, After: "u07500", Now: now})
				return err
			}},
			{"list/overdue-by-deadline", func() error {
				_, err := s.FindUsers(ctx, portal.UserFilter{Limit: 50, Status: portal.StatusOverdue, Sort: portal.SortDeadline, Now: now})
				return err
			}},
			{"list/search", func() error {
				_, err := s.FindUsers(ctx, portal.UserFilter{Limit: 50, Query: "u0999", Now: now})
				return err
			}},
			{"dashboard/counts", func() error {
				_, err := s.CountByStatus(ctx, now)
				return err
			}},
			{"dashboard/overdue+due-soon", func() error {
				if _, err := s.FindUsers(ctx, portal.UserFilter{DeadlineTo: now, Sort: portal.SortDeadline, Limit: 100}); err != nil {
					return err
				}
				_, err := s.FindUsers(ctx, portal.UserFilter{DeadlineFrom: now, DeadlineTo: now.Add(48 * time.Hour), Sort: portal.SortDeadline, Limit: 100})
				return err
			}},
		}
		for _, c := range cases {
			b.Run(engine+"/"+c.name, func(b *testing.B) {
				for b.Loop() {
					if err := c.run(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

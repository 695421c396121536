package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/store"
)

// seedUsers inserts n users u00000… with a mix of states and deadlines
// around now: every 4th enrolled, every 4th+1 overdue, the rest invited
// with a future deadline.
func seedUsers(tb testing.TB, s *store.Store, n int, now time.Time) {
	tb.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		u := &portal.User{UserName: fmt.Sprintf("u%05d", i), Email: fmt.Sprintf("u%05d@example.com", i), State: portal.StateInvited,
			Deadline: now.Add(time.Duration(i%97+1) * time.Hour), CreatedAt: now, UpdatedAt: now}
		switch i % 4 {
		case 0:
			u.State, u.Deadline, u.EnrolledAt = portal.StateEnrolled, time.Time{}, now
		case 1:
			u.Deadline = now.Add(-time.Duration(i%50+1) * time.Hour)
		}
		if err := s.CreateUser(ctx, u); err != nil {
			tb.Fatal(err)
		}
	}
}

func TestKeysetPaginationAndCounts(t *testing.T) {
	for engine, open := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			now := time.Now().UTC()
			seedUsers(t, s, 103, now)
			for _, sort := range []portal.UserSort{portal.SortName, portal.SortNameDesc, portal.SortDeadline} {
				t.Run("every user exactly once sorted by "+string(sort), func(t *testing.T) {
					seen := map[string]bool{}
					q := portal.UserFilter{Sort: sort, Limit: 10, Now: now}
					pages := 0
					for {
						p, err := s.FindUsers(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						for _, u := range p.Users {
							if seen[u.UserName] {
								t.Fatalf("%s seen twice", u.UserName)
							}
							seen[u.UserName] = true
						}
						pages++
						if p.Next == "" {
							break
						}
						q.After = p.Next
					}
					if got, want := len(seen), 103; got != want {
						t.Fatalf("users seen = %d, want %d", got, want)
					}
					if got, want := pages, 11; got != want {
						t.Fatalf("pages = %d, want %d", got, want)
					}
				})
			}
			counts, err := s.CountByStatus(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			for st, want := range map[portal.Status]int{portal.StatusEnrolled: 26, portal.StatusOverdue: 26, portal.StatusInvited: 51} {
				if got := counts[st]; got != want {
					t.Errorf("count %s = %d, want %d", st, got, want)
				}
			}
			t.Run("status filter matches the counts", func(t *testing.T) {
				p, err := s.FindUsers(ctx, portal.UserFilter{Status: portal.StatusOverdue, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := len(p.Users), 26; got != want {
					t.Fatalf("overdue users = %d, want %d", got, want)
				}
			})
			t.Run("a deadline range lists pending users by deadline, a page at a time", func(t *testing.T) {
				f := portal.UserFilter{DeadlineTo: now, Sort: portal.SortDeadline, Limit: 10}
				var seen []*portal.User
				for {
					p, err := s.FindUsers(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					seen = append(seen, p.Users...)
					if p.Next == "" {
						break
					}
					f.After = p.Next
				}
				if got, want := len(seen), 26; got != want {
					t.Fatalf("overdue by deadline = %d users, want %d", got, want)
				}
				for i, u := range seen {
					if !u.Deadline.Before(now) || u.State == portal.StateEnrolled {
						t.Fatalf("%s (deadline %v, state %s) is not overdue", u.UserName, u.Deadline, u.State)
					}
					if i > 0 && u.Deadline.Before(seen[i-1].Deadline) {
						t.Fatalf("%s comes after a later deadline", u.UserName)
					}
				}
				soon, err := s.FindUsers(ctx, portal.UserFilter{DeadlineFrom: now, DeadlineTo: now.Add(3 * time.Hour), Sort: portal.SortDeadline})
				if err != nil {
					t.Fatal(err)
				}
				for _, u := range soon.Users {
					if u.Deadline.Before(now) || !u.Deadline.Before(now.Add(3*time.Hour)) {
						t.Fatalf("%s deadline %v outside the range", u.UserName, u.Deadline)
					}
				}
				if len(soon.Users) == 0 {
					t.Fatal("no user due in the next 3 hours")
				}
			})
			t.Run("search treats LIKE wildcards literally", func(t *testing.T) {
				p, err := s.FindUsers(ctx, portal.UserFilter{Query: "u0001_", Now: now})
				if err != nil {
					t.Fatal(err)
				}
				if got := len(p.Users); got != 0 {
					t.Fatalf("'u0001_' matched %d users", got)
				}
			})
			t.Run("a lifecycle mark is won once", func(t *testing.T) {
				u, _ := s.FindUserByName(ctx, "u00001")
				first, err1 := s.Mark(ctx, u.ID, store.MarkReminded, now)
				second, err2 := s.Mark(ctx, u.ID, store.MarkReminded, now)
				if err1 != nil || err2 != nil || !first || second {
					t.Fatalf("marks = %v %v (%v %v), want true false", first, second, err1, err2)
				}
			})
		})
	}
}

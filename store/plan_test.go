package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/migrations"
	"github.com/gatehouse/portal/store"
)

// seedBulk inserts n users in one transaction: a mix of every state, pending
// deadlines from a week ago to a week ahead, IAM UserIds.
func seedBulk(t *testing.T, s *store.Store, n int, now time.Time) {
	t.Helper()
	ctx := context.Background()
	tx, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	q := `INSERT INTO users (user_name, user_name_key, display_name, email, state, deadline, enrolled_at, iam_user_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if s.Dialect() == migrations.Postgres {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	stmt, err := tx.PrepareContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	states := []portal.State{portal.StateEnrolled, portal.StateEnrolled, portal.StateInvited, portal.StateClaimed, portal.StateProvisioning,
		portal.StateInvited, portal.StateMFARemoved, portal.StateOffboarded}
	ms := func(t time.Time) int64 { return t.UnixMilli() }
	for i := range n {
		name := fmt.Sprintf("User-%05d", i)
		st := states[i%len(states)]
		var deadline, enrolled int64
		switch st {
		case portal.StateEnrolled:
			enrolled = ms(now)
		case portal.StateInvited, portal.StateClaimed, portal.StateProvisioning:
			deadline = ms(now.Add(time.Duration(i%337-168) * time.Hour))
		}
		if _, err := stmt.ExecContext(ctx, name, strings.ToLower(name), fmt.Sprintf("Person %d", i), fmt.Sprintf("p%d@example.com", i),
			string(st), deadline, enrolled, fmt.Sprintf("AIDA%017d", i), ms(now), ms(now)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	analyze := "ANALYZE"
	if s.Dialect() == migrations.Postgres {
		// VACUUM also moves the bulk insert out of the GIN indexes' pending
		// lists, as autovacuum does on a live database.
		analyze = "VACUUM ANALYZE users"
	}
	if _, err := s.DB().ExecContext(ctx, analyze); err != nil {
		t.Fatal(err)
	}
}

// planFilters is every kind of list query FindUsers builds: each status
// with each sort, search term length and cursor, paged and whole; and the
// filters of the dashboard, the deadline job, the status sync and the
// ownership check.
func planFilters(now time.Time) map[string]portal.UserFilter {
	out := map[string]portal.UserFilter{}
	statuses := []portal.Status{"", portal.StatusProvisioning, portal.StatusInvited, portal.StatusClaimed, portal.StatusEnrolled,
		portal.StatusOverdue, portal.StatusMFARemoved, portal.StatusOffboarded}
	for _, st := range statuses {
		for _, sort := range []portal.UserSort{portal.SortName, portal.SortNameDesc, portal.SortDeadline} {
			for _, term := range []string{"", "er", "4321"} {
				for _, limit := range []int{50, 0} {
					for _, after := range []string{"", "user-05000"} {
						if after != "" && limit == 0 {
							continue
						}
						if after != "" && sort == portal.SortDeadline {
							after = fmt.Sprintf("%d.user-05000", now.UnixMilli())
						}
						f := portal.UserFilter{Status: st, Sort: sort, Query: term, Limit: limit, After: after, Now: now}
						out[fmt.Sprintf("status=%s sort=%s q=%q limit=%d after=%q", st, sort, term, limit, after)] = f
					}
				}
			}
		}
	}
	out["dashboard overdue"] = portal.UserFilter{DeadlineTo: now, Sort: portal.SortDeadline, Limit: 20}
	out["dashboard due soon"] = portal.UserFilter{DeadlineFrom: now, DeadlineTo: now.Add(48 * time.Hour), Sort: portal.SortDeadline, Limit: 20}
	out["dashboard interrupted claims"] = portal.UserFilter{ClaimInterrupted: true, Limit: 20}
	out["deadline job reminders"] = portal.UserFilter{DeadlineFrom: now, DeadlineTo: now.Add(24 * time.Hour), Sort: portal.SortDeadline}
	out["deadline job overdue"] = portal.UserFilter{DeadlineTo: now, Sort: portal.SortDeadline}
	out["status sync"] = portal.UserFilter{States: []portal.State{portal.StateInvited, portal.StateClaimed, portal.StateEnrolled, portal.StateMFARemoved}}
	out["ownership by IAM UserId"] = portal.UserFilter{IAMUserID: "AIDA00000000000000042"}
	out["grouped by e-mail"] = portal.UserFilter{GroupByEmail: true, Limit: 50, Now: now}
	out["grouped by e-mail, next page"] = portal.UserFilter{GroupByEmail: true, Limit: 50, After: "p5000@example.com\tuser-05000 ", Now: now}
	return out
}

// TestUserListPlans checks the plan of every list query at 10,000 users:
// on SQLite no full scan of users and, for a page, no temporary sort; on
// PostgreSQL no sequential scan of users where an index can serve.
func TestUserListPlans(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 10,000 users")
	}
	for engine, open := range engines(t) {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			now := time.Now().UTC()
			seedBulk(t, s, 10000, now)
			conn, err := s.DB().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			explain := "EXPLAIN QUERY PLAN "
			if engine == "postgres" {
				explain = "EXPLAIN "
				// Only a query no index can serve still scans.
				if _, err := conn.ExecContext(ctx, "SET enable_seqscan = off"); err != nil {
					t.Fatal(err)
				}
			}
			for name, f := range planFilters(now) {
				query, args := s.UserQuery(f)
				plan := planOf(t, ctx, conn, engine, explain+query, args)
				if problem := planProblem(engine, f, plan); problem != "" {
					t.Errorf("%s: %s\n\t%s", name, problem, strings.Join(plan, "\n\t"))
				}
			}
			// The dashboard's in-flight list and each row's resume job:
			// an index in order, no sort, no scan of users or jobs.
			for query, args := range s.DashboardQueries() {
				plan := planOf(t, ctx, conn, engine, explain+query, args)
				for _, line := range plan {
					line = strings.TrimSpace(line)
					if line == "SCAN users" || line == "SCAN jobs" || strings.HasPrefix(line, "USE TEMP B-TREE") ||
						strings.Contains(line, "Seq Scan") || strings.HasPrefix(line, "Sort") {
						t.Errorf("%s: %s\n\t%s", query, line, strings.Join(plan, "\n\t"))
					}
				}
			}
		})
	}
}

// planOf runs an EXPLAIN (PostgreSQL) or EXPLAIN QUERY PLAN (SQLite)
// statement and returns the plan's lines (SQLite: each row's detail).
func planOf(t *testing.T, ctx context.Context, conn *sql.Conn, engine, explain string, args []any) []string {
	t.Helper()
	rows, err := conn.QueryContext(ctx, explain, args...)
	if err != nil {
		t.Fatalf("%s: %v", explain, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if engine == "postgres" {
			err = rows.Scan(&line)
		} else {
			var id, parent, unused int
			err = rows.Scan(&id, &parent, &unused, &line)
		}
		if err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// planProblem says what is wrong with plan, or "". A search term under 3
// characters scans by design (no trigram to look up); a search of 3 or more
// and the interrupted claims sort only their matches, found through an
// index (the trigram index; the invites' index of claims).
func planProblem(engine string, f portal.UserFilter, plan []string) string {
	short := f.Query != "" && len([]rune(f.Query)) < 3
	if short {
		return ""
	}
	// PostgreSQL may rather read a status through its index and test the
	// term on those rows; the search alone must use the trigram index.
	if f.Query != "" && (engine == "sqlite" || f.Status == "") {
		index := map[string]string{"sqlite": "SCAN users_search VIRTUAL TABLE", "postgres": "Index Scan on users_search_"}[engine]
		if !strings.Contains(strings.Join(plan, "\n"), index) {
			return "a search of 3 characters or more not through the trigram index"
		}
	}
	for _, line := range plan {
		line = strings.TrimSpace(line)
		switch engine {
		case "sqlite":
			if line == "SCAN users" {
				return "full scan of users"
			}
			if strings.HasPrefix(line, "USE TEMP B-TREE FOR") && f.Limit > 0 && f.Query == "" && !f.ClaimInterrupted {
				return "a page sorted in a temporary B-tree"
			}
		case "postgres":
			if strings.Contains(line, "Seq Scan on users") {
				return "sequential scan of users"
			}
		}
	}
	return ""
}

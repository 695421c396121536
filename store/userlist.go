package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/portal"
)

// pendingStates are the states in which a user can become overdue.
var pendingStates = []portal.State{portal.StateProvisioning, portal.StateInvited, portal.StateClaimed}

// Sorts of the user list. Each is a keyset order that ends in user_name_key,
// which is unique, so a page boundary is never ambiguous.
const (
	SortName     = "name"     // user name, A→Z
	SortNameDesc = "-name"    // user name, Z→A
	SortDeadline = "deadline" // earliest deadline first, then name
)

// UserQuery selects one page of the user list.
type UserQuery struct {
	Query  string        // substring of user name, display name or e-mail
	Status portal.Status // "" for all; "overdue" and "invited" etc. as shown to people
	Sort   string        // SortName (default), SortNameDesc, SortDeadline
	After  string        // cursor from the previous page's Next; "" for the first page
	Limit  int           // page size; 0 means no limit (CSV export)
	Now    time.Time     // the time statuses are evaluated at
}

// UserPage is one page of users and the cursor of the next page ("" when
// this is the last).
type UserPage struct {
	Users []*portal.User
	Next  string
}

// statusWhere returns the SQL condition for a status as shown to people:
// "overdue" is a pending state past a set deadline, and the pending statuses
// exclude their overdue users.
func statusWhere(st portal.Status, now time.Time) (string, []any) {
	marks := strings.TrimSuffix(strings.Repeat("?,", len(pendingStates)), ",")
	var args []any
	for _, p := range pendingStates {
		args = append(args, string(p))
	}
	switch st {
	case portal.StatusOverdue:
		return `state IN (` + marks + `) AND deadline > 0 AND deadline < ?`, append(args, ms(now))
	case portal.StatusProvisioning, portal.StatusInvited, portal.StatusClaimed:
		return `state = ? AND (deadline = 0 OR deadline >= ?)`, []any{string(st), ms(now)}
	}
	return `state = ?`, []any{string(st)}
}

// ListUsers returns one page of managed users matching q, using keyset
// pagination so that page 100 costs what page 1 costs.
func (s *Store) ListUsers(ctx context.Context, q UserQuery) (*UserPage, error) {
	var where []string
	var args []any
	if text := strings.TrimSpace(q.Query); text != "" {
		like := "%" + escapeLike(strings.ToLower(text)) + "%"
		where = append(where, `(user_name_key LIKE ? ESCAPE '\' OR LOWER(display_name) LIKE ? ESCAPE '\' OR LOWER(email) LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like)
	}
	if q.Status != "" {
		w, a := statusWhere(q.Status, q.Now)
		where, args = append(where, w), append(args, a...)
	}
	order := `user_name_key`
	switch q.Sort {
	case SortNameDesc:
		order = `user_name_key DESC`
		if q.After != "" {
			where, args = append(where, `user_name_key < ?`), append(args, q.After)
		}
	case SortDeadline:
		order = `deadline, user_name_key`
		if q.After != "" {
			d, key, _ := strings.Cut(q.After, ".")
			n, _ := strconv.ParseInt(d, 10, 64)
			where, args = append(where, `(deadline > ? OR (deadline = ? AND user_name_key > ?))`), append(args, n, n, key)
		}
	default:
		if q.After != "" {
			where, args = append(where, `user_name_key > ?`), append(args, q.After)
		}
	}
	query := `SELECT ` + userCols + ` FROM users`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY ` + order
	if q.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, q.Limit+1) // one more tells whether a next page exists
	}
	users, err := s.queryUsers(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	page := &UserPage{Users: users}
	if q.Limit > 0 && len(users) > q.Limit {
		page.Users = users[:q.Limit]
		last := page.Users[q.Limit-1]
		page.Next = portal.UserNameKey(last.UserName)
		if q.Sort == SortDeadline {
			page.Next = strconv.FormatInt(ms(last.Deadline), 10) + "." + page.Next
		}
	}
	return page, nil
}

// escapeLike escapes LIKE's wildcards so a search for "a_b" finds "a_b".
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s *Store) queryUsers(ctx context.Context, query string, args ...any) ([]*portal.User, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*portal.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountByStatus counts managed users by their status at now, in one query.
func (s *Store) CountByStatus(ctx context.Context, now time.Time) (map[portal.Status]int, error) {
	// Grouped by state with the overdue share counted alongside, so the
	// (state, deadline) index answers it without touching the table.
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT state, COUNT(*), SUM(CASE WHEN deadline > 0 AND deadline < ? THEN 1 ELSE 0 END)
		FROM users GROUP BY state`), ms(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[portal.Status]int{}
	for rows.Next() {
		var st string
		var n, late int
		if err := rows.Scan(&st, &n, &late); err != nil {
			return nil, err
		}
		if slices.Contains(pendingStates, portal.State(st)) {
			out[portal.StatusOverdue] += late
			n -= late
		}
		if n > 0 {
			out[portal.Status(st)] += n
		}
	}
	return out, rows.Err()
}

// FindPendingByDeadline returns pending users whose deadline lies in
// [from, to), earliest first: the overdue list (from = 1 ms after the epoch)
// and the "due soon" list.
func (s *Store) FindPendingByDeadline(ctx context.Context, from, to time.Time, limit int) ([]*portal.User, error) {
	// "(state || '')" keeps the planner off the state index: walking the
	// deadline index in order and stopping at limit beats sorting every
	// pending user (measured 3 ms → see docs/benchmarks.md).
	return s.queryUsers(ctx, `SELECT `+userCols+` FROM users WHERE (state || '') IN (?, ?, ?) AND deadline >= ? AND deadline < ? AND deadline > 0
		ORDER BY deadline, user_name_key LIMIT ?`, string(pendingStates[0]), string(pendingStates[1]), string(pendingStates[2]),
		ms(from), ms(to), limit)
}

// FindPendingUsers returns every user still pending (not enrolled, not
// removed, not offboarded): the few the status sync asks IAM about live.
func (s *Store) FindPendingUsers(ctx context.Context) ([]*portal.User, error) {
	return s.queryUsers(ctx, `SELECT `+userCols+` FROM users WHERE state IN (?, ?) ORDER BY user_name_key`,
		string(portal.StateInvited), string(portal.StateClaimed))
}

// FindUsersInStates returns every user in one of states, by name.
func (s *Store) FindUsersInStates(ctx context.Context, states ...portal.State) ([]*portal.User, error) {
	marks := strings.TrimSuffix(strings.Repeat("?,", len(states)), ",")
	args := make([]any, len(states))
	for i, st := range states {
		args[i] = string(st)
	}
	return s.queryUsers(ctx, `SELECT `+userCols+` FROM users WHERE state IN (`+marks+`) ORDER BY user_name_key`, args...)
}

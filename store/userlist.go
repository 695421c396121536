package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gatehouse/portal"
	"github.com/gatehouse/portal/migrations"
)

// statusWhere returns the SQL condition for a status as shown to people:
// "overdue" is a pending state past a set deadline, and the pending statuses
// exclude their overdue users.
func statusWhere(st portal.Status, now time.Time, at string) (string, []any) {
	switch st {
	case portal.StatusOverdue:
		// "(state || '')" keeps the planner off the state indexes: with
		// three states they yield rows out of order, so a page would sort
		// every overdue user; walking the name or deadline index in order
		// stops at the page size.
		return `(state || '') IN (` + placeholders(len(portal.PendingStates)) + `) AND deadline > 0 AND deadline < ?`, append(stateArgs(portal.PendingStates), ms(now))
	case portal.StatusProvisioning, portal.StatusInvited, portal.StatusClaimed:
		return `state = ` + stateLiteral(portal.State(st)) + ` AND (deadline = 0 OR deadline >= ` + at + `)`, []any{ms(now)}
	}
	if st.Valid() {
		return `state = ` + stateLiteral(portal.State(st)), nil
	}
	return `state = ?`, []any{string(st)}
}

// timeArg is the placeholder of a time a deadline is compared with. On
// SQLite it is "+?": the planner cannot look into it, so the statement is
// not compiled again before every run for the new time (with ANALYZE's
// samples a bound value that could change the plan marks the statement so),
// while the deadline index still serves the comparison. Not for the overdue
// filter: its page walks the name index instead of sorting every overdue
// user only because the planner sees how many are overdue (TestUserListPlans
// fails with it there).
func (s *Store) timeArg() string {
	if s.dialect == migrations.SQLite {
		return "+?"
	}
	return "?"
}

// stateArgs returns states as query arguments.
func stateArgs(states []portal.State) []any {
	args := make([]any, len(states))
	for i, st := range states {
		args[i] = string(st)
	}
	return args
}

// stateLiteral writes one of the portal's states into a query as a
// literal, where an index on state can serve the condition. Bound, it made
// SQLite compile the statement again before every run: with the samples
// ANALYZE keeps (sqlite_stat4), a bound value that could change the plan
// marks the statement for recompiling whenever it is bound — 0.23 ms of
// every dashboard at 10,000 users for its interrupted-claims list
// (docs/benchmarks.md, "Page CPU per request"). A literal is planned once
// for its value and the connection's cached statement is reused. The
// portal's own constants come here (a status filter only once it is
// Valid); the quote is doubled all the same.
func stateLiteral(st portal.State) string {
	return `'` + strings.ReplaceAll(string(st), `'`, `''`) + `'`
}

// FindUsers returns one page of managed users matching f. It is the one
// way to list users: the user list and its CSV, the API, the dashboard's
// deadline lists, the deadline job and the status sync all ask it.
func (s *Store) FindUsers(ctx context.Context, f portal.UserFilter) (*portal.UserPage, error) {
	query, args := s.userQuery(f)
	users, err := s.queryUsers(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	page := &portal.UserPage{Users: users}
	if f.GroupByEmail && f.Limit > 0 && len(users) > f.Limit {
		// The page ends before the group the next row belongs to, unless
		// that group started the page: then it goes on on the next page.
		cut, next := f.Limit, emailKey(users[f.Limit].Email)
		for cut > 0 && emailKey(users[cut-1].Email) == next {
			cut--
		}
		if cut == 0 {
			cut = f.Limit
		}
		page.Users = users[:cut]
		last := page.Users[cut-1]
		// The engine folds the address as its order does (LOWER() of
		// SQLite folds ASCII only, PostgreSQL's by its locale).
		var key string
		if err := s.db.QueryRowContext(ctx, s.q(`SELECT LOWER(CAST(? AS TEXT))`), last.Email).Scan(&key); err != nil {
			return nil, fmt.Errorf("find users: %w", err)
		}
		page.Next = key + groupSep + portal.UserNameKey(last.UserName) + " " + last.AccountID
		return page, nil
	}
	if f.Limit > 0 && len(users) > f.Limit {
		page.Users = users[:f.Limit]
		last := page.Users[f.Limit-1]
		page.Next = portal.UserNameKey(last.UserName) + " " + last.AccountID
		if f.Sort == portal.SortDeadline {
			page.Next = strconv.FormatInt(ms(last.Deadline), 10) + "." + page.Next
		}
	}
	return page, nil
}

// userQuery builds FindUsers' query for f (with ? placeholders). A test
// checks the plan of every query it can build (plan_test.go).
func (s *Store) userQuery(f portal.UserFilter) (string, []any) {
	var where []string
	var args []any
	if text := strings.TrimSpace(f.Query); text != "" {
		term := strings.ToLower(text)
		if s.dialect == migrations.SQLite && utf8.RuneCountInString(term) >= 3 {
			// The trigram index (users_search) names the candidates: every
			// row the LIKE test below can accept holds the term's
			// trigrams in one column. Shorter terms have no trigram and
			// keep the scan. PostgreSQL's trigram indexes serve the LIKE
			// test itself.
			where, args = append(where, `id IN (SELECT rowid FROM users_search WHERE users_search MATCH ?)`), append(args, ftsPhrase(term))
		}
		like := "%" + escapeLike(term) + "%"
		where = append(where, `(user_name_key LIKE ? ESCAPE '\' OR LOWER(display_name) LIKE ? ESCAPE '\' OR LOWER(email) LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like)
	}
	if f.Status != "" {
		w, a := statusWhere(f.Status, f.Now, s.timeArg())
		where, args = append(where, w), append(args, a...)
	}
	if len(f.States) > 0 {
		in := make([]string, len(f.States))
		for i, st := range f.States {
			in[i] = stateLiteral(st)
		}
		where = append(where, `state IN (`+strings.Join(in, ", ")+`)`)
	}
	if f.Account != "" {
		where, args = append(where, inAccount), append(args, f.Account, f.Account)
	}
	if f.IAMUserID != "" {
		where, args = append(where, `iam_user_id = ?`), append(args, f.IAMUserID)
	}
	if f.ClaimInterrupted {
		where = append(where, `id IN (SELECT user_id FROM invites i WHERE claimed_at > 0 AND credentials_at = 0
			AND NOT EXISTS (SELECT 1 FROM invites n WHERE n.user_id = i.user_id AND n.id > i.id))`)
	}
	if !f.DeadlineFrom.IsZero() || !f.DeadlineTo.IsZero() {
		// "(state || '')" keeps the planner off the state index: walking
		// the deadline index in order and stopping at the limit beats
		// sorting every pending user (see docs/benchmarks.md).
		where = append(where, `(state || '') IN (`+placeholders(len(portal.PendingStates))+`) AND deadline > 0`)
		args = append(args, stateArgs(portal.PendingStates)...)
		if !f.DeadlineFrom.IsZero() {
			where, args = append(where, `deadline >= `+s.timeArg()), append(args, ms(f.DeadlineFrom))
		}
		if !f.DeadlineTo.IsZero() {
			where, args = append(where, `deadline < `+s.timeArg()), append(args, ms(f.DeadlineTo))
		}
	}
	if f.GroupByEmail {
		// The partial index users_email_group serves this order.
		where = append(where, `email <> ''`)
		if f.After != "" {
			email, rest, _ := strings.Cut(f.After, groupSep)
			key, acct := cursorKey(rest)
			where, args = append(where, `(LOWER(email), user_name_key, account_id) > (?, ?, ?)`), append(args, email, key, acct)
		}
		return s.finishUserQuery(where, args, `LOWER(email), user_name_key, account_id`, f.Limit)
	}
	// The cursor is "name account" (a space is in no IAM name): the same
	// name can be in two accounts, so the order ends in the account. A
	// cursor of a name alone (from before accounts) is past every account
	// of that name.
	order := `user_name_key, account_id`
	switch f.Sort {
	case portal.SortNameDesc:
		order = `user_name_key DESC, account_id DESC`
		if f.After != "" {
			key, acct, _ := strings.Cut(f.After, " ")
			where, args = append(where, `(user_name_key, account_id) < (?, ?)`), append(args, key, acct)
		}
	case portal.SortDeadline:
		order = `deadline, user_name_key, account_id`
		if f.After != "" {
			d, rest, _ := strings.Cut(f.After, ".")
			key, acct := cursorKey(rest)
			n, _ := strconv.ParseInt(d, 10, 64)
			// A row value, so both engines read on from the cursor in the
			// (deadline, name, account) order of an index instead of
			// merging an OR.
			where, args = append(where, `(deadline, user_name_key, account_id) > (?, ?, ?)`), append(args, n, key, acct)
		}
	default:
		if f.After != "" {
			key, acct := cursorKey(f.After)
			where, args = append(where, `(user_name_key, account_id) > (?, ?)`), append(args, key, acct)
		}
	}
	return s.finishUserQuery(where, args, order, f.Limit)
}

// finishUserQuery puts a user list query together.
func (s *Store) finishUserQuery(where []string, args []any, order string, limit int) (string, []any) {
	query := `SELECT ` + userCols + ` FROM users`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY ` + order
	if limit > 0 {
		query += ` LIMIT ?`
		args = append(args, limit+1) // one more tells whether a next page exists
	}
	return query, args
}

// groupSep ends the e-mail in a cursor of the list grouped by e-mail.
const groupSep = "\t"

// GroupCursorEmail is the e-mail address a cursor of the list grouped by
// e-mail ended in ("" for another cursor), so the next page can say its
// first group goes on.
func GroupCursorEmail(after string) string {
	email, _, ok := strings.Cut(after, groupSep)
	if !ok {
		return ""
	}
	return email
}

// emailKey is the e-mail as the grouped list groups it.
func emailKey(email string) string { return strings.ToLower(email) }

// cursorKey splits an ascending cursor into name and account; a name alone
// gets an account above every account ID ("~"), so the page starts after
// all accounts' users of that name.
func cursorKey(after string) (key, acct string) {
	key, acct, ok := strings.Cut(after, " ")
	if !ok {
		acct = "~"
	}
	return key, acct
}

// ftsPhrase quotes term as one FTS5 phrase, so none of its characters is
// query syntax.
func ftsPhrase(term string) string {
	return `"` + strings.ReplaceAll(term, `"`, `""`) + `"`
}

// escapeLike escapes LIKE's wildcards so a search for "a_b" finds "a_b".
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s *Store) queryUsers(ctx context.Context, query string, args ...any) ([]*portal.User, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("query users: %w", err)
	}
	defer rows.Close()
	var out []*portal.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("query users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// countsTTL is how long CountByStatus reuses a count. Writes through this
// store end it at once; a write by another process (a second replica on the
// same database) shows within countsTTL, as does a deadline passing.
const countsTTL = time.Second

// statusCounts is a CountByStatus result and what it is good for.
type statusCounts struct {
	writes uint64    // Store.writes when the count started
	at     time.Time // wall clock when it was taken
	now    time.Time // the time it was counted at
	m      map[portal.Status]int
	states map[portal.State]int // users by state, whatever their deadline
}

// CountByStatus counts managed users by their status at now. The dashboard
// and /metrics ask on every request; counting 10,000 rows each time was
// most of the dashboard's CPU, so a count is reused for up to countsTTL
// while no user was written through this store and now has moved less than
// countsTTL past the time it counted at.
func (s *Store) CountByStatus(ctx context.Context, now time.Time) (map[portal.Status]int, error) {
	writes := s.writes.Load()
	if c := s.counts.Load(); c != nil && c.writes == writes && time.Since(c.at) < countsTTL &&
		!now.Before(c.now) && now.Sub(c.now) < countsTTL {
		return maps.Clone(c.m), nil
	}
	c, err := s.recount(ctx, writes, now)
	if err != nil {
		return nil, err
	}
	return maps.Clone(c.m), nil
}

// CountInState counts managed users in state st, from the same cache as
// CountByStatus (a state's count does not depend on the time): the
// dashboard's in-flight list asks for the provisioning users' on every
// request.
func (s *Store) CountInState(ctx context.Context, st portal.State) (int, error) {
	writes := s.writes.Load()
	if c := s.counts.Load(); c != nil && c.writes == writes && time.Since(c.at) < countsTTL {
		return c.states[st], nil
	}
	c, err := s.recount(ctx, writes, time.Now())
	if err != nil {
		return 0, err
	}
	return c.states[st], nil
}

// recount counts the users afresh and caches the count under writes, the
// store's count of writes read before counting.
func (s *Store) recount(ctx context.Context, writes uint64, now time.Time) (*statusCounts, error) {
	m, states, err := s.countUsers(ctx, now)
	if err != nil {
		return nil, err
	}
	c := &statusCounts{writes: writes, at: time.Now(), now: now, m: m, states: states}
	s.counts.Store(c)
	return c, nil
}

// RecountByStatus counts managed users by their status at now, in one
// query, without the cache.
func (s *Store) RecountByStatus(ctx context.Context, now time.Time) (map[portal.Status]int, error) {
	m, _, err := s.countUsers(ctx, now)
	return m, err
}

// countUsers counts managed users by their status at now and by state, in
// one query.
func (s *Store) countUsers(ctx context.Context, now time.Time) (map[portal.Status]int, map[portal.State]int, error) {
	// Grouped by state with the overdue share counted alongside, so the
	// (state, deadline) index answers it without touching the table.
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT state, COUNT(*), SUM(CASE WHEN deadline > 0 AND deadline < ? THEN 1 ELSE 0 END)
		FROM users GROUP BY state`), ms(now))
	if err != nil {
		return nil, nil, fmt.Errorf("count by status: %w", err)
	}
	defer rows.Close()
	out, states := map[portal.Status]int{}, map[portal.State]int{}
	for rows.Next() {
		var st string
		var n, late int
		if err := rows.Scan(&st, &n, &late); err != nil {
			return nil, nil, fmt.Errorf("count by status: %w", err)
		}
		states[portal.State(st)] += n
		if slices.Contains(portal.PendingStates, portal.State(st)) {
			out[portal.StatusOverdue] += late
			n -= late
		}
		if n > 0 {
			out[portal.Status(st)] += n
		}
	}
	return out, states, rows.Err()
}

// AccountCount is one account's managed users by status.
type AccountCount struct {
	Account  string
	Total    int
	ByStatus map[portal.Status]int
}

// CountByAccount counts managed users by account and status at now, in
// account order.
func (s *Store) CountByAccount(ctx context.Context, now time.Time) ([]AccountCount, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT account_id, state, COUNT(*), SUM(CASE WHEN deadline > 0 AND deadline < ? THEN 1 ELSE 0 END)
		FROM users GROUP BY account_id, state ORDER BY account_id`), ms(now))
	if err != nil {
		return nil, fmt.Errorf("count by account: %w", err)
	}
	defer rows.Close()
	var out []AccountCount
	for rows.Next() {
		var acct, st string
		var n, late int
		if err := rows.Scan(&acct, &st, &n, &late); err != nil {
			return nil, fmt.Errorf("count by account: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Account != acct {
			out = append(out, AccountCount{Account: acct, ByStatus: map[portal.Status]int{}})
		}
		c := &out[len(out)-1]
		c.Total += n
		if slices.Contains(portal.PendingStates, portal.State(st)) {
			c.ByStatus[portal.StatusOverdue] += late
			n -= late
		}
		if n > 0 {
			c.ByStatus[portal.Status(st)] += n
		}
	}
	return out, rows.Err()
}

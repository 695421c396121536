package store

import (
	"strconv"

	"github.com/gatehouse/portal"
)

// IsUniqueViolation exposes isUniqueViolation to the black-box tests.
var IsUniqueViolation = isUniqueViolation

// RepairModes exposes repairModes to the black-box tests.
var RepairModes = repairModes

// UserQuery exposes the query FindUsers builds for f, in the dialect's
// placeholders, to the plan test.
func (s *Store) UserQuery(f portal.UserFilter) (string, []any) {
	q, args := s.userQuery(f)
	return s.q(q), args
}

// DashboardQueries exposes the in-flight list and the lookups of its
// page's steps and resume jobs, in the dialect's placeholders, with example
// arguments, to the plan test.
func (s *Store) DashboardQueries() map[string][]any {
	ids, payloads := []any{}, []any{JobResume}
	for i := range 20 {
		ids, payloads = append(ids, int64(40+i)), append(payloads, strconv.Itoa(40+i))
	}
	return map[string][]any{s.q(inFlightQuery): {20}, s.q(inFlightAccountQuery): {"222222222222", "222222222222", 20}, s.q(resumeJobQuery): {JobResume, "42"},
		s.q(inFlightStepsQuery + inList(20)): ids, s.q(resumeJobsQuery + inList(20)): payloads}
}

// Queries is how many statements the store has sent to the database.
func (s *Store) Queries() int64 { return s.conn.queries.Load() }

package store

import "github.com/gatehouse/portal"

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

// DashboardQueries exposes the in-flight list and resume-job lookup, in
// the dialect's placeholders, with example arguments, to the plan test.
func (s *Store) DashboardQueries() map[string][]any {
	return map[string][]any{s.q(inFlightQuery): {20}, s.q(resumeJobQuery): {JobResume, "42"}}
}

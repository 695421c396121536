// Package portal holds Gatehouse's domain types: managed IAM users and their
// enrollment status, invites, operators and roles, audit events, and the
// Error type whose codes every other package maps to HTTP statuses or messages.
//
// It imports nothing of ours; every adapter package (store, awsiam, iamemu,
// handlers, web) depends on it, never the other way round.
package portal

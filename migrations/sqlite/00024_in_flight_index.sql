-- +goose Up
-- The dashboard lists the onboardings in flight (users still provisioning,
-- oldest first, a page of them) and each one's resume job: walk an index
-- in that order and stop at the page instead of sorting every
-- provisioning user, and find a user's resume job without scanning jobs.
CREATE INDEX users_state_created ON users(state, created_at, id);
CREATE INDEX jobs_kind_payload ON jobs(kind, payload, id);

-- +goose Down
DROP INDEX jobs_kind_payload;
DROP INDEX users_state_created;

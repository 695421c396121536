-- +goose Up
-- Dashboard counts read (state, deadline) of every user: with this index
-- that is an index-only scan already grouped by state.
CREATE INDEX users_state_deadline ON users(state, deadline);

-- +goose Down
DROP INDEX users_state_deadline;

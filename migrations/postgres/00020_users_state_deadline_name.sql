-- +goose Up
-- A page of one status sorted by deadline is read in order from this index,
-- ties broken by name, instead of sorting the status's users by name within
-- each deadline; the status counts still read only its first two columns.
DROP INDEX users_state_deadline;
CREATE INDEX users_state_deadline ON users(state, deadline, user_name_key);

-- +goose Down
DROP INDEX users_state_deadline;
CREATE INDEX users_state_deadline ON users(state, deadline);

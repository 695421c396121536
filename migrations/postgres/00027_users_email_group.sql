-- +goose Up
-- The user list grouped by e-mail (one person's IAM users in several AWS
-- accounts together) walks this index in its order and stops at the page,
-- instead of sorting every user with an address.
CREATE INDEX users_email_group ON users(LOWER(email), user_name_key, account_id) WHERE email <> '';

-- +goose Down
DROP INDEX users_email_group;

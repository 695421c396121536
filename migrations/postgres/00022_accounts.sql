-- +goose Up
-- The AWS accounts Gatehouse manages IAM users in: the hub account (its own,
-- no role; hub = 1, written at start once GetCallerIdentity has named it)
-- and member accounts reached by assuming role_arn with external_id. status
-- is the last check's outcome ("reachable", or "unreachable" with reason, a
-- stored message; "" before the first check).
CREATE TABLE accounts (
    account_id   TEXT    NOT NULL PRIMARY KEY,
    name         TEXT    NOT NULL DEFAULT '',
    hub          INTEGER NOT NULL DEFAULT 0,
    role_arn     TEXT    NOT NULL DEFAULT '',
    external_id  TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT '',
    reason       TEXT    NOT NULL DEFAULT '',
    checked_at   BIGINT  NOT NULL DEFAULT 0,
    created_by   TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL
);
-- users gain account_id ('' = the hub account: rows from before this
-- migration; the portal fills in the hub's ID at start) and an IAM user name
-- is unique per account.
ALTER TABLE users ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
ALTER TABLE users DROP CONSTRAINT users_user_name_key_key;
-- Lists are sorted by name, then account (the same name can be in two
-- accounts), so each list index ends in both.
CREATE UNIQUE INDEX users_name_account ON users(user_name_key, account_id);
DROP INDEX users_state;
CREATE INDEX users_state ON users(state, user_name_key, account_id);
DROP INDEX users_deadline;
CREATE INDEX users_deadline ON users(deadline, user_name_key, account_id);
DROP INDEX users_state_deadline;
CREATE INDEX users_state_deadline ON users(state, deadline, user_name_key, account_id);
CREATE INDEX users_account ON users(account_id, state);
-- A bulk onboarding row names the account its user is created in.
ALTER TABLE bulk_items ADD COLUMN account_id TEXT NOT NULL DEFAULT '';

-- +goose Down
-- Going back needs names unique across accounts again: it fails while two
-- accounts hold the same name.
DROP INDEX users_account;
DROP INDEX users_state_deadline;
CREATE INDEX users_state_deadline ON users(state, deadline, user_name_key);
DROP INDEX users_deadline;
CREATE INDEX users_deadline ON users(deadline, user_name_key);
DROP INDEX users_state;
CREATE INDEX users_state ON users(state, user_name_key);
DROP INDEX users_name_account;
ALTER TABLE users ADD CONSTRAINT users_user_name_key_key UNIQUE (user_name_key);
ALTER TABLE users DROP COLUMN account_id;
ALTER TABLE bulk_items DROP COLUMN account_id;
DROP TABLE accounts;

-- +goose NO TRANSACTION
-- +goose Up
-- The AWS accounts Gatehouse manages IAM users in: the hub account (its own,
-- no role; hub = 1, written at start once GetCallerIdentity has named it)
-- and member accounts reached by assuming role_arn with external_id. status
-- is the last check's outcome ("reachable", or "unreachable" with reason, a
-- stored message; "" before the first check).
--
-- users gain account_id ('' = the hub account: rows from before this
-- migration; the portal fills in the hub's ID at start) and an IAM user name
-- is unique per account. SQLite cannot drop the column's UNIQUE constraint,
-- so the table is rebuilt: with foreign keys off (they can only be switched
-- outside a transaction, on this one connection), inside one transaction.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE accounts (
    account_id   TEXT    NOT NULL PRIMARY KEY,
    name         TEXT    NOT NULL DEFAULT '',
    hub          INTEGER NOT NULL DEFAULT 0,
    role_arn     TEXT    NOT NULL DEFAULT '',
    external_id  TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT '',
    reason       TEXT    NOT NULL DEFAULT '',
    checked_at   INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    account_id    TEXT    NOT NULL DEFAULT '',
    user_name     TEXT    NOT NULL,
    user_name_key TEXT    NOT NULL,
    display_name  TEXT    NOT NULL DEFAULT '',
    email         TEXT    NOT NULL DEFAULT '',
    state         TEXT    NOT NULL,
    deadline      INTEGER NOT NULL DEFAULT 0,
    arn           TEXT    NOT NULL DEFAULT '',
    mfa_serial    TEXT    NOT NULL DEFAULT '',
    enrolled_at   INTEGER NOT NULL DEFAULT 0,
    created_by    TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    path          TEXT    NOT NULL DEFAULT '/',
    password_reset_required INTEGER NOT NULL DEFAULT 0,
    iam_user_id   TEXT    NOT NULL DEFAULT ''
);
INSERT INTO users_new (id, user_name, user_name_key, display_name, email, state, deadline, arn, mfa_serial,
        enrolled_at, created_by, created_at, updated_at, path, password_reset_required, iam_user_id)
    SELECT id, user_name, user_name_key, display_name, email, state, deadline, arn, mfa_serial,
        enrolled_at, created_by, created_at, updated_at, path, password_reset_required, iam_user_id FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
-- Lists are sorted by name, then account (the same name can be in two
-- accounts), so each list index ends in both.
CREATE UNIQUE INDEX users_name_account ON users(user_name_key, account_id);
CREATE INDEX users_state ON users(state, user_name_key, account_id);
CREATE INDEX users_deadline ON users(deadline, user_name_key, account_id);
CREATE INDEX users_state_deadline ON users(state, deadline, user_name_key, account_id);
CREATE INDEX users_account ON users(account_id, state);
-- +goose StatementBegin
CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_search(rowid, user_name_key, display_name, email)
        VALUES (new.id, new.user_name_key, new.display_name, new.email);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_search(users_search, rowid, user_name_key, display_name, email)
        VALUES ('delete', old.id, old.user_name_key, old.display_name, old.email);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_search_update AFTER UPDATE OF user_name_key, display_name, email ON users BEGIN
    INSERT INTO users_search(users_search, rowid, user_name_key, display_name, email)
        VALUES ('delete', old.id, old.user_name_key, old.display_name, old.email);
    INSERT INTO users_search(rowid, user_name_key, display_name, email)
        VALUES (new.id, new.user_name_key, new.display_name, new.email);
END;
-- +goose StatementEnd
-- A bulk onboarding row names the account its user is created in.
ALTER TABLE bulk_items ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
COMMIT;
PRAGMA foreign_keys = ON;

-- +goose Down
-- Going back needs names unique across accounts again: it fails while two
-- accounts hold the same name.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE users_old (
    id            INTEGER PRIMARY KEY,
    user_name     TEXT    NOT NULL,
    user_name_key TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL DEFAULT '',
    email         TEXT    NOT NULL DEFAULT '',
    state         TEXT    NOT NULL,
    deadline      INTEGER NOT NULL DEFAULT 0,
    arn           TEXT    NOT NULL DEFAULT '',
    mfa_serial    TEXT    NOT NULL DEFAULT '',
    enrolled_at   INTEGER NOT NULL DEFAULT 0,
    created_by    TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    path          TEXT    NOT NULL DEFAULT '/',
    password_reset_required INTEGER NOT NULL DEFAULT 0,
    iam_user_id   TEXT    NOT NULL DEFAULT ''
);
INSERT INTO users_old SELECT id, user_name, user_name_key, display_name, email, state, deadline, arn, mfa_serial,
        enrolled_at, created_by, created_at, updated_at, path, password_reset_required, iam_user_id FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
CREATE INDEX users_state ON users(state, user_name_key);
CREATE INDEX users_deadline ON users(deadline, user_name_key);
CREATE INDEX users_state_deadline ON users(state, deadline, user_name_key);
-- +goose StatementBegin
CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_search(rowid, user_name_key, display_name, email)
        VALUES (new.id, new.user_name_key, new.display_name, new.email);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_search(users_search, rowid, user_name_key, display_name, email)
        VALUES ('delete', old.id, old.user_name_key, old.display_name, old.email);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_search_update AFTER UPDATE OF user_name_key, display_name, email ON users BEGIN
    INSERT INTO users_search(users_search, rowid, user_name_key, display_name, email)
        VALUES ('delete', old.id, old.user_name_key, old.display_name, old.email);
    INSERT INTO users_search(rowid, user_name_key, display_name, email)
        VALUES (new.id, new.user_name_key, new.display_name, new.email);
END;
-- +goose StatementEnd
DROP TABLE accounts;
ALTER TABLE bulk_items DROP COLUMN account_id;
COMMIT;
PRAGMA foreign_keys = ON;

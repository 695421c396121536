-- +goose Up
-- Operator invites and TOTP resets reuse the first-admin setup token: the
-- same one-time link carries a pending (encrypted) TOTP secret. purpose says
-- which flow it is; role/username/operator_id say what it creates or resets.
ALTER TABLE setup_tokens ADD COLUMN purpose TEXT NOT NULL DEFAULT 'setup';
ALTER TABLE setup_tokens ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE setup_tokens ADD COLUMN username TEXT NOT NULL DEFAULT '';
ALTER TABLE setup_tokens ADD COLUMN operator_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE setup_tokens ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE setup_tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;

-- Failed password/TOTP attempts, per operator or invite (the key), so the
-- brute-force limit holds across replicas sharing the database.
CREATE TABLE auth_failures (
    id   INTEGER PRIMARY KEY,
    subject TEXT  NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX auth_failures_key ON auth_failures(subject, at);

-- Per-operator API tokens: only the SHA-256 of the token is stored.
CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    operator_id   INTEGER NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL DEFAULT 0,
    revoked_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_operator ON api_tokens(operator_id);

CREATE INDEX audit_events_at ON audit_events(at);

-- The audit log is append-only: the database refuses changes even if a bug
-- or a future method tried one.
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_events_no_delete;
DROP TRIGGER audit_events_no_update;
DROP INDEX audit_events_at;
DROP TABLE api_tokens;
DROP TABLE auth_failures;
ALTER TABLE setup_tokens DROP COLUMN expires_at;
ALTER TABLE setup_tokens DROP COLUMN created_by;
ALTER TABLE setup_tokens DROP COLUMN operator_id;
ALTER TABLE setup_tokens DROP COLUMN username;
ALTER TABLE setup_tokens DROP COLUMN role;
ALTER TABLE setup_tokens DROP COLUMN purpose;

-- +goose Up
-- Times are stored as Unix milliseconds (INTEGER) in both dialects: exact,
-- comparable and free of driver-specific time formats.
CREATE TABLE operators (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username         TEXT    NOT NULL,
    username_key     TEXT    NOT NULL UNIQUE,
    password_hash    TEXT    NOT NULL,
    totp_secret_enc  BYTEA    NOT NULL,
    totp_last_step   BIGINT  NOT NULL DEFAULT 0,
    role             TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    disabled_at      BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE setup_tokens (
    token_hash       TEXT    PRIMARY KEY,
    totp_secret_enc  BYTEA,
    created_at       BIGINT  NOT NULL,
    used_at          BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    id_hash       TEXT    PRIMARY KEY,
    operator_id   BIGINT  NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    created_at    BIGINT  NOT NULL,
    last_seen_at  BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL
);
CREATE INDEX sessions_operator ON sessions(operator_id);

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name     TEXT    NOT NULL,
    user_name_key TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL DEFAULT '',
    email         TEXT    NOT NULL DEFAULT '',
    state         TEXT    NOT NULL,
    deadline      BIGINT  NOT NULL DEFAULT 0,
    arn           TEXT    NOT NULL DEFAULT '',
    mfa_serial    TEXT    NOT NULL DEFAULT '',
    enrolled_at   BIGINT  NOT NULL DEFAULT 0,
    created_by    TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL
);
CREATE INDEX users_state ON users(state, user_name_key);

-- One row per saga step and user: written before the step runs (started)
-- and after it succeeded (done), so a retry continues instead of repeating.
CREATE TABLE onboarding_steps (
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    step        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    attempts    BIGINT  NOT NULL DEFAULT 0,
    last_error  TEXT    NOT NULL DEFAULT '',
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (user_id, step)
);

CREATE TABLE invites (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    claimed_at  BIGINT  NOT NULL DEFAULT 0,
    revoked_at  BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX invites_user ON invites(user_id);

CREATE TABLE claim_sessions (
    id_hash         TEXT    PRIMARY KEY,
    user_id         BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    invite_id       BIGINT  NOT NULL REFERENCES invites(id) ON DELETE CASCADE,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    pending_serial  TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE audit_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          BIGINT  NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL DEFAULT '',
    detail      TEXT    NOT NULL DEFAULT '',
    request_id  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_target ON audit_events(target, id);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE claim_sessions;
DROP TABLE invites;
DROP TABLE onboarding_steps;
DROP TABLE users;
DROP TABLE sessions;
DROP TABLE setup_tokens;
DROP TABLE operators;

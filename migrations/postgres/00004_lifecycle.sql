-- +goose Up
-- One row per status sync: when it ran, what started it, how it ended. The
-- dashboard shows the newest.
CREATE TABLE sync_runs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at   BIGINT  NOT NULL,
    finished_at  BIGINT  NOT NULL DEFAULT 0,
    source       TEXT    NOT NULL,
    actor        TEXT    NOT NULL DEFAULT '',
    report_at    BIGINT  NOT NULL DEFAULT 0,
    ok           BIGINT  NOT NULL DEFAULT 0,
    detail       TEXT    NOT NULL DEFAULT ''
);

-- What the last credential report said about a managed user (it is up to
-- four hours old; generated_at says how old). Access keys as JSON: at most
-- two per user, shown only on the user page.
CREATE TABLE user_facts (
    user_id             BIGINT  PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    report_at           BIGINT  NOT NULL,
    password_enabled    BIGINT  NOT NULL DEFAULT 0,
    password_last_used  BIGINT  NOT NULL DEFAULT 0,
    mfa_active          BIGINT  NOT NULL DEFAULT 0,
    access_keys         TEXT    NOT NULL DEFAULT '[]'
);

-- Once-only lifecycle work per user: reminders, overdue notices and the
-- optional automatic action at the deadline. Reset when the deadline moves.
CREATE TABLE user_lifecycle (
    user_id           BIGINT  PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    reminded_at       BIGINT  NOT NULL DEFAULT 0,
    overdue_sent_at   BIGINT  NOT NULL DEFAULT 0,
    deadline_action_at BIGINT NOT NULL DEFAULT 0,
    lang              TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX users_deadline ON users(deadline, user_name_key);

-- +goose Down
DROP INDEX users_deadline;
DROP TABLE user_lifecycle;
DROP TABLE user_facts;
DROP TABLE sync_runs;

-- +goose Up
-- Durable background jobs shared by every replica. A replica claims a job by
-- a conditional UPDATE (queued, or running with an expired lease) and keeps
-- it by heartbeats that push lease_until forward; see package jobs.
CREATE TABLE jobs (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    payload      TEXT    NOT NULL DEFAULT '',
    holder       TEXT    NOT NULL DEFAULT '',
    lease_until  BIGINT  NOT NULL DEFAULT 0,
    attempts     BIGINT  NOT NULL DEFAULT 0,
    last_error   TEXT    NOT NULL DEFAULT '',
    created_by   TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    finished_at  BIGINT  NOT NULL DEFAULT 0,
    downloaded_at BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX jobs_claim ON jobs(state, lease_until, id);

-- One row per CSV row of a bulk onboarding job. invite_enc holds the invite
-- token sealed with the portal key (auth.Box) until the result CSV is
-- downloaded or 24 h have passed; the plain token is never stored.
CREATE TABLE bulk_items (
    job_id        BIGINT  NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    row_no        BIGINT  NOT NULL,
    user_name     TEXT    NOT NULL,
    display_name  TEXT    NOT NULL DEFAULT '',
    email         TEXT    NOT NULL DEFAULT '',
    deadline      BIGINT  NOT NULL DEFAULT 0,
    status        TEXT    NOT NULL,
    message       TEXT    NOT NULL DEFAULT '',
    invite_enc    BYTEA,
    invite_until  BIGINT  NOT NULL DEFAULT 0,
    updated_at    BIGINT  NOT NULL,
    PRIMARY KEY (job_id, row_no)
);

-- +goose Down
DROP TABLE bulk_items;
DROP TABLE jobs;

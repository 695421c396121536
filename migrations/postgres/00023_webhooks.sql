-- +goose Up
-- Webhooks: HTTPS endpoints an admin registered, with the events each wants
-- (a comma-separated list of portal.WebhookEvents). The signing secret is
-- needed in the clear to sign, so it is kept sealed with the portal key
-- (auth.Box, PORTAL_SECRET_KEY): the database alone does not reveal it.
CREATE TABLE webhook_endpoints (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url           TEXT    NOT NULL,
    events        TEXT    NOT NULL,
    secret_sealed BYTEA   NOT NULL,
    enabled       BIGINT NOT NULL DEFAULT 1,
    created_by    TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
-- One delivery per event and subscribed endpoint, written in the same
-- transaction as the audit event that announces it, with the durable job
-- that sends it (jobs.payload = webhook_deliveries.id). What the payload
-- says is frozen here (the user's state at the event), so every attempt and
-- a re-send carry the same body under the same webhook-id (msg_id).
-- last_error_text is a portal.Text, never a receiver's raw answer.
CREATE TABLE webhook_deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id     BIGINT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    msg_id          TEXT    NOT NULL UNIQUE,
    event_type      TEXT    NOT NULL,
    event_at        BIGINT NOT NULL,
    actor           TEXT    NOT NULL DEFAULT '',
    subject_kind    TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    display_name    TEXT    NOT NULL DEFAULT '',
    state           TEXT    NOT NULL DEFAULT '',
    done_count      BIGINT NOT NULL DEFAULT 0,
    failed_count    BIGINT NOT NULL DEFAULT 0,
    attempts        BIGINT NOT NULL DEFAULT 0,
    status_code     BIGINT NOT NULL DEFAULT 0,
    last_error_text TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    delivered_at    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, id);
-- The once-only mark of a user passing the deadline (the user.overdue
-- event), beside the reminder and overdue-notice marks.
ALTER TABLE user_lifecycle ADD COLUMN overdue_at BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE user_lifecycle DROP COLUMN overdue_at;
DROP INDEX webhook_deliveries_endpoint;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;

-- +goose Up
-- Idempotency-Key of the JSON API's POSTs: one row per operator and key,
-- with a hash of the request it was first used with, and once answered the
-- status and body (any invite URL left out: it is never stored). A retried
-- request with the same key gets that answer again instead of acting twice.
CREATE TABLE api_idempotency (
    operator_id  BIGINT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    idem_key     TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    status       BIGINT NOT NULL DEFAULT 0,
    body         TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (operator_id, idem_key)
);

-- +goose Down
DROP TABLE api_idempotency;

-- +goose Up
-- One-time recovery codes of operators: each signs in once in place of a
-- TOTP code (a lost phone). Only the SHA-256 of a code is stored; codes
-- carry 80 random bits, so a plain hash is enough.
CREATE TABLE recovery_codes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id  BIGINT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
    code_hash    TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    used_at      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX recovery_codes_operator ON recovery_codes(operator_id, code_hash);

-- +goose Down
DROP TABLE recovery_codes;

-- +goose Up
-- Users provisioned by an identity provider over SCIM 2.0: the SCIM id the
-- provider addresses the user by, its externalId and userName (the IAM user
-- name is derived from an attribute and may differ), the SCIM-only name
-- parts, whether the provider has the user active, the access key IDs the
-- disable deactivated (so re-enabling turns back on exactly those), and a
-- removal scheduled by DELETE: the durable job that will offboard the user
-- once the grace period ends. Clearing remove_after cancels it.
CREATE TABLE scim_users (
    user_id        BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    scim_id        TEXT    NOT NULL UNIQUE,
    external_id    TEXT    NOT NULL DEFAULT '',
    scim_user_name TEXT    NOT NULL,
    scim_user_key  TEXT    NOT NULL UNIQUE,
    given_name     TEXT    NOT NULL DEFAULT '',
    family_name    TEXT    NOT NULL DEFAULT '',
    idp            TEXT    NOT NULL DEFAULT '',
    active         BIGINT NOT NULL DEFAULT 1,
    disabled_keys  TEXT    NOT NULL DEFAULT '',
    remove_after   BIGINT NOT NULL DEFAULT 0,
    removal_job_id BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- +goose Down
DROP TABLE scim_users;

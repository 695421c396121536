-- +goose Up
-- A notice may carry what its e-mail tells beyond the user's name and
-- deadline: the access-key notice of the posture page lists the key IDs
-- (never a secret) and what is wrong with each, as JSON. Empty for the
-- other kinds.
ALTER TABLE notices ADD COLUMN detail TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE notices DROP COLUMN detail;

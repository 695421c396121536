-- +goose Up
-- The advanced onboarding options (an IAM path, a forced password reset at
-- first sign-in) belong to the user record: a resumed saga and the invite
-- claim read them from here.
ALTER TABLE users ADD COLUMN path TEXT NOT NULL DEFAULT '/';
ALTER TABLE users ADD COLUMN password_reset_required BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN password_reset_required;
ALTER TABLE users DROP COLUMN path;

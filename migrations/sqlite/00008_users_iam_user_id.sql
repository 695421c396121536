-- +goose Up
-- The IAM UserId (AIDA…) of each managed user, recorded when Gatehouse
-- creates or adopts it. Names can be reused: a user deleted and re-created
-- outside Gatehouse gets a new UserId, so destructive actions check it
-- (docs/running-on-aws.md). Rows from before this column have '' until the
-- first check learns it from a user that still carries the managed-by tag.
ALTER TABLE users ADD COLUMN iam_user_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN iam_user_id;

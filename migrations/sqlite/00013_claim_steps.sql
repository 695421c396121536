-- +goose Up
-- The invite claim is two steps: the claim itself (claimed_at, with the
-- claim session) and the console password set in IAM (credentials_at). A
-- claimed invite without credentials_at is a claim the portal never
-- finished: the dashboard lists it and the same browser can finish it.
-- Claims from before this column completed both steps at once.
ALTER TABLE invites ADD COLUMN credentials_at INTEGER NOT NULL DEFAULT 0;
UPDATE invites SET credentials_at = claimed_at WHERE claimed_at > 0;
CREATE INDEX invites_interrupted ON invites(claimed_at) WHERE claimed_at > 0 AND credentials_at = 0;

-- When the person confirmed having saved the console password shown last.
ALTER TABLE claim_sessions ADD COLUMN saved_at INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE claim_sessions DROP COLUMN saved_at;
DROP INDEX invites_interrupted;
ALTER TABLE invites DROP COLUMN credentials_at;

-- +goose Up
-- A posture snapshot is one AWS account's: each sync records one for every
-- reachable account. Rows from before are the hub account's: account_id ''
-- stands for the hub until the portal fills in its ID (EnsureHubAccount),
-- as for users. Only the newest snapshot of each account keeps its detail.
ALTER TABLE posture_snapshots ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
CREATE INDEX posture_snapshots_account ON posture_snapshots(account_id, taken_at);

-- +goose Down
DROP INDEX posture_snapshots_account;
ALTER TABLE posture_snapshots DROP COLUMN account_id;

-- +goose Up
-- An audit event about an IAM user names the user's AWS account: the same
-- name in two accounts is two users, each with its own timeline. Events
-- recorded before are the hub account's, as users and posture snapshots
-- recorded before accounts existed were: they get the hub's ID here when
-- the portal has already recorded it, and keep account_id '' otherwise,
-- which the store reads as the hub's (the log is append-only, so the
-- portal does not fill it in later). The append-only trigger steps aside
-- for this one backfill. Events about other targets (operators, tokens,
-- jobs ...) have no account ('').
ALTER TABLE audit_events ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change;
UPDATE audit_events SET account_id = (SELECT account_id FROM accounts WHERE hub = 1)
    WHERE target_kind = 'user' AND EXISTS (SELECT 1 FROM accounts WHERE hub = 1);
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change;
DROP INDEX audit_events_target;
CREATE INDEX audit_events_target ON audit_events(target_kind, target, account_id, id);

-- +goose Down
DROP INDEX audit_events_target;
CREATE INDEX audit_events_target ON audit_events(target_kind, target, id);
ALTER TABLE audit_events DROP COLUMN account_id;

-- +goose Up
-- A webhook delivery about an IAM user names the user's AWS account (the
-- account of the audit event that announces it), so the payload's
-- data.account is the member account's for a member's user. Deliveries
-- queued before are about the hub's users, as the audit events of 00028
-- were: they get the hub's ID here when the portal has already recorded
-- it, and keep account_id '' otherwise, which the webhook service reads as
-- the hub's. Deliveries about other subjects (a bulk job, the policy) have
-- no account (''): their payload names the hub's.
ALTER TABLE webhook_deliveries ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
UPDATE webhook_deliveries SET account_id = (SELECT account_id FROM accounts WHERE hub = 1)
    WHERE subject_kind = 'user' AND EXISTS (SELECT 1 FROM accounts WHERE hub = 1);

-- +goose Down
ALTER TABLE webhook_deliveries DROP COLUMN account_id;

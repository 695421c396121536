-- +goose Up
-- What an audit event's target names: an IAM user, an operator, the
-- managed policy, a bulk job, an API token, an MFA device. A user's
-- timeline shows only events about that IAM user, never an operator's
-- sign-ins that share the name. Rows written before are classified by
-- their action, once, here: the append-only triggers step aside for it.
ALTER TABLE audit_events ADD COLUMN target_kind TEXT NOT NULL DEFAULT '';
DROP TRIGGER audit_events_no_update;
UPDATE audit_events SET target_kind = CASE
    WHEN action LIKE 'operator.%' OR action LIKE 'apitoken.%' THEN 'operator'
    WHEN action LIKE 'policy.%' THEN 'policy'
    WHEN action LIKE 'bulk.%' THEN 'job'
    WHEN action = 'mfa.device.delete.refused' THEN 'device'
    ELSE 'user' END;
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
-- +goose StatementEnd
DROP INDEX audit_events_target;
CREATE INDEX audit_events_target ON audit_events(target_kind, target, id);

-- +goose Down
DROP INDEX audit_events_target;
CREATE INDEX audit_events_target ON audit_events(target, id);
ALTER TABLE audit_events DROP COLUMN target_kind;

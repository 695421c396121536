-- +goose Up
-- Texts kept for people (an audit event's detail, a saga step's error, the
-- sync run's result, a bulk row's failure) are stored as a message key and
-- its arguments (JSON, portal.Text) and rendered in the reader's language.
-- The older sentence columns stay for rows written before; new rows leave
-- them empty.
ALTER TABLE audit_events ADD COLUMN detail_text TEXT NOT NULL DEFAULT '';
ALTER TABLE onboarding_steps ADD COLUMN last_error_text TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_runs ADD COLUMN detail_text TEXT NOT NULL DEFAULT '';
ALTER TABLE bulk_items ADD COLUMN message_text TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE bulk_items DROP COLUMN message_text;
ALTER TABLE sync_runs DROP COLUMN detail_text;
ALTER TABLE onboarding_steps DROP COLUMN last_error_text;
ALTER TABLE audit_events DROP COLUMN detail_text;

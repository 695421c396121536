-- +goose Up
-- API tokens expire: each gets an expiry chosen at creation (at most 90
-- days). Tokens made before expiries existed get created_at + 90 days, the
-- longest a new token may live, so an old token does not live forever.
-- kind is what the token is for: 'api' (the JSON API) or 'scim' (reserved
-- for a SCIM endpoint; such a token does not drive the JSON API).
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api';
UPDATE api_tokens SET expires_at = created_at + 7776000000 WHERE expires_at = 0;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN kind;
ALTER TABLE api_tokens DROP COLUMN expires_at;

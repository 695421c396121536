-- +goose Up
-- E-mail notices to IAM users are durable jobs: a page records the notice
-- and a job (kind "notice", payload = notices.id) and returns at once; the
-- job runner delivers it with retries and back-off (jobs.run_after), so a
-- slow or down SMTP server never holds a page and the user page shows
-- whether the e-mail was delivered. link_enc holds the invite link sealed
-- with the portal key (auth.Box) until the notice is sent or given up, then
-- it is wiped; the plain link is never stored. last_error_text is a
-- portal.Text (a message key and its arguments), never the SMTP server's
-- raw answer.
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    recipient       TEXT    NOT NULL,
    link_enc        BLOB,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error_text TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    sent_at         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notices_user ON notices(user_id, id);
ALTER TABLE jobs ADD COLUMN run_after INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE jobs DROP COLUMN run_after;
DROP INDEX notices_user;
DROP TABLE notices;

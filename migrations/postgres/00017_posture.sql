-- +goose Up
-- One posture snapshot per successful status sync: the MFA coverage of
-- console users (console_mfa of console_users), the number of users failing
-- each control (failing, JSON: check ID -> count; -1 when unknown), and the
-- full evaluation (detail, JSON) for the newest snapshot only: older rows
-- keep their counts for the trend and their detail is emptied.
CREATE TABLE posture_snapshots (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    taken_at      BIGINT  NOT NULL,
    report_at     BIGINT  NOT NULL DEFAULT 0,
    users         BIGINT  NOT NULL DEFAULT 0,
    console_users BIGINT  NOT NULL DEFAULT 0,
    console_mfa   BIGINT  NOT NULL DEFAULT 0,
    failing       TEXT    NOT NULL DEFAULT '{}',
    detail        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX posture_snapshots_taken ON posture_snapshots(taken_at);

-- +goose Down
DROP INDEX posture_snapshots_taken;
DROP TABLE posture_snapshots;

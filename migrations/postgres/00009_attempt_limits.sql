-- +goose Up
-- One row per subject (an operator name, an invite, a one-time link) that
-- has attempts in the window. An attempt first writes its subject's row, so
-- attempts against one subject take turns: each one counts the attempts
-- recorded before it (store/attempts.go).
CREATE TABLE attempt_subjects (
    subject TEXT    PRIMARY KEY,
    last_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE attempt_subjects;

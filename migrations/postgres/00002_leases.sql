-- +goose Up
-- A lease gives one replica the right to run a named piece of work (a status
-- sync, a job) until it expires; another replica can take it over only then.
CREATE TABLE leases (
    name        TEXT    PRIMARY KEY,
    holder      TEXT    NOT NULL,
    expires_at  BIGINT  NOT NULL
);

-- +goose Down
DROP TABLE leases;

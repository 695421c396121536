-- +goose Up
-- Virtual MFA devices Gatehouse created for an enrollment that has not
-- completed. Under the seed policy anyone may create mfa/* devices, so a
-- device named after a managed user is no proof that Gatehouse made it:
-- abandoned-device cleanup deletes only the serials recorded here. A row
-- goes when the device is enabled or deleted.
CREATE TABLE created_devices (
    serial      TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL
);

-- +goose Down
DROP TABLE created_devices;

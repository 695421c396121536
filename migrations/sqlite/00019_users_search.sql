-- +goose Up
-- A trigram index for the user search (a substring of the user name, display
-- name or e-mail): an external-content FTS5 table over users, kept in step
-- by the triggers below on every insert, update and delete, so no write path
-- can forget it. The search asks it for candidates and keeps its LIKE test
-- on them, so results are exactly what the scan found.
CREATE VIRTUAL TABLE users_search USING fts5(user_name_key, display_name, email,
    content='users', content_rowid='id', tokenize='trigram');
INSERT INTO users_search(users_search) VALUES ('rebuild');

-- +goose StatementBegin
CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_search(rowid, user_name_key, display_name, email)
        VALUES (new.id, new.user_name_key, new.display_name, new.email);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_search(users_search, rowid, user_name_key, display_name, email)
        VALUES ('delete', old.id, old.user_name_key, old.display_name, old.email);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER users_search_update AFTER UPDATE OF user_name_key, display_name, email ON users BEGIN
    INSERT INTO users_search(users_search, rowid, user_name_key, display_name, email)
        VALUES ('delete', old.id, old.user_name_key, old.display_name, old.email);
    INSERT INTO users_search(rowid, user_name_key, display_name, email)
        VALUES (new.id, new.user_name_key, new.display_name, new.email);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER users_search_update;
DROP TRIGGER users_search_delete;
DROP TRIGGER users_search_insert;
DROP TABLE users_search;

-- +goose Up
-- Trigram GIN indexes for the user search (a substring of the user name,
-- display name or e-mail: LIKE '%…%' on exactly these expressions), kept in
-- step by PostgreSQL itself. pg_trgm is a trusted extension (PostgreSQL 13
-- and later): a database owner may create it. Where it is missing and cannot
-- be created, the migration leaves the search a scan rather than failing.
-- The operator class is named with the extension's schema, which need not
-- be on the search path.
-- +goose StatementBegin
DO $$
DECLARE
    s text;
BEGIN
    SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF s IS NULL THEN
        BEGIN
            CREATE EXTENSION pg_trgm;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pg_trgm is not available (%): the user search stays a scan', SQLERRM;
            RETURN;
        END;
        SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    END IF;
    EXECUTE format('CREATE INDEX users_search_name ON users USING gin (user_name_key %I.gin_trgm_ops)', s);
    EXECUTE format('CREATE INDEX users_search_display ON users USING gin (LOWER(display_name) %I.gin_trgm_ops)', s);
    EXECUTE format('CREATE INDEX users_search_email ON users USING gin (LOWER(email) %I.gin_trgm_ops)', s);
END $$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS users_search_email;
DROP INDEX IF EXISTS users_search_display;
DROP INDEX IF EXISTS users_search_name;

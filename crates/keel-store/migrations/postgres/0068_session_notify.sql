-- Each keel node answers its per-request session lookup from memory (session_cache.rs) and
-- forgets every answer when one of these notifications arrives: they cover every table that
-- lookup reads (people and workspaces too: every model write also bumps a workspace's
-- data_version). One empty notification per statement; PostgreSQL delivers identical ones of
-- a transaction once, at commit. Probes the nodes send themselves carry a payload and change
-- nothing.
CREATE FUNCTION keel_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('keel_sessions', '');
    RETURN NULL;
END $$;

CREATE TRIGGER sessions_changed AFTER UPDATE OR DELETE OR TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION keel_sessions_changed();
CREATE TRIGGER users_changed AFTER UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION keel_sessions_changed();
CREATE TRIGGER memberships_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION keel_sessions_changed();
CREATE TRIGGER workspaces_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON workspaces
    FOR EACH STATEMENT EXECUTE FUNCTION keel_sessions_changed();
CREATE TRIGGER people_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION keel_sessions_changed();

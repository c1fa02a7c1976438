-- Lead staging without a primary key (issue 13's import speed): its index cost more than the
-- rows. An id repeated in a file is found by the staging code (a set of the ids' hashes) and
-- resolved at publish (the later line wins). `existed` says whether the lead was already
-- stored when its row was staged: publish counts the new ones' rollups from what staging
-- counted and reads the leads only for the rest. No foreign key either: SQLite empties a
-- table at once only when no key involves it, and a key costs PostgreSQL a trigger call a
-- row; the rows of an import that no longer exists are removed when the next import starts.
-- Staged rows are scratch: imports still staging when keel is upgraded are given up and
-- must be imported again.
UPDATE lead_imports SET status = 'failed', error = 'keel was upgraded during this import: import the file again',
    finished_at = CAST(extract(epoch FROM now()) AS BIGINT)
    WHERE status = 'staging';
DROP TABLE lead_staging;
CREATE UNLOGGED TABLE lead_staging (
    import_id BIGINT NOT NULL,
    line BIGINT NOT NULL,
    source_system TEXT NOT NULL,
    external_id TEXT NOT NULL,
    created_on BIGINT NOT NULL,
    created_month BIGINT NOT NULL,
    source TEXT,
    source_detail TEXT,
    campaign TEXT,
    offer TEXT,
    channel TEXT,
    lifecycle_stage TEXT,
    lead_status TEXT,
    owner TEXT,
    qualification TEXT,
    disqualification_reason TEXT,
    objection TEXT,
    pipeline_cents BIGINT,
    won_cents BIGINT,
    existed BIGINT NOT NULL
);

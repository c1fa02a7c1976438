-- Lead imports started from the web app (issue 13): the uploaded file waits on the server that
-- took it (`upload`, a file name in its import directory) with the answers the file needs
-- (`options`, JSON), then a background job reads it and reports its progress here, so the
-- page can show it from any node and after a reload; `cancel_requested` stops the job between
-- two batches.
ALTER TABLE lead_imports ADD COLUMN upload TEXT;
ALTER TABLE lead_imports ADD COLUMN options TEXT;
ALTER TABLE lead_imports ADD COLUMN bytes_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lead_imports ADD COLUMN bytes_read INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lead_imports ADD COLUMN rows_read INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lead_imports ADD COLUMN rows_bad INTEGER NOT NULL DEFAULT 0;
ALTER TABLE lead_imports ADD COLUMN heartbeat_at INTEGER;
ALTER TABLE lead_imports ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;

-- The rows an import could not read, to show and download (at most 10,000 an import; the
-- count of all of them is lead_imports.rows_bad).
CREATE TABLE lead_import_errors (
    import_id INTEGER NOT NULL REFERENCES lead_imports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    line INTEGER NOT NULL,
    column_name TEXT,
    value TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (import_id, seq)
);

-- Column mappings a workspace saved for files no profile recognises: field → column header
-- pairs (JSON), offered again when a file with those headers comes.
CREATE TABLE lead_mappings (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    source_system TEXT NOT NULL,
    pairs TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

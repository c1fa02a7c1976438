-- Leads from the CRM, what sales said about them, and spend. Leads are not part of the
-- operating model: no data_version trigger here, so an import does not make every node reload.
-- Dates are days since 1970-01-01, months are yyyymm, money is in cents.

CREATE TABLE leads (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    source_system TEXT NOT NULL,
    external_id TEXT NOT NULL,
    created_on INTEGER NOT NULL,
    created_month INTEGER NOT NULL,
    source TEXT,
    source_detail TEXT,
    campaign TEXT,
    offer TEXT,
    channel TEXT,
    lifecycle_stage TEXT,
    lead_status TEXT,
    owner TEXT,
    qualification TEXT NOT NULL,
    qualified_by TEXT,
    disqualification_reason TEXT,
    objection TEXT,
    pipeline_cents INTEGER,
    won_cents INTEGER,
    feedback_at INTEGER,
    feedback_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX leads_external ON leads(workspace_id, source_system, external_id);
CREATE INDEX leads_created ON leads(workspace_id, created_on, id);
CREATE INDEX leads_queue ON leads(workspace_id, qualification, created_on, id);

-- Counts per month × source × offer × campaign × channel ('' = not set), kept up to date by
-- every import and every piece of feedback, so lead quality never scans the leads.
CREATE TABLE lead_rollups (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    month INTEGER NOT NULL,
    source TEXT NOT NULL,
    offer TEXT NOT NULL,
    campaign TEXT NOT NULL,
    channel TEXT NOT NULL,
    leads INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    pipeline_cents INTEGER NOT NULL,
    won_cents INTEGER NOT NULL,
    with_source INTEGER NOT NULL,
    with_campaign INTEGER NOT NULL,
    with_offer INTEGER NOT NULL,
    with_channel INTEGER NOT NULL,
    with_stage INTEGER NOT NULL,
    with_owner INTEGER NOT NULL,
    with_status INTEGER NOT NULL,
    rejected_with_reason INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, month, source, offer, campaign, channel)
);

-- Rejection reasons and objections counted per month × source × offer.
CREATE TABLE lead_reasons (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    month INTEGER NOT NULL,
    source TEXT NOT NULL,
    offer TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    leads INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, month, source, offer, kind, value)
);

CREATE TABLE lead_imports (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    source_system TEXT NOT NULL,
    file_name TEXT NOT NULL,
    profile TEXT NOT NULL,
    status TEXT NOT NULL,
    rows_staged INTEGER NOT NULL,
    rows_skipped INTEGER NOT NULL,
    inserted INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    error TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX lead_imports_recent ON lead_imports(workspace_id, started_at);

-- Rows of an import before it is published; scratch space with no secondary index.
CREATE TABLE lead_staging (
    import_id INTEGER NOT NULL REFERENCES lead_imports(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    source_system TEXT NOT NULL,
    external_id TEXT NOT NULL,
    created_on INTEGER NOT NULL,
    created_month INTEGER NOT NULL,
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
    pipeline_cents INTEGER,
    won_cents INTEGER,
    PRIMARY KEY (import_id, source_system, external_id)
);

CREATE TABLE spend (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    month INTEGER NOT NULL,
    channel TEXT NOT NULL,
    campaign TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX spend_period ON spend(workspace_id, month, channel, campaign);

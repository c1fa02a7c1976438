-- Metrics (definition, owner, source, unit, cadence, direction, target, type and kind, and
-- what each measures: a function, an objective as its KPI, a channel, a workflow) and their
-- measurements, one per metric and period. A period is the day number of its first day.
CREATE TABLE metrics (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    definition TEXT,
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    source TEXT,
    unit TEXT,
    cadence TEXT NOT NULL,
    direction TEXT NOT NULL,
    target REAL,
    metric_type TEXT NOT NULL,
    kind TEXT NOT NULL,
    function_id INTEGER REFERENCES functions(id) ON DELETE SET NULL,
    objective_id INTEGER REFERENCES objectives(id) ON DELETE SET NULL,
    channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
    workflow_id INTEGER REFERENCES workflows(id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX metrics_workspace_name ON metrics(workspace_id, name);
CREATE UNIQUE INDEX metrics_workspace_id ON metrics(workspace_id, id);
-- An objective is steered by one KPI.
CREATE UNIQUE INDEX metrics_objective ON metrics(objective_id) WHERE objective_id IS NOT NULL;

CREATE TABLE measurements (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL,
    period INTEGER NOT NULL,
    value REAL NOT NULL,
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    FOREIGN KEY (workspace_id, metric_id) REFERENCES metrics(workspace_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX measurements_metric_period ON measurements(workspace_id, metric_id, period);

CREATE TRIGGER metrics_bump_insert AFTER INSERT ON metrics BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER metrics_bump_update AFTER UPDATE ON metrics BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER metrics_bump_delete AFTER DELETE ON metrics BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER measurements_bump_insert AFTER INSERT ON measurements BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER measurements_bump_update AFTER UPDATE ON measurements BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER measurements_bump_delete AFTER DELETE ON measurements BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;

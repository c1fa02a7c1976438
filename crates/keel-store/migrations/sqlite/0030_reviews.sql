-- Reviews and decisions (issue 12): one cadence per kind (weekly, monthly, quarterly), the
-- reviews held, their attendees, notes per agenda section and ratings, and the decisions with
-- their evidence. Every row carries its workspace; rows that belong to a review, a decision
-- or a person reference it by (workspace_id, id), and each evidence link references its
-- object the same way, so the database refuses a link to another workspace's record.
CREATE UNIQUE INDEX IF NOT EXISTS people_workspace_id ON people(workspace_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS objectives_workspace_id ON objectives(workspace_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS priorities_workspace_id ON priorities(workspace_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS channels_workspace_id ON channels(workspace_id, id);

CREATE TABLE review_cadences (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('weekly', 'monthly', 'quarterly')),
    every_n INTEGER NOT NULL DEFAULT 1 CHECK (every_n BETWEEN 1 AND 4),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    time_minutes INTEGER NOT NULL CHECK (time_minutes BETWEEN 0 AND 1439),
    facilitator_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    active INTEGER NOT NULL DEFAULT 1,
    since INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX review_cadences_kind ON review_cadences(workspace_id, kind);
CREATE UNIQUE INDEX review_cadences_workspace_id ON review_cadences(workspace_id, id);

CREATE TABLE review_cadence_attendees (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    cadence_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, cadence_id, person_id),
    FOREIGN KEY (workspace_id, cadence_id) REFERENCES review_cadences(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, person_id) REFERENCES people(workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('weekly', 'monthly', 'quarterly')),
    held_on INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    facilitator_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    topics TEXT NOT NULL DEFAULT '',
    closed_at INTEGER,
    closed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- One review of a kind per day.
CREATE UNIQUE INDEX reviews_kind_day ON reviews(workspace_id, kind, held_on);
CREATE UNIQUE INDEX reviews_workspace_id ON reviews(workspace_id, id);

CREATE TABLE review_attendees (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    review_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    rating INTEGER CHECK (rating BETWEEN 1 AND 10),
    PRIMARY KEY (workspace_id, review_id, person_id),
    FOREIGN KEY (workspace_id, review_id) REFERENCES reviews(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, person_id) REFERENCES people(workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE review_notes (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    review_id INTEGER NOT NULL,
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, review_id, section),
    FOREIGN KEY (workspace_id, review_id) REFERENCES reviews(workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    kind TEXT NOT NULL,
    category TEXT,
    rationale TEXT,
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    due INTEGER,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'reversed')),
    decided_on INTEGER NOT NULL,
    done_on INTEGER,
    review_id INTEGER,
    checked_by_review_id INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    FOREIGN KEY (workspace_id, review_id) REFERENCES reviews(workspace_id, id),
    FOREIGN KEY (workspace_id, checked_by_review_id) REFERENCES reviews(workspace_id, id)
);
CREATE UNIQUE INDEX decisions_workspace_id ON decisions(workspace_id, id);
CREATE INDEX decisions_review ON decisions(workspace_id, review_id);
CREATE INDEX decisions_open_due ON decisions(workspace_id, status, due);

-- One row per link; exactly one of the object columns is set, and it is the kind's.
CREATE TABLE decision_evidence (
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    decision_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    metric_id INTEGER,
    work_item_id INTEGER,
    workflow_id INTEGER,
    priority_id INTEGER,
    channel_id INTEGER,
    objective_id INTEGER,
    ref_decision_id INTEGER,
    PRIMARY KEY (workspace_id, decision_id, position),
    CHECK ((metric_id IS NOT NULL) + (work_item_id IS NOT NULL) + (workflow_id IS NOT NULL)
         + (priority_id IS NOT NULL) + (channel_id IS NOT NULL) + (objective_id IS NOT NULL)
         + (ref_decision_id IS NOT NULL) = 1),
    CHECK ((kind = 'metric') = (metric_id IS NOT NULL)),
    CHECK ((kind = 'work') = (work_item_id IS NOT NULL)),
    CHECK ((kind = 'workflow') = (workflow_id IS NOT NULL)),
    CHECK ((kind = 'priority') = (priority_id IS NOT NULL)),
    CHECK ((kind = 'channel') = (channel_id IS NOT NULL)),
    CHECK ((kind = 'objective') = (objective_id IS NOT NULL)),
    CHECK ((kind = 'decision') = (ref_decision_id IS NOT NULL)),
    FOREIGN KEY (workspace_id, decision_id) REFERENCES decisions(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, metric_id) REFERENCES metrics(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, work_item_id) REFERENCES work_items(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, workflow_id) REFERENCES workflows(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, priority_id) REFERENCES priorities(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, channel_id) REFERENCES channels(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, objective_id) REFERENCES objectives(workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, ref_decision_id) REFERENCES decisions(workspace_id, id) ON DELETE CASCADE
);

CREATE TRIGGER review_cadences_bump_insert AFTER INSERT ON review_cadences BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER review_cadences_bump_update AFTER UPDATE ON review_cadences BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER review_cadences_bump_delete AFTER DELETE ON review_cadences BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER reviews_bump_insert AFTER INSERT ON reviews BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER reviews_bump_update AFTER UPDATE ON reviews BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER reviews_bump_delete AFTER DELETE ON reviews BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER review_notes_bump_insert AFTER INSERT ON review_notes BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER review_notes_bump_update AFTER UPDATE ON review_notes BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER review_attendees_bump_update AFTER UPDATE ON review_attendees BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER decisions_bump_insert AFTER INSERT ON decisions BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER decisions_bump_update AFTER UPDATE ON decisions BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER decisions_bump_delete AFTER DELETE ON decisions BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;
CREATE TRIGGER decision_evidence_bump_insert AFTER INSERT ON decision_evidence BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER decision_evidence_bump_delete AFTER DELETE ON decision_evidence BEGIN UPDATE workspaces SET data_version = data_version + 1 WHERE id = OLD.workspace_id; END;

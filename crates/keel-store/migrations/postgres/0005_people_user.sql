-- Every request inside a workspace looks up the person the caller is linked to (a partner
-- sees only that person's work); this index makes it one probe.
CREATE INDEX people_user ON people(workspace_id, user_id);

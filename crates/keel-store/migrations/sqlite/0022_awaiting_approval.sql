-- Work at a stage that needs its decision owner's approval, not given yet, now has its own
-- status, set by every move from here on; this gives it to the work already waiting.
-- ("in_review" was never produced by a move; any such row is work in progress.)
UPDATE work_items SET status = 'in_progress' WHERE status = 'in_review';
UPDATE work_items SET status = 'awaiting_approval'
WHERE status IN ('intake', 'in_progress')
  AND EXISTS (
    SELECT 1 FROM workflows w
    WHERE w.workspace_id = work_items.workspace_id AND w.id = work_items.workflow_id
      AND json_extract(w.spec, '$.stages[' || work_items.stage || '].needs_approval') = 1)
  AND NOT EXISTS (
    SELECT 1 FROM work_approvals a
    WHERE a.workspace_id = work_items.workspace_id AND a.item_id = work_items.id
      AND a.stage = work_items.stage);

-- When a metric last changed what it counts (definition), where its numbers come from (source)
-- or its unit: a shift in reporting that asks the SOP of the workflow it measures for a review
-- (seed 001). Unknown for metrics saved before this migration.
ALTER TABLE metrics ADD COLUMN definition_changed_at BIGINT;

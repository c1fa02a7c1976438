-- What a metric is, beyond what it counts: what keel computes for it (a metric with source
-- "keel" whose values are computed from keel's own data, never typed in), its family
-- (operating, lead quality, reporting, stakeholder), whether it is leading or lagging, and the
-- strategy layer it reports on. All optional; unknown for metrics saved before.
ALTER TABLE metrics ADD COLUMN computed TEXT;
ALTER TABLE metrics ADD COLUMN family TEXT;
ALTER TABLE metrics ADD COLUMN signal TEXT;
ALTER TABLE metrics ADD COLUMN layer TEXT;

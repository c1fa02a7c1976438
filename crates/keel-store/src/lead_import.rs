//! Lead imports: rows are staged in batches (each its own short transaction, into a table with
//! no secondary index), then published in one transaction that upserts them into `leads` and
//! moves the rollups. A failed, cancelled or killed import leaves the leads as they were; its
//! staged rows are removed by the next import into the workspace.

use crate::lead_rollups::{apply_sql, ROLLUP_BY_STAGING};
use crate::lead_staging::LeadStaging;
use crate::lead_tally::{add_reason_sql, add_rollup_sql};
use crate::webhook_queue::emit;
use crate::WorkspaceId;
use crate::{now, read, tx, Result, Store, StoreError};
use serde::Serialize;

/// Staged imports untouched for this long are taken as abandoned (a killed process).
const ABANDONED_AFTER_SECS: i64 = 6 * 3600;

/// What publishing an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub skipped: i64,
}

/// One import as the history lists it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct LeadImport {
    pub id: i64,
    pub source_system: String,
    pub file_name: String,
    pub profile: String,
    pub status: String,
    pub rows_staged: i64,
    pub rows_skipped: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub error: Option<String>,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    /// The uploaded file's name in the import directory of the server that took it.
    #[serde(skip)]
    pub upload: Option<String>,
    /// The answers the file needed (JSON, written by the web app).
    #[serde(skip)]
    pub options: Option<String>,
    pub bytes_total: i64,
    pub bytes_read: i64,
    pub rows_read: i64,
    pub rows_bad: i64,
    pub heartbeat_at: Option<i64>,
    pub cancel_requested: bool,
}

/// The columns `LeadImport` reads.
pub(crate) const IMPORT_COLUMNS: &str = "id, source_system, file_name, profile, status, rows_staged, rows_skipped, inserted, \
    updated, unchanged, error, started_at, finished_at, upload, options, bytes_total, bytes_read, rows_read, rows_bad, \
    heartbeat_at, cancel_requested <> 0 AS cancel_requested";

/// The staged row equals the stored lead (import values that say nothing keep the stored ones).
const SAME: &str = "l.created_on = s.created_on AND l.source IS NOT DISTINCT FROM s.source
    AND l.source_detail IS NOT DISTINCT FROM s.source_detail AND l.campaign IS NOT DISTINCT FROM s.campaign
    AND l.offer IS NOT DISTINCT FROM s.offer AND l.channel IS NOT DISTINCT FROM s.channel
    AND l.lifecycle_stage IS NOT DISTINCT FROM s.lifecycle_stage AND l.lead_status IS NOT DISTINCT FROM s.lead_status
    AND l.owner IS NOT DISTINCT FROM s.owner AND l.qualification = COALESCE(s.qualification, l.qualification)
    AND l.disqualification_reason IS NOT DISTINCT FROM COALESCE(s.disqualification_reason, l.disqualification_reason)
    AND l.objection IS NOT DISTINCT FROM COALESCE(s.objection, l.objection)
    AND l.pipeline_cents IS NOT DISTINCT FROM s.pipeline_cents AND l.won_cents IS NOT DISTINCT FROM s.won_cents";

/// The rows of import $2 staged with `existed` = n, presented as the leads they become in
/// workspace $1, for `apply_sql`.
fn staged_as_leads(n: i64) -> String {
    format!(
        "FROM (SELECT CAST($1 AS BIGINT) AS workspace_id, s.created_month, s.source, s.offer, s.campaign, s.channel,
            s.lifecycle_stage, s.owner, s.lead_status, COALESCE(s.qualification, 'pending') AS qualification,
            s.disqualification_reason, s.objection, s.pipeline_cents, s.won_cents
            FROM lead_staging s WHERE s.import_id = $2 AND s.existed = {n}) l WHERE true"
    )
}

impl Store {
    /// Removes what failed, cancelled and abandoned imports of a workspace left staged, and
    /// calls abandoned the imports that stopped moving long ago (a killed process) and uploads
    /// never started.
    pub(crate) async fn clear_abandoned_imports(&self, ws: WorkspaceId, t: i64) -> Result<()> {
        let old = t - ABANDONED_AFTER_SECS;
        tx!(self, tx => {
            sqlx::query("DELETE FROM lead_staging WHERE import_id IN (SELECT id FROM lead_imports
                    WHERE workspace_id = $1 AND (status IN ('failed', 'cancelled')
                    OR (status = 'staging' AND COALESCE(heartbeat_at, started_at) < $2)))")
                .bind(ws).bind(old).execute(&mut *tx).await?;
            // Rows of imports deleted with their workspace (staging has no foreign key).
            sqlx::query("DELETE FROM lead_staging WHERE import_id NOT IN (SELECT id FROM lead_imports)")
                .execute(&mut *tx).await?;
            sqlx::query("UPDATE lead_imports SET status = 'abandoned', finished_at = $3
                    WHERE workspace_id = $1 AND status IN ('staging', 'uploaded') AND COALESCE(heartbeat_at, started_at) < $2")
                .bind(ws).bind(old).bind(t).execute(&mut *tx).await?;
        });
        Ok(())
    }

    /// Opens an import and clears what abandoned imports of this workspace left staged.
    pub async fn begin_lead_import(
        &self,
        ws: WorkspaceId,
        system: &str,
        file_name: &str,
        profile: &str,
        by_user: Option<i64>,
    ) -> Result<i64> {
        let t = now();
        self.clear_abandoned_imports(ws, t).await?;
        let id = tx!(self, tx => {
            sqlx::query_scalar::<_, i64>("INSERT INTO lead_imports (workspace_id, source_system, file_name, profile, status,
                    rows_staged, rows_skipped, inserted, updated, unchanged, created_by, started_at)
                 VALUES ($1, $2, $3, $4, 'staging', 0, 0, 0, 0, 0, $5, $6) RETURNING id")
                .bind(ws).bind(system).bind(file_name).bind(profile).bind(by_user).bind(t)
                .fetch_one(&mut *tx).await?
        });
        Ok(id)
    }

    /// Publishes a staged import in one transaction: unchanged rows are dropped, the rollups
    /// lose the old values of changed leads, leads are upserted, the rollups gain the new values.
    pub async fn publish_lead_import(&self, st: LeadStaging, skipped: i64) -> Result<ImportCounts> {
        let (ws, import_id) = (st.ws, st.import);
        let t = now();
        let [ra, rb, rc] = apply_sql(ROLLUP_BY_STAGING);
        // The rows counted as new leads when staged whose lead exists now (stored meanwhile)
        // leave the tally (existed = 2, then 1); when an id came twice the tally is not used
        // and the new leads are counted here (existed = 0).
        let [na, nb, nc] = apply_sql(&staged_as_leads(2));
        let [sa, sb, sc] = apply_sql(&staged_as_leads(0));
        let (add_rollup, add_reason) = (add_rollup_sql(), add_reason_sql());
        let sqlite = self.backend() == crate::Backend::Sqlite;
        let unchanged_sql = format!(
            "DELETE FROM lead_staging AS s WHERE s.import_id = $2 AND s.existed = 1 AND EXISTS (SELECT 1 FROM leads l
                WHERE l.workspace_id = $1 AND l.source_system = s.source_system AND l.external_id = s.external_id AND {SAME})"
        );
        let insert = "INSERT INTO leads (workspace_id, source_system, external_id, created_on, created_month, source, source_detail,
                campaign, offer, channel, lifecycle_stage, lead_status, owner, qualification, qualified_by, disqualification_reason,
                objection, pipeline_cents, won_cents, updated_at, version)
             SELECT $1, s.source_system, s.external_id, s.created_on, s.created_month, s.source, s.source_detail, s.campaign,
                s.offer, s.channel, s.lifecycle_stage, s.lead_status, s.owner, COALESCE(s.qualification, 'pending'),
                CASE WHEN s.qualification IS NULL THEN NULL ELSE 'crm' END, s.disqualification_reason, s.objection,
                s.pipeline_cents, s.won_cents, $3, 1
             FROM lead_staging s WHERE s.import_id = $2 ";
        let upsert = format!("{insert} ON CONFLICT (workspace_id, source_system, external_id) DO UPDATE SET
                created_on = excluded.created_on, created_month = excluded.created_month, source = excluded.source,
                source_detail = excluded.source_detail, campaign = excluded.campaign, offer = excluded.offer,
                channel = excluded.channel, lifecycle_stage = excluded.lifecycle_stage, lead_status = excluded.lead_status,
                owner = excluded.owner,
                qualification = CASE WHEN excluded.qualified_by IS NULL THEN leads.qualification ELSE excluded.qualification END,
                qualified_by = COALESCE(excluded.qualified_by, leads.qualified_by),
                disqualification_reason = COALESCE(excluded.disqualification_reason, leads.disqualification_reason),
                objection = COALESCE(excluded.objection, leads.objection),
                pipeline_cents = excluded.pipeline_cents, won_cents = excluded.won_cents,
                updated_at = excluded.updated_at, version = leads.version + 1");
        let counts = tx!(self, tx => {
            let status: Option<String> = sqlx::query_scalar("SELECT status FROM lead_imports WHERE workspace_id = $1 AND id = $2")
                .bind(ws).bind(import_id).fetch_optional(&mut *tx).await?;
            if status.as_deref() != Some("staging") {
                return Err(StoreError::NotFound);
            }
            if st.repeated {
                // An id came more than once: its last line wins.
                sqlx::query("DELETE FROM lead_staging WHERE import_id = $1 AND line NOT IN
                        (SELECT MAX(line) FROM lead_staging WHERE import_id = $1 GROUP BY source_system, external_id)")
                    .bind(import_id).execute(&mut *tx).await?;
            }
            let staged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lead_staging WHERE import_id = $1")
                .bind(import_id).fetch_one(&mut *tx).await?;
            let meanwhile = sqlx::query("UPDATE lead_staging SET existed = 2 WHERE import_id = $2 AND existed = 0
                    AND EXISTS (SELECT 1 FROM leads l WHERE l.workspace_id = $1
                        AND l.source_system = lead_staging.source_system AND l.external_id = lead_staging.external_id)")
                .bind(ws).bind(import_id).execute(&mut *tx).await?.rows_affected();
            if meanwhile > 0 {
                if !st.repeated {
                    for sql in [&na, &nb, &nc] {
                        sqlx::query(sql).bind(ws).bind(import_id).bind(-1i64).execute(&mut *tx).await?;
                    }
                }
                sqlx::query("UPDATE lead_staging SET existed = 1 WHERE import_id = $1 AND existed = 2")
                    .bind(import_id).execute(&mut *tx).await?;
            }
            // Leads stored before: unchanged ones are dropped, changed ones move the rollups
            // in SQL. Nothing to read when every lead is new (a first import).
            let stored = st.existing > 0 || meanwhile > 0;
            let (mut unchanged, mut existing) = (0, 0);
            if stored {
                unchanged = sqlx::query(&unchanged_sql).bind(ws).bind(import_id).execute(&mut *tx).await?.rows_affected() as i64;
                existing = sqlx::query_scalar(&format!("SELECT COUNT(*) {ROLLUP_BY_STAGING}"))
                    .bind(ws).bind(import_id).fetch_one(&mut *tx).await?;
                for sql in [&ra, &rb, &rc] {
                    sqlx::query(sql).bind(ws).bind(import_id).bind(-1i64).execute(&mut *tx).await?;
                }
            }
            if stored || !sqlite {
                sqlx::query(&upsert).bind(ws).bind(import_id).bind(t).execute(&mut *tx).await?;
            } else {
                // Every lead is new and this transaction is SQLite's only writer: no conflict
                // can arise. When the import is larger than the table, the table's other
                // indexes are built again after the rows rather than grown row by row
                // (BASELINES: a bulk build sorts once; random inserts cost twice as much).
                let top: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM leads").fetch_one(&mut *tx).await?;
                let rebuild: Vec<(String, String)> = if staged > top {
                    sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads'
                            AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'")
                        .fetch_all(&mut *tx).await?
                } else {
                    Vec::new()
                };
                for (name, _) in &rebuild {
                    sqlx::query(&format!("DROP INDEX \"{name}\"")).execute(&mut *tx).await?;
                }
                sqlx::query(insert).bind(ws).bind(import_id).bind(t).execute(&mut *tx).await?;
                for (_, sql) in &rebuild {
                    sqlx::query(sql).execute(&mut *tx).await?;
                }
            }
            if stored {
                for sql in [&ra, &rb, &rc] {
                    sqlx::query(sql).bind(ws).bind(import_id).bind(1i64).execute(&mut *tx).await?;
                }
            }
            if st.repeated {
                for sql in [&sa, &sb, &sc] {
                    sqlx::query(sql).bind(ws).bind(import_id).bind(1i64).execute(&mut *tx).await?;
                }
            } else {
                for (month, key, sums) in st.tally.rows() {
                    let mut q = sqlx::query(&add_rollup).bind(ws).bind(month);
                    for v in key {
                        q = q.bind(v);
                    }
                    for v in sums {
                        q = q.bind(*v);
                    }
                    q.execute(&mut *tx).await?;
                }
                for (month, key, n) in st.tally.reasons() {
                    let mut q = sqlx::query(&add_reason).bind(ws).bind(month);
                    for v in key {
                        q = q.bind(v);
                    }
                    q.bind(n).execute(&mut *tx).await?;
                }
            }
            let c = ImportCounts { inserted: staged - unchanged - existing, updated: existing, unchanged, skipped };
            sqlx::query("DELETE FROM lead_rollups WHERE workspace_id = $1 AND leads = 0").bind(ws).execute(&mut *tx).await?;
            // SQLite empties a table at once when asked for all its rows; this transaction is
            // the only writer, so when no other import has rows staged, all of them are ours.
            let others: bool = match sqlite {
                true => sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM lead_staging WHERE import_id <> $1)")
                    .bind(import_id).fetch_one(&mut *tx).await?,
                false => true,
            };
            if others {
                sqlx::query("DELETE FROM lead_staging WHERE import_id = $1").bind(import_id).execute(&mut *tx).await?;
            } else {
                sqlx::query("DELETE FROM lead_staging").execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE lead_imports SET status = 'published', rows_skipped = $3, inserted = $4, updated = $5,
                    unchanged = $6, finished_at = $7 WHERE workspace_id = $1 AND id = $2")
                .bind(ws).bind(import_id).bind(skipped).bind(c.inserted).bind(c.updated).bind(c.unchanged).bind(t)
                .execute(&mut *tx).await?;
            emit!(tx, ws, crate::webhook_events::import_finished(import_id, &c));
            c
        });
        Ok(counts)
    }

    /// Gives up an import on an error: its staged rows go, the leads stay.
    pub async fn fail_lead_import(
        &self,
        ws: WorkspaceId,
        import_id: i64,
        error: &str,
    ) -> Result<()> {
        self.end_lead_import(ws, import_id, "failed", Some(error))
            .await
    }

    /// Gives up an import the user cancelled: its staged rows go, the leads stay.
    pub async fn cancelled_lead_import(&self, ws: WorkspaceId, import_id: i64) -> Result<()> {
        self.end_lead_import(ws, import_id, "cancelled", None).await
    }

    async fn end_lead_import(
        &self,
        ws: WorkspaceId,
        import_id: i64,
        status: &str,
        error: Option<&str>,
    ) -> Result<()> {
        let t = now();
        tx!(self, tx => {
            sqlx::query("DELETE FROM lead_staging WHERE import_id = (SELECT id FROM lead_imports WHERE workspace_id = $1 AND id = $2)")
                .bind(ws).bind(import_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE lead_imports SET status = $5, error = $3, finished_at = $4
                    WHERE workspace_id = $1 AND id = $2 AND status IN ('staging', 'uploaded')")
                .bind(ws).bind(import_id).bind(error).bind(t).bind(status).execute(&mut *tx).await?;
        });
        Ok(())
    }

    /// Recent imports, newest first.
    pub async fn list_lead_imports(&self, ws: WorkspaceId, limit: i64) -> Result<Vec<LeadImport>> {
        let sql = format!(
            "SELECT {IMPORT_COLUMNS} FROM lead_imports WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2"
        );
        Ok(read!(self, p => sqlx::query_as::<_, LeadImport>(&sql)
            .bind(ws).bind(limit).fetch_all(p).await)?)
    }

    /// Rows currently staged for an import (tests use it to prove a kill leaves only staging).
    pub async fn staged_rows(&self, import_id: i64) -> Result<i64> {
        Ok(
            // A read: on SQLite the reader pool sees what a staging process has committed, and
            // takes no write lock that the import it watches holds.
            read!(self, p => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM lead_staging WHERE import_id = $1")
            .bind(import_id).fetch_one(p).await)?,
        )
    }
}

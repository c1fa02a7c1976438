//! Lead imports: rows are staged in batches (each its own short transaction, into a table with
//! no secondary index), then published in one transaction that upserts them into `leads` and
//! moves the rollups. A failed, cancelled or killed import leaves the leads as they were; its
//! staged rows are removed by the next import into the workspace.

use crate::lead_rollups::{apply_sql, ROLLUP_BY_STAGING};
use crate::webhook_queue::emit;
use crate::WorkspaceId;
use crate::{now, read, tx, Result, Store, StoreError};
use keel_domain::lead::{month_of, LeadDraft};
use serde::Serialize;

/// Staged rows per INSERT statement (one JSON parameter).
pub const STAGE_BATCH: usize = 5000;

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

const STAGING_COLUMNS: &str = "import_id, line, source_system, external_id, created_on, created_month, source, source_detail, \
    campaign, offer, channel, lifecycle_stage, lead_status, owner, qualification, disqualification_reason, objection, \
    pipeline_cents, won_cents";

/// The staged row equals the stored lead (import values that say nothing keep the stored ones).
const SAME: &str = "l.created_on = s.created_on AND l.source IS NOT DISTINCT FROM s.source
    AND l.source_detail IS NOT DISTINCT FROM s.source_detail AND l.campaign IS NOT DISTINCT FROM s.campaign
    AND l.offer IS NOT DISTINCT FROM s.offer AND l.channel IS NOT DISTINCT FROM s.channel
    AND l.lifecycle_stage IS NOT DISTINCT FROM s.lifecycle_stage AND l.lead_status IS NOT DISTINCT FROM s.lead_status
    AND l.owner IS NOT DISTINCT FROM s.owner AND l.qualification = COALESCE(s.qualification, l.qualification)
    AND l.disqualification_reason IS NOT DISTINCT FROM COALESCE(s.disqualification_reason, l.disqualification_reason)
    AND l.objection IS NOT DISTINCT FROM COALESCE(s.objection, l.objection)
    AND l.pipeline_cents IS NOT DISTINCT FROM s.pipeline_cents AND l.won_cents IS NOT DISTINCT FROM s.won_cents";

/// The staging INSERT for one batch: its rows arrive as one JSON array of arrays (`$2`, see
/// `StageRow`), read by the database's JSON functions. One bound parameter a batch: SQLite
/// looks each parameter up by a linear scan (`sqlite3_bind_parameter_name`, called by sqlx for
/// every one), so a multi-row VALUES list of thousands of parameters costs quadratic time.
fn staging_insert(backend: crate::Backend) -> String {
    // Column i of the staging table after import_id is element i of a row.
    let (from, text, int) = match backend {
        crate::Backend::Sqlite => ("json_each($2) j", "j.value->>{}", "j.value->>{}"),
        crate::Backend::Postgres => (
            "jsonb_array_elements($2::jsonb) j",
            "j->>{}",
            "(j->>{})::bigint",
        ),
    };
    let ints = [0usize, 3, 4, 16, 17];
    let columns: Vec<String> = (0..18)
        .map(|i| {
            let f = if ints.contains(&i) { int } else { text };
            f.replace("{}", &i.to_string())
        })
        .collect();
    let mut sql = format!(
        "INSERT INTO lead_staging ({STAGING_COLUMNS}) SELECT $1, {} FROM {from} WHERE true",
        columns.join(", ")
    );
    // An id repeated in a later batch: the later line wins.
    sql.push_str(" ON CONFLICT (import_id, source_system, external_id) DO UPDATE SET ");
    let sets: Vec<String> = STAGING_COLUMNS
        .split(',')
        .map(str::trim)
        .filter(|c| !matches!(*c, "import_id" | "source_system" | "external_id"))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    sql.push_str(&sets.join(", "));
    sql
}

/// One staged row as a JSON array, in `STAGING_COLUMNS` order after import_id.
struct StageRow<'a>(i64, &'a LeadDraft);

impl Serialize for StageRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let (line, l) = (self.0, self.1);
        let mut q = s.serialize_seq(Some(18))?;
        q.serialize_element(&line)?;
        q.serialize_element(&l.source_system)?;
        q.serialize_element(&l.external_id)?;
        q.serialize_element(&l.created.0)?;
        q.serialize_element(&month_of(l.created))?;
        q.serialize_element(&l.source)?;
        q.serialize_element(&l.source_detail)?;
        q.serialize_element(&l.campaign)?;
        q.serialize_element(&l.offer)?;
        q.serialize_element(&l.channel)?;
        q.serialize_element(&l.lifecycle_stage)?;
        q.serialize_element(&l.lead_status)?;
        q.serialize_element(&l.owner)?;
        q.serialize_element(&l.qualification.map(|q| q.as_str()))?;
        q.serialize_element(&l.disqualification_reason)?;
        q.serialize_element(&l.objection)?;
        q.serialize_element(&l.pipeline_cents)?;
        q.serialize_element(&l.won_cents)?;
        q.end()
    }
}

/// Keeps the last row of each (system, external id) in a batch: a later line of the same
/// file wins, as a later export would.
fn last_per_id<'a>(rows: &'a [(i64, &'a LeadDraft)]) -> Vec<(i64, &'a LeadDraft)> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<(i64, &LeadDraft)> = rows
        .iter()
        .rev()
        .filter(|(_, l)| seen.insert((l.source_system.as_str(), l.external_id.as_str())))
        .copied()
        .collect();
    out.reverse();
    out
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

    /// Stages rows (line number, lead) of an open import, in statements of `STAGE_BATCH`.
    pub async fn stage_leads(&self, import_id: i64, rows: &[(i64, &LeadDraft)]) -> Result<()> {
        let sql = staging_insert(self.backend());
        for chunk in rows.chunks(STAGE_BATCH) {
            let chunk = last_per_id(chunk);
            let json = serde_json::to_string(
                &chunk
                    .iter()
                    .map(|(line, l)| StageRow(*line, l))
                    .collect::<Vec<_>>(),
            )
            .map_err(|e| StoreError::Conflict(e.to_string()))?;
            let n = chunk.len() as i64;
            tx!(self, tx => {
                sqlx::query(&sql).bind(import_id).bind(&json).execute(&mut *tx).await?;
                sqlx::query("UPDATE lead_imports SET rows_staged = rows_staged + $2 WHERE id = $1")
                    .bind(import_id).bind(n).execute(&mut *tx).await?;
            });
        }
        Ok(())
    }

    /// Publishes a staged import in one transaction: unchanged rows are dropped, the rollups
    /// lose the old values of changed leads, leads are upserted, the rollups gain the new values.
    pub async fn publish_lead_import(
        &self,
        ws: WorkspaceId,
        import_id: i64,
        skipped: i64,
    ) -> Result<ImportCounts> {
        let t = now();
        let [ra, rb, rc] = apply_sql(ROLLUP_BY_STAGING);
        let unchanged_sql = format!(
            "DELETE FROM lead_staging AS s WHERE s.import_id = $2 AND EXISTS (SELECT 1 FROM leads l
                WHERE l.workspace_id = $1 AND l.source_system = s.source_system AND l.external_id = s.external_id AND {SAME})"
        );
        let upsert = "INSERT INTO leads (workspace_id, source_system, external_id, created_on, created_month, source, source_detail,
                campaign, offer, channel, lifecycle_stage, lead_status, owner, qualification, qualified_by, disqualification_reason,
                objection, pipeline_cents, won_cents, updated_at, version)
             SELECT $1, s.source_system, s.external_id, s.created_on, s.created_month, s.source, s.source_detail, s.campaign,
                s.offer, s.channel, s.lifecycle_stage, s.lead_status, s.owner, COALESCE(s.qualification, 'pending'),
                CASE WHEN s.qualification IS NULL THEN NULL ELSE 'crm' END, s.disqualification_reason, s.objection,
                s.pipeline_cents, s.won_cents, $3, 1
             FROM lead_staging s WHERE s.import_id = $2
             ON CONFLICT (workspace_id, source_system, external_id) DO UPDATE SET
                created_on = excluded.created_on, created_month = excluded.created_month, source = excluded.source,
                source_detail = excluded.source_detail, campaign = excluded.campaign, offer = excluded.offer,
                channel = excluded.channel, lifecycle_stage = excluded.lifecycle_stage, lead_status = excluded.lead_status,
                owner = excluded.owner,
                qualification = CASE WHEN excluded.qualified_by IS NULL THEN leads.qualification ELSE excluded.qualification END,
                qualified_by = COALESCE(excluded.qualified_by, leads.qualified_by),
                disqualification_reason = COALESCE(excluded.disqualification_reason, leads.disqualification_reason),
                objection = COALESCE(excluded.objection, leads.objection),
                pipeline_cents = excluded.pipeline_cents, won_cents = excluded.won_cents,
                updated_at = excluded.updated_at, version = leads.version + 1";
        let counts = tx!(self, tx => {
            let status: Option<String> = sqlx::query_scalar("SELECT status FROM lead_imports WHERE workspace_id = $1 AND id = $2")
                .bind(ws).bind(import_id).fetch_optional(&mut *tx).await?;
            if status.as_deref() != Some("staging") {
                return Err(StoreError::NotFound);
            }
            let staged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lead_staging WHERE import_id = $1")
                .bind(import_id).fetch_one(&mut *tx).await?;
            let unchanged = sqlx::query(&unchanged_sql).bind(ws).bind(import_id).execute(&mut *tx).await?.rows_affected() as i64;
            let existing: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM lead_staging s JOIN leads l ON l.workspace_id = $1 AND l.source_system = s.source_system
                 AND l.external_id = s.external_id WHERE s.import_id = $2")
                .bind(ws).bind(import_id).fetch_one(&mut *tx).await?;
            for sql in [&ra, &rb, &rc] {
                sqlx::query(sql).bind(ws).bind(import_id).bind(-1i64).execute(&mut *tx).await?;
            }
            sqlx::query(upsert).bind(ws).bind(import_id).bind(t).execute(&mut *tx).await?;
            for sql in [&ra, &rb, &rc] {
                sqlx::query(sql).bind(ws).bind(import_id).bind(1i64).execute(&mut *tx).await?;
            }
            let c = ImportCounts { inserted: staged - unchanged - existing, updated: existing, unchanged, skipped };
            sqlx::query("DELETE FROM lead_rollups WHERE workspace_id = $1 AND leads = 0").bind(ws).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM lead_staging WHERE import_id = $1").bind(import_id).execute(&mut *tx).await?;
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

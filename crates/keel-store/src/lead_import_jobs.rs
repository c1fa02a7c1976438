//! Lead imports run as background jobs from the web app: an upload waits with its answers,
//! starts, reports progress every batch (which any node can read), can be cancelled between
//! two batches, and keeps the rows it could not read to show and download. Also the column
//! mappings a workspace saved for files no profile recognises.

use crate::lead_import::{LeadImport, IMPORT_COLUMNS};
use crate::WorkspaceId;
use crate::{now, read, tx, write, Result, Store, StoreError};
use serde::Serialize;

/// Row errors kept per import; past this they are only counted (`rows_bad`).
pub const KEPT_ROW_ERRORS: i64 = 10_000;

/// An import with no progress for this long has lost the server running it.
pub const STALLED_AFTER_SECS: i64 = 600;

/// One row an import could not read.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct ImportRowError {
    pub line: i64,
    #[sqlx(rename = "column_name")]
    pub column: Option<String>,
    pub value: Option<String>,
    pub reason: String,
}

/// A saved column mapping: which column feeds which lead field.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct LeadMapping {
    pub id: i64,
    pub name: String,
    pub source_system: String,
    /// `[[field, column], ...]` as JSON.
    pub pairs: String,
    pub created_at: i64,
}

/// What a cancel did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancel {
    /// The upload had not started, or its job had stalled: it is cancelled now.
    Done,
    /// The job stops at its next batch.
    Asked,
    /// It had already finished.
    TooLate,
}

impl LeadImport {
    /// A running import with no progress for `STALLED_AFTER_SECS`: its server stopped.
    pub fn stalled(&self, now: i64) -> bool {
        self.status == "staging"
            && self.heartbeat_at.unwrap_or(self.started_at) < now - STALLED_AFTER_SECS
    }
}

impl Store {
    /// Records an uploaded file that waits for its answers before it is read.
    pub async fn create_lead_upload(
        &self,
        ws: WorkspaceId,
        file_name: &str,
        upload: &str,
        bytes_total: i64,
        by_user: Option<i64>,
    ) -> Result<i64> {
        let t = now();
        self.clear_abandoned_imports(ws, t).await?;
        Ok(write!(self, p => sqlx::query_scalar::<_, i64>(
            "INSERT INTO lead_imports (workspace_id, source_system, file_name, profile, status, rows_staged, rows_skipped,
                inserted, updated, unchanged, created_by, started_at, upload, bytes_total)
             VALUES ($1, '', $2, '', 'uploaded', 0, 0, 0, 0, 0, $3, $4, $5, $6) RETURNING id")
            .bind(ws).bind(file_name).bind(by_user).bind(t).bind(upload).bind(bytes_total)
            .fetch_one(p).await)?)
    }

    /// Keeps the answers given so far for an upload that is not started yet.
    pub async fn set_lead_upload_options(
        &self,
        ws: WorkspaceId,
        id: i64,
        options: &str,
    ) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "UPDATE lead_imports SET options = $3 WHERE workspace_id = $1 AND id = $2 AND status = 'uploaded'")
            .bind(ws).bind(id).bind(options).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Starts an upload: it becomes a staging import of `system`, read by `profile`. False
    /// when it was cancelled or started meanwhile.
    pub async fn start_lead_upload(
        &self,
        ws: WorkspaceId,
        id: i64,
        system: &str,
        profile: &str,
        options: &str,
    ) -> Result<bool> {
        let t = now();
        let n = write!(self, p => sqlx::query(
            "UPDATE lead_imports SET status = 'staging', source_system = $3, profile = $4, options = $5, heartbeat_at = $6
             WHERE workspace_id = $1 AND id = $2 AND status = 'uploaded' AND cancel_requested = 0")
            .bind(ws).bind(id).bind(system).bind(profile).bind(options).bind(t).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// One import of the workspace.
    pub async fn lead_import(&self, ws: WorkspaceId, id: i64) -> Result<LeadImport> {
        let sql = format!(
            "SELECT {IMPORT_COLUMNS} FROM lead_imports WHERE workspace_id = $1 AND id = $2"
        );
        read!(self, p => sqlx::query_as::<_, LeadImport>(&sql).bind(ws).bind(id).fetch_optional(p).await)?
            .ok_or(StoreError::NotFound)
    }

    /// Reports a running import's progress; true when the user asked to cancel it.
    pub async fn report_lead_import(
        &self,
        import_id: i64,
        bytes_read: i64,
        rows_read: i64,
        rows_bad: i64,
    ) -> Result<bool> {
        let t = now();
        let asked: Option<i64> = write!(self, p => sqlx::query_scalar(
            "UPDATE lead_imports SET bytes_read = $2, rows_read = $3, rows_bad = $4, heartbeat_at = $5
             WHERE id = $1 AND status = 'staging' RETURNING cancel_requested")
            .bind(import_id).bind(bytes_read).bind(rows_read).bind(rows_bad).bind(t).fetch_optional(p).await)?;
        // Gone from 'staging' (cancelled as stalled, say): stop as if asked.
        Ok(asked.is_none_or(|c| c != 0))
    }

    /// Keeps row errors of an import, numbered from `first`, up to `KEPT_ROW_ERRORS`.
    pub async fn add_lead_import_errors(
        &self,
        import_id: i64,
        first: i64,
        errors: &[ImportRowError],
    ) -> Result<()> {
        let room = (KEPT_ROW_ERRORS - first).max(0) as usize;
        let errors = &errors[..errors.len().min(room)];
        for (n, chunk) in errors.chunks(500).enumerate() {
            let mut sql = String::from(
                "INSERT INTO lead_import_errors (import_id, seq, line, column_name, value, reason) VALUES ",
            );
            for i in 0..chunk.len() {
                let b = i * 6;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                ));
            }
            let base = first + (n * 500) as i64;
            write!(self, p => {
                let mut q = sqlx::query(&sql);
                for (i, e) in chunk.iter().enumerate() {
                    q = q.bind(import_id).bind(base + i as i64).bind(e.line).bind(&e.column)
                        .bind(&e.value).bind(&e.reason);
                }
                q.execute(p).await.map(|r| r.rows_affected())
            })?;
        }
        Ok(())
    }

    /// The rows an import could not read, in file order.
    pub async fn lead_import_errors(
        &self,
        ws: WorkspaceId,
        import_id: i64,
        limit: i64,
    ) -> Result<Vec<ImportRowError>> {
        Ok(read!(self, p => sqlx::query_as::<_, ImportRowError>(
            "SELECT e.line, e.column_name, e.value, e.reason FROM lead_import_errors e
             JOIN lead_imports i ON i.id = e.import_id AND i.workspace_id = $1
             WHERE e.import_id = $2 ORDER BY e.seq LIMIT $3")
            .bind(ws).bind(import_id).bind(limit).fetch_all(p).await)?)
    }

    /// Cancels an import: at once when it has not started (or its job stalled), else at the
    /// job's next batch.
    pub async fn cancel_lead_import(&self, ws: WorkspaceId, id: i64) -> Result<Cancel> {
        let i = self.lead_import(ws, id).await?;
        match i.status.as_str() {
            "uploaded" => {
                self.cancelled_lead_import(ws, id).await?;
                Ok(Cancel::Done)
            }
            "staging" if i.stalled(now()) => {
                self.cancelled_lead_import(ws, id).await?;
                Ok(Cancel::Done)
            }
            "staging" => {
                write!(self, p => sqlx::query(
                    "UPDATE lead_imports SET cancel_requested = 1 WHERE workspace_id = $1 AND id = $2")
                    .bind(ws).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
                Ok(Cancel::Asked)
            }
            _ => Ok(Cancel::TooLate),
        }
    }

    /// Saves (or replaces, by name) a column mapping.
    pub async fn save_lead_mapping(
        &self,
        ws: WorkspaceId,
        name: &str,
        system: &str,
        pairs: &str,
        by_user: Option<i64>,
    ) -> Result<i64> {
        let t = now();
        Ok(tx!(self, tx => {
            sqlx::query("DELETE FROM lead_mappings WHERE workspace_id = $1 AND name = $2")
                .bind(ws).bind(name).execute(&mut *tx).await?;
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO lead_mappings (workspace_id, name, source_system, pairs, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(ws).bind(name).bind(system).bind(pairs).bind(by_user).bind(t)
                .fetch_one(&mut *tx).await?
        }))
    }

    /// The workspace's saved mappings, by name.
    pub async fn list_lead_mappings(&self, ws: WorkspaceId) -> Result<Vec<LeadMapping>> {
        Ok(read!(self, p => sqlx::query_as::<_, LeadMapping>(
            "SELECT id, name, source_system, pairs, created_at FROM lead_mappings WHERE workspace_id = $1 ORDER BY name")
            .bind(ws).fetch_all(p).await)?)
    }

    /// Forgets a saved mapping.
    pub async fn delete_lead_mapping(&self, ws: WorkspaceId, id: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query("DELETE FROM lead_mappings WHERE workspace_id = $1 AND id = $2")
            .bind(ws).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

//! Workflows (SOPs). The whole SOP is kept as one JSON document per version, so every
//! change is kept and any two versions can be compared.

use crate::webhook_events;
use crate::webhook_queue::emit;
use crate::work::COLUMNS;
use crate::WorkspaceId;
use crate::{now, read, tx, Result, Store, StoreError};
use keel_domain::health::review_rules::SopVersion;
use keel_domain::work::sop_change::restated;
use keel_domain::work::transition::EventKind;
use keel_domain::workflow::{Workflow, WorkflowRole, WorkflowSpec};
use std::collections::HashSet;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    spec: String,
    created_at: i64,
    version: i64,
}

fn workflow(r: Row) -> Result<Workflow> {
    let spec: WorkflowSpec = serde_json::from_str(&r.spec)
        .map_err(|e| StoreError::Config(format!("workflow {} cannot be read: {e}", r.id)))?;
    Ok(Workflow {
        id: r.id,
        spec,
        created_at: r.created_at,
        version: r.version,
    })
}

/// One saved version of an SOP.
#[derive(Debug, Clone)]
pub struct Revision {
    pub version: i64,
    pub spec: WorkflowSpec,
    pub changed_by: Option<String>,
    pub changed_at: i64,
}

fn json(spec: &WorkflowSpec) -> String {
    serde_json::to_string(spec).expect("a workflow spec always serialises")
}

fn taken(e: sqlx::Error, name: &str) -> StoreError {
    StoreError::unique(
        e,
        format!("A workflow named '{name}' already exists in this workspace."),
    )
}

impl Store {
    pub async fn list_workflows(&self, ws: WorkspaceId) -> Result<Vec<Workflow>> {
        let rows = read!(self, p => sqlx::query_as::<_, Row>(
            "SELECT id, spec, created_at, version FROM workflows WHERE workspace_id = $1 ORDER BY name, id")
            .bind(ws).fetch_all(p).await)?;
        rows.into_iter().map(workflow).collect()
    }

    pub async fn find_workflow(&self, ws: WorkspaceId, id: i64) -> Result<Option<Workflow>> {
        let row = read!(self, p => sqlx::query_as::<_, Row>(
            "SELECT id, spec, created_at, version FROM workflows WHERE workspace_id = $1 AND id = $2")
            .bind(ws).bind(id).fetch_optional(p).await)?;
        row.map(workflow).transpose()
    }

    pub async fn create_workflow(
        &self,
        ws: WorkspaceId,
        spec: &WorkflowSpec,
        by_user: Option<i64>,
    ) -> Result<Workflow> {
        let t = now();
        let doc = json(spec);
        let id = tx!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO workflows (workspace_id, name, status, function_id, spec, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id")
                .bind(ws).bind(&spec.name).bind(spec.status.as_str()).bind(spec.function_id).bind(&doc).bind(t)
                .fetch_one(&mut *tx).await.map_err(|e| taken(e, &spec.name))?;
            sqlx::query("INSERT INTO workflow_revisions (workspace_id, workflow_id, version, spec, changed_by, changed_at) VALUES ($1, $2, 1, $3, $4, $5)")
                .bind(ws).bind(id).bind(&doc).bind(by_user).bind(t).execute(&mut *tx).await?;
            emit!(tx, ws, webhook_events::workflow(id, spec, 1, "created", by_user));
            id
        });
        Ok(Workflow {
            id,
            spec: spec.clone(),
            created_at: t,
            version: 1,
        })
    }

    /// Saves a new version if the stored one is still `expected` (any when `None`), and in
    /// the same transaction restates the open work whose stage's approval rule changed.
    pub async fn update_workflow(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        spec: &WorkflowSpec,
        by_user: Option<i64>,
    ) -> Result<Workflow> {
        let t = now();
        let doc = json(spec);
        let row: Option<(i64, i64)> = tx!(self, tx => {
            let row: Option<(i64, i64)> = sqlx::query_as(
                "UPDATE workflows SET name = $3, status = $4, function_id = $5, spec = $6, updated_at = $7, version = version + 1
                 WHERE workspace_id = $1 AND id = $2 AND version = $8 RETURNING version, created_at")
                .bind(ws).bind(id).bind(&spec.name).bind(spec.status.as_str()).bind(spec.function_id).bind(&doc).bind(t).bind(expected)
                .fetch_optional(&mut *tx).await.map_err(|e| taken(e, &spec.name))?;
            if let Some((version, _)) = row {
                // Deciding time for this workflow moves with its decision owner.
                if let Some(owner) = spec.people_with(WorkflowRole::DecisionOwner).first() {
                    sqlx::query("UPDATE commitments SET person_id = $3, updated_at = $4, version = version + 1
                                 WHERE workspace_id = $1 AND workflow_id = $2 AND kind = 'deciding' AND person_id <> $3")
                        .bind(ws).bind(id).bind(owner).bind(t).execute(&mut *tx).await?;
                }
                sqlx::query("INSERT INTO workflow_revisions (workspace_id, workflow_id, version, spec, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(ws).bind(id).bind(version).bind(&doc).bind(by_user).bind(t).execute(&mut *tx).await?;
                emit!(tx, ws, webhook_events::workflow(id, spec, version, "updated", by_user));
                // Work already at a stage that started or stopped needing the decision
                // owner's approval takes the new rule now (`work::sop_change`), with a line
                // of history, so no item says "In progress" while its gate waits for an
                // approval, nor waits for one nobody has to give.
                let sql = format!("SELECT {COLUMNS} FROM work_items WHERE workspace_id = $1 AND workflow_id = $2
                                   AND status IN ('intake', 'in_progress', 'awaiting_approval')");
                let open: Vec<crate::work::Row> = sqlx::query_as(&sql).bind(ws).bind(id).fetch_all(&mut *tx).await?;
                let approved: HashSet<(i64, i64)> = sqlx::query_as::<_, (i64, i64)>(
                    "SELECT a.item_id, a.stage FROM work_approvals a
                     JOIN work_items i ON i.workspace_id = a.workspace_id AND i.id = a.item_id AND i.stage = a.stage
                     WHERE a.workspace_id = $1 AND i.workflow_id = $2")
                    .bind(ws).bind(id).fetch_all(&mut *tx).await?.into_iter().collect();
                for w in open.into_iter().map(crate::work::item) {
                    let Some(r) = restated(&w, spec, approved.contains(&(w.id, w.stage as i64))) else { continue };
                    sqlx::query("UPDATE work_items SET status = $3, updated_at = $4, version = version + 1 WHERE workspace_id = $1 AND id = $2")
                        .bind(ws).bind(w.id).bind(r.status.as_str()).bind(t).execute(&mut *tx).await?;
                    sqlx::query("INSERT INTO work_events (workspace_id, item_id, at, kind, to_stage, note, by_user) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                        .bind(ws).bind(w.id).bind(t).bind(EventKind::SopChanged.as_str()).bind(w.stage as i64).bind(&r.note).bind(by_user)
                        .execute(&mut *tx).await?;
                }
            }
            row
        });
        match row {
            Some((version, created_at)) => Ok(Workflow {
                id,
                spec: spec.clone(),
                created_at,
                version,
            }),
            None => Err(self.missing_or_stale("workflows", ws, id).await),
        }
    }

    /// Deletes a workflow and its work items.
    pub async fn delete_workflow(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = tx!(self, tx => {
            let name: Option<String> = sqlx::query_scalar(
                "DELETE FROM workflows WHERE workspace_id = $1 AND id = $2 AND version = $3 RETURNING name")
                .bind(ws).bind(id).bind(expected).fetch_optional(&mut *tx).await?;
            if let Some(name) = &name {
                emit!(tx, ws, webhook_events::workflow_deleted(id, name));
            }
            u64::from(name.is_some())
        });
        if n == 0 {
            return Err(self.missing_or_stale("workflows", ws, id).await);
        }
        Ok(())
    }

    /// Who held which role in every saved version of the workspace's workflows: what the SOP
    /// review triggers compare with the version their last review saw.
    pub async fn sop_versions(&self, ws: WorkspaceId) -> Result<Vec<SopVersion>> {
        /// Only the part of a saved spec the triggers read.
        #[derive(serde::Deserialize)]
        struct Owners {
            assignments: Vec<keel_domain::workflow::Assignment>,
        }
        let rows: Vec<(i64, i64, String, i64)> = read!(self, p => sqlx::query_as(
            "SELECT workflow_id, version, spec, changed_at FROM workflow_revisions WHERE workspace_id = $1 ORDER BY workflow_id, version")
            .bind(ws).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(workflow_id, version, spec, saved_at)| {
                let o: Owners = serde_json::from_str(&spec).map_err(|e| {
                    StoreError::Config(format!(
                        "revision {version} of workflow {workflow_id} cannot be read: {e}"
                    ))
                })?;
                Ok(SopVersion {
                    workflow_id,
                    version,
                    saved_at,
                    assignments: o.assignments,
                })
            })
            .collect()
    }

    /// Every saved version of a workflow, newest first.
    pub async fn list_revisions(&self, ws: WorkspaceId, workflow_id: i64) -> Result<Vec<Revision>> {
        #[derive(sqlx::FromRow)]
        struct RevRow {
            version: i64,
            spec: String,
            changed_by: Option<String>,
            changed_at: i64,
        }
        let rows = read!(self, p => sqlx::query_as::<_, RevRow>(
            "SELECT r.version, r.spec, u.name AS changed_by, r.changed_at FROM workflow_revisions r
             LEFT JOIN users u ON u.id = r.changed_by
             WHERE r.workspace_id = $1 AND r.workflow_id = $2 ORDER BY r.version DESC")
            .bind(ws).bind(workflow_id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|r| {
                let spec = serde_json::from_str(&r.spec).map_err(|e| {
                    StoreError::Config(format!("revision {} cannot be read: {e}", r.version))
                })?;
                Ok(Revision {
                    version: r.version,
                    spec,
                    changed_by: r.changed_by,
                    changed_at: r.changed_at,
                })
            })
            .collect()
    }
}

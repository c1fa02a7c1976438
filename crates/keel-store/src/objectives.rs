//! Objectives of a workspace (migration 0014).

use crate::WorkspaceId;
use crate::{now, read, write, Result, Store};
use keel_domain::objective::Layer;
use keel_domain::{Date, Objective, ObjectiveDraft};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    outcome: String,
    owner_id: Option<i64>,
    layer: String,
    metric: Option<String>,
    baseline: Option<f64>,
    target: Option<f64>,
    deadline: Option<i64>,
    serves: Option<String>,
    version: i64,
}

const COLUMNS: &str =
    "id, outcome, owner_id, layer, metric, baseline, target, deadline, serves, version";

fn objective(r: Row) -> Objective {
    Objective {
        id: r.id,
        outcome: r.outcome,
        owner_id: r.owner_id,
        layer: Layer::parse(&r.layer).unwrap_or(Layer::Business),
        metric: r.metric,
        baseline: r.baseline,
        target: r.target,
        deadline: r.deadline.map(Date),
        serves: r.serves,
        version: r.version,
    }
}

impl Store {
    /// Objectives by deadline (those without one last), then id.
    pub async fn list_objectives(&self, ws: WorkspaceId) -> Result<Vec<Objective>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM objectives WHERE workspace_id = $1
             ORDER BY CASE WHEN deadline IS NULL THEN 1 ELSE 0 END, deadline, id"
        );
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(objective).collect())
    }

    pub async fn find_objective(&self, ws: WorkspaceId, id: i64) -> Result<Option<Objective>> {
        let sql = format!("SELECT {COLUMNS} FROM objectives WHERE workspace_id = $1 AND id = $2");
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(objective))
    }

    pub async fn create_objective(&self, ws: WorkspaceId, d: &ObjectiveDraft) -> Result<Objective> {
        let sql = format!(
            "INSERT INTO objectives (workspace_id, outcome, owner_id, layer, metric, baseline, target, deadline, serves, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(&d.outcome).bind(d.owner_id).bind(d.layer.as_str()).bind(&d.metric)
            .bind(d.baseline).bind(d.target).bind(d.deadline.map(|x| x.0)).bind(&d.serves).bind(now())
            .fetch_one(p).await)?;
        Ok(objective(row))
    }

    /// Updates an objective if it is still at `expected` version.
    pub async fn update_objective(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &ObjectiveDraft,
    ) -> Result<Objective> {
        let sql = format!(
            "UPDATE objectives SET outcome = $3, owner_id = $4, layer = $5, metric = $6, baseline = $7, target = $8,
                    deadline = $9, serves = $10, updated_at = $11, version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $12 RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(id).bind(&d.outcome).bind(d.owner_id).bind(d.layer.as_str()).bind(&d.metric)
            .bind(d.baseline).bind(d.target).bind(d.deadline.map(|x| x.0)).bind(&d.serves).bind(now()).bind(expected)
            .fetch_optional(p).await)?;
        match row {
            Some(r) => Ok(objective(r)),
            None => Err(self.missing_or_stale("objectives", ws, id).await),
        }
    }

    /// Removes an objective; its priorities keep no objective.
    pub async fn delete_objective(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM objectives WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("objectives", ws, id).await);
        }
        Ok(())
    }
}

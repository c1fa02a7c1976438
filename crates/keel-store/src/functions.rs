//! Marketing functions of a workspace and their owners.

use crate::WorkspaceId;
use crate::{now, read, tx, write, Result, Store, StoreError};
use keel_domain::ownership::OwnersChange;
use keel_domain::{Function, FunctionDraft, Sourcing};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    description: Option<String>,
    sourcing: String,
    business_owner_id: Option<i64>,
    execution_owner_id: Option<i64>,
    weekly_hours: f64,
    version: i64,
}

fn function(r: Row) -> Function {
    Function {
        id: r.id,
        name: r.name,
        description: r.description,
        sourcing: Sourcing::parse(&r.sourcing).unwrap_or(Sourcing::Internal),
        business_owner_id: r.business_owner_id,
        execution_owner_id: r.execution_owner_id,
        weekly_hours: r.weekly_hours,
        version: r.version,
    }
}

fn taken(e: sqlx::Error, name: &str) -> StoreError {
    StoreError::unique(
        e,
        format!("A function named '{name}' already exists in this workspace."),
    )
}

impl Store {
    pub async fn list_functions(&self, ws: WorkspaceId) -> Result<Vec<Function>> {
        let rows = read!(self, p => sqlx::query_as::<_, Row>(
            "SELECT id, name, description, sourcing, business_owner_id, execution_owner_id, weekly_hours, version
             FROM functions WHERE workspace_id = $1 ORDER BY name, id")
            .bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(function).collect())
    }

    /// One page of functions, in name order.
    pub async fn list_functions_page(
        &self,
        ws: WorkspaceId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Function>> {
        let rows = read!(self, p => sqlx::query_as::<_, Row>(
            "SELECT id, name, description, sourcing, business_owner_id, execution_owner_id, weekly_hours, version
             FROM functions WHERE workspace_id = $1 ORDER BY name, id LIMIT $2 OFFSET $3")
            .bind(ws).bind(limit).bind(offset).fetch_all(p).await)?;
        Ok(rows.into_iter().map(function).collect())
    }

    pub async fn find_function(&self, ws: WorkspaceId, id: i64) -> Result<Option<Function>> {
        let row = read!(self, p => sqlx::query_as::<_, Row>(
            "SELECT id, name, description, sourcing, business_owner_id, execution_owner_id, weekly_hours, version
             FROM functions WHERE workspace_id = $1 AND id = $2")
            .bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(function))
    }

    pub async fn create_function(&self, ws: WorkspaceId, d: &FunctionDraft) -> Result<Function> {
        let t = now();
        let row = write!(self, p => sqlx::query_as::<_, Row>(
            "INSERT INTO functions (workspace_id, name, description, sourcing, business_owner_id, execution_owner_id, weekly_hours, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
             RETURNING id, name, description, sourcing, business_owner_id, execution_owner_id, weekly_hours, version")
            .bind(ws).bind(&d.name).bind(&d.description).bind(d.sourcing.as_str())
            .bind(d.business_owner_id).bind(d.execution_owner_id).bind(d.weekly_hours).bind(t)
            .fetch_one(p).await)
            .map_err(|e| taken(e, &d.name))?;
        Ok(function(row))
    }

    pub async fn update_function(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &FunctionDraft,
    ) -> Result<Function> {
        let row = write!(self, p => sqlx::query_as::<_, Row>(
            "UPDATE functions SET name = $3, description = $4, sourcing = $5, business_owner_id = $6,
                    execution_owner_id = $7, weekly_hours = $8, updated_at = $9, version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $10
             RETURNING id, name, description, sourcing, business_owner_id, execution_owner_id, weekly_hours, version")
            .bind(ws).bind(id).bind(&d.name).bind(&d.description).bind(d.sourcing.as_str())
            .bind(d.business_owner_id).bind(d.execution_owner_id).bind(d.weekly_hours).bind(now()).bind(expected)
            .fetch_optional(p).await)
            .map_err(|e| taken(e, &d.name))?;
        match row {
            Some(r) => Ok(function(r)),
            None => Err(self.missing_or_stale("functions", ws, id).await),
        }
    }

    /// Sets the owners of several functions in one transaction, each only if it is still at
    /// the version its change names: all are saved, or none. `Ok(Err(stale))` lists, per
    /// change refused (its index in `changes`), the function as it is now (`None` when it was
    /// removed), so the caller can show it and keep what was typed elsewhere.
    pub async fn set_function_owners(
        &self,
        ws: WorkspaceId,
        changes: &[OwnersChange],
    ) -> Result<std::result::Result<Vec<Function>, Vec<(usize, Option<Function>)>>> {
        let t = now();
        // Rows are locked in id order whatever order they were sent in, so two saves of the
        // same functions wait for each other instead of deadlocking (PostgreSQL).
        let mut order: Vec<usize> = (0..changes.len()).collect();
        order.sort_by_key(|&n| changes[n].function_id);
        let out = tx!(self, tx => {
            let mut saved: Vec<Option<Function>> = vec![None; changes.len()];
            let mut stale = Vec::new();
            for &n in &order {
                let c = &changes[n];
                let row = sqlx::query_as::<_, Row>(
                    "UPDATE functions SET business_owner_id = $3, execution_owner_id = $4, updated_at = $5, version = version + 1
                     WHERE workspace_id = $1 AND id = $2 AND version = $6
                     RETURNING id, name, description, sourcing, business_owner_id, execution_owner_id, weekly_hours, version")
                    .bind(ws).bind(c.function_id).bind(c.business_owner_id).bind(c.execution_owner_id)
                    .bind(t).bind(c.version)
                    .fetch_optional(&mut *tx).await?;
                match row {
                    Some(r) => saved[n] = Some(function(r)),
                    None => {
                        let now = sqlx::query_as::<_, Row>(
                            "SELECT id, name, description, sourcing, business_owner_id, execution_owner_id, weekly_hours, version
                             FROM functions WHERE workspace_id = $1 AND id = $2")
                            .bind(ws).bind(c.function_id)
                            .fetch_optional(&mut *tx).await?;
                        stale.push((n, now.map(function)));
                    }
                }
            }
            if !stale.is_empty() {
                // Dropping the transaction rolls back the rows already updated.
                stale.sort_by_key(|(n, _)| *n);
                return Ok(Err(stale));
            }
            saved.into_iter().flatten().collect::<Vec<Function>>()
        });
        Ok(Ok(out))
    }

    pub async fn delete_function(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM functions WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("functions", ws, id).await);
        }
        Ok(())
    }
}

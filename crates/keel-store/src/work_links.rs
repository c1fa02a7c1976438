//! Work items' links to the strategy (objective, priority, channel, offer) and the share of
//! untraced work a workspace accepts (migration 0053).

use crate::WorkspaceId;
use crate::{now, read, tx, Result, Store, StoreError};
use keel_domain::fit::{WorkLink, WorkLinkDraft};

#[derive(sqlx::FromRow)]
struct Row {
    work_id: i64,
    objective_id: Option<i64>,
    priority_id: Option<i64>,
    channel_id: Option<i64>,
    offer_id: Option<i64>,
    version: i64,
}

const COLUMNS: &str = "work_id, objective_id, priority_id, channel_id, offer_id, version";

fn link(r: Row) -> WorkLink {
    WorkLink {
        work_id: r.work_id,
        objective_id: r.objective_id,
        priority_id: r.priority_id,
        channel_id: r.channel_id,
        offer_id: r.offer_id,
        version: r.version,
    }
}

/// The untraced-work limit as stored (`None`: the default) and its version (0: never set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UntracedLimit {
    pub limit: Option<u32>,
    pub version: i64,
}

impl Store {
    /// Every saved link of the workspace, by work item.
    pub async fn list_work_links(&self, ws: WorkspaceId) -> Result<Vec<WorkLink>> {
        let sql =
            format!("SELECT {COLUMNS} FROM work_links WHERE workspace_id = $1 ORDER BY work_id");
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(link).collect())
    }

    /// One work item's links (`None`: never saved).
    pub async fn find_work_link(&self, ws: WorkspaceId, work_id: i64) -> Result<Option<WorkLink>> {
        let sql =
            format!("SELECT {COLUMNS} FROM work_links WHERE workspace_id = $1 AND work_id = $2");
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(work_id).fetch_optional(p).await)?;
        Ok(row.map(link))
    }

    /// Sets a work item's links if they are still at `expected` (0: never saved). The item
    /// must be the workspace's; the ids in `d` were checked against the author's view.
    pub async fn set_work_links(
        &self,
        ws: WorkspaceId,
        work_id: i64,
        expected: i64,
        d: &WorkLinkDraft,
    ) -> Result<WorkLink> {
        let t = now();
        let sql = format!(
            "INSERT INTO work_links (workspace_id, work_id, objective_id, priority_id, channel_id, offer_id, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)
             ON CONFLICT (workspace_id, work_id) DO UPDATE SET objective_id = excluded.objective_id,
                priority_id = excluded.priority_id, channel_id = excluded.channel_id, offer_id = excluded.offer_id,
                updated_at = excluded.updated_at, version = work_links.version + 1
             RETURNING {COLUMNS}"
        );
        let row = tx!(self, tx => {
            let item: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM work_items WHERE workspace_id = $1 AND id = $2")
                .bind(ws).bind(work_id).fetch_optional(&mut *tx).await?;
            if item.is_none() {
                return Err(StoreError::NotFound);
            }
            let current: Option<i64> = sqlx::query_scalar(
                "SELECT version FROM work_links WHERE workspace_id = $1 AND work_id = $2")
                .bind(ws).bind(work_id).fetch_optional(&mut *tx).await?;
            let current = current.unwrap_or(0);
            if current != expected {
                return Err(StoreError::Stale { current });
            }
            sqlx::query_as::<_, Row>(&sql)
                .bind(ws).bind(work_id).bind(d.objective_id).bind(d.priority_id)
                .bind(d.channel_id).bind(d.offer_id).bind(t)
                .fetch_one(&mut *tx).await?
        });
        Ok(link(row))
    }

    pub async fn untraced_limit(&self, ws: WorkspaceId) -> Result<UntracedLimit> {
        let row: Option<(i64, i64)> = read!(self, p => sqlx::query_as(
            "SELECT untraced_limit, version FROM fit_settings WHERE workspace_id = $1")
            .bind(ws).fetch_optional(p).await)?;
        Ok(match row {
            Some((l, v)) => UntracedLimit {
                limit: Some(l.clamp(0, 100) as u32),
                version: v,
            },
            None => UntracedLimit {
                limit: None,
                version: 0,
            },
        })
    }

    /// Sets the untraced-work limit (percent) if it is still at `expected` (0: never set).
    pub async fn set_untraced_limit(
        &self,
        ws: WorkspaceId,
        expected: i64,
        limit: u32,
    ) -> Result<UntracedLimit> {
        let version = tx!(self, tx => {
            let current: Option<i64> = sqlx::query_scalar(
                "SELECT version FROM fit_settings WHERE workspace_id = $1")
                .bind(ws).fetch_optional(&mut *tx).await?;
            let current = current.unwrap_or(0);
            if current != expected {
                return Err(StoreError::Stale { current });
            }
            let v: i64 = sqlx::query_scalar(
                "INSERT INTO fit_settings (workspace_id, untraced_limit, version) VALUES ($1, $2, 1)
                 ON CONFLICT (workspace_id) DO UPDATE SET untraced_limit = excluded.untraced_limit,
                    version = fit_settings.version + 1
                 RETURNING version")
                .bind(ws).bind(limit as i64).fetch_one(&mut *tx).await?;
            v
        });
        Ok(UntracedLimit {
            limit: Some(limit),
            version,
        })
    }
}

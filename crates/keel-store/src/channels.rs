//! Channels of a workspace and its channel-focus limit (migration 0015).

use crate::WorkspaceId;
use crate::{now, read, tx, write, Result, Store, StoreError};
use keel_domain::channel::{Channel, ChannelDraft, ChannelStatus, Phase};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    owner_id: Option<i64>,
    phase: String,
    status: String,
    monthly_budget: f64,
    version: i64,
}

const COLUMNS: &str = "id, name, owner_id, phase, status, monthly_budget, version";

fn channel(r: Row) -> Channel {
    Channel {
        id: r.id,
        name: r.name,
        owner_id: r.owner_id,
        phase: Phase::parse(&r.phase).unwrap_or(Phase::SegmentMarketing),
        status: ChannelStatus::parse(&r.status).unwrap_or(ChannelStatus::Paused),
        monthly_budget: r.monthly_budget,
        version: r.version,
    }
}

fn taken(e: sqlx::Error) -> StoreError {
    StoreError::unique(
        e,
        "A channel with this name already exists in this workspace.",
    )
}

/// The channel-focus limit as stored: the limit (`None`: the default) and its version (0
/// before it was first set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FocusLimit {
    pub limit: Option<usize>,
    pub version: i64,
}

impl Store {
    /// Channels by name.
    pub async fn list_channels(&self, ws: WorkspaceId) -> Result<Vec<Channel>> {
        let sql =
            format!("SELECT {COLUMNS} FROM channels WHERE workspace_id = $1 ORDER BY name, id");
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(channel).collect())
    }

    pub async fn find_channel(&self, ws: WorkspaceId, id: i64) -> Result<Option<Channel>> {
        let sql = format!("SELECT {COLUMNS} FROM channels WHERE workspace_id = $1 AND id = $2");
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(channel))
    }

    pub async fn create_channel(&self, ws: WorkspaceId, d: &ChannelDraft) -> Result<Channel> {
        let sql = format!(
            "INSERT INTO channels (workspace_id, name, owner_id, phase, status, monthly_budget, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(&d.name).bind(d.owner_id).bind(d.phase.as_str()).bind(d.status.as_str())
            .bind(d.monthly_budget).bind(now()).fetch_one(p).await)
        .map_err(taken)?;
        Ok(channel(row))
    }

    pub async fn update_channel(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &ChannelDraft,
    ) -> Result<Channel> {
        let sql = format!(
            "UPDATE channels SET name = $3, owner_id = $4, phase = $5, status = $6, monthly_budget = $7,
                    updated_at = $8, version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $9 RETURNING {COLUMNS}"
        );
        let row = write!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(ws).bind(id).bind(&d.name).bind(d.owner_id).bind(d.phase.as_str()).bind(d.status.as_str())
            .bind(d.monthly_budget).bind(now()).bind(expected).fetch_optional(p).await)
        .map_err(taken)?;
        match row {
            Some(r) => Ok(channel(r)),
            None => Err(self.missing_or_stale("channels", ws, id).await),
        }
    }

    pub async fn delete_channel(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM channels WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("channels", ws, id).await);
        }
        Ok(())
    }

    pub async fn channel_focus_limit(&self, ws: WorkspaceId) -> Result<FocusLimit> {
        let row: Option<(i64, i64)> = read!(self, p => sqlx::query_as(
            "SELECT channel_focus_limit, version FROM workspace_settings WHERE workspace_id = $1")
            .bind(ws).fetch_optional(p).await)?;
        Ok(match row {
            Some((l, v)) => FocusLimit {
                limit: Some(l.max(0) as usize),
                version: v,
            },
            None => FocusLimit {
                limit: None,
                version: 0,
            },
        })
    }

    /// Sets the limit if it is still at `expected` version (0: never set).
    pub async fn set_channel_focus_limit(
        &self,
        ws: WorkspaceId,
        expected: i64,
        limit: usize,
    ) -> Result<FocusLimit> {
        let version = tx!(self, tx => {
            let current: Option<i64> = sqlx::query_scalar(
                "SELECT version FROM workspace_settings WHERE workspace_id = $1")
                .bind(ws).fetch_optional(&mut *tx).await?;
            let current = current.unwrap_or(0);
            if current != expected {
                return Err(StoreError::Stale { current });
            }
            let v: i64 = sqlx::query_scalar(
                "INSERT INTO workspace_settings (workspace_id, channel_focus_limit, version) VALUES ($1, $2, 1)
                 ON CONFLICT (workspace_id) DO UPDATE SET channel_focus_limit = excluded.channel_focus_limit,
                    version = workspace_settings.version + 1
                 RETURNING version")
                .bind(ws).bind(limit as i64).fetch_one(&mut *tx).await?;
            v
        });
        Ok(FocusLimit {
            limit: Some(limit),
            version,
        })
    }
}

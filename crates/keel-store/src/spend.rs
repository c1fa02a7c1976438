//! Spend per channel or campaign and month. One record per (month, channel, campaign); setting
//! it again replaces the amount.

use crate::WorkspaceId;
use crate::{now, read, tx, write, Result, Store, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Spend {
    pub id: i64,
    /// `yyyymm`.
    pub month: i64,
    /// '' when the spend is for a campaign only.
    pub channel: String,
    /// '' when the spend is for a whole channel.
    pub campaign: String,
    pub amount_cents: i64,
    pub version: i64,
}

const COLUMNS: &str = "id, month, channel, campaign, amount_cents, version";

impl Store {
    /// Sets the spend of a channel and/or campaign in a month (creates or replaces it).
    pub async fn set_spend(
        &self,
        ws: WorkspaceId,
        month: i64,
        channel: &str,
        campaign: &str,
        cents: i64,
    ) -> Result<Spend> {
        let sql = format!(
            "INSERT INTO spend (workspace_id, month, channel, campaign, amount_cents, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (workspace_id, month, channel, campaign) DO UPDATE SET amount_cents = excluded.amount_cents,
                updated_at = excluded.updated_at, version = spend.version + 1
             RETURNING {COLUMNS}"
        );
        Ok(write!(self, p => sqlx::query_as::<_, Spend>(&sql)
            .bind(ws).bind(month).bind(channel).bind(campaign).bind(cents).bind(now()).fetch_one(p).await)?)
    }

    /// Sets every spend of a table (`keel_import::spend`) in one transaction: all of them or,
    /// should one fail, none. Returns how many were set.
    pub async fn set_spend_many(
        &self,
        ws: WorkspaceId,
        rows: &[keel_domain::lead::spend::SpendDraft],
    ) -> Result<usize> {
        let t = now();
        tx!(self, tx => {
            for d in rows {
                sqlx::query(
                    "INSERT INTO spend (workspace_id, month, channel, campaign, amount_cents, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (workspace_id, month, channel, campaign) DO UPDATE SET amount_cents = excluded.amount_cents,
                        updated_at = excluded.updated_at, version = spend.version + 1")
                    .bind(ws).bind(d.month).bind(&d.channel).bind(&d.campaign).bind(d.amount_cents).bind(t)
                    .execute(&mut *tx).await?;
            }
        });
        Ok(rows.len())
    }

    /// Spend records in the months given (inclusive), by month then channel and campaign.
    pub async fn list_spend(&self, ws: WorkspaceId, m: crate::Months) -> Result<Vec<Spend>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM spend WHERE workspace_id = $1 AND ($2 IS NULL OR month >= $2) AND ($3 IS NULL OR month <= $3)
             ORDER BY month DESC, channel, campaign"
        );
        Ok(
            read!(self, p => sqlx::query_as::<_, Spend>(&sql).bind(ws).bind(m.from).bind(m.to).fetch_all(p).await)?,
        )
    }

    /// Removes a spend record, if it is still at the `expected` version (when given).
    pub async fn delete_spend(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: Option<i64>,
    ) -> Result<()> {
        let current: Option<i64> = read!(self, p => sqlx::query_scalar("SELECT version FROM spend WHERE workspace_id = $1 AND id = $2")
            .bind(ws).bind(id).fetch_optional(p).await)?;
        let Some(current) = current else {
            return Err(StoreError::NotFound);
        };
        let n = write!(self, p => sqlx::query("DELETE FROM spend WHERE workspace_id = $1 AND id = $2 AND ($3 IS NULL OR version = $3)")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::Stale { current });
        }
        Ok(())
    }
}

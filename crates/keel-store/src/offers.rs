//! Offers of a workspace and the channels that carry them (migration 0019).

use crate::WorkspaceId;
use crate::{now, read, tx, write, Result, Store, StoreError};
use keel_domain::offer::{Offer, OfferDraft, OfferKind, OfferStatus};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    kind: String,
    audience: Option<String>,
    owner_id: Option<i64>,
    status: String,
    version: i64,
}

const COLUMNS: &str = "id, name, kind, audience, owner_id, status, version";

fn offer(r: Row, channel_ids: Vec<i64>) -> Offer {
    Offer {
        id: r.id,
        name: r.name,
        kind: OfferKind::parse(&r.kind).unwrap_or(OfferKind::Other),
        audience: r.audience,
        owner_id: r.owner_id,
        status: OfferStatus::parse(&r.status).unwrap_or(OfferStatus::Planned),
        channel_ids,
        version: r.version,
    }
}

fn taken(e: sqlx::Error) -> StoreError {
    StoreError::unique(
        e,
        "An offer with this name already exists in this workspace.",
    )
}

impl Store {
    /// Offers by name, each with its channels.
    pub async fn list_offers(&self, ws: WorkspaceId) -> Result<Vec<Offer>> {
        let sql = format!("SELECT {COLUMNS} FROM offers WHERE workspace_id = $1 ORDER BY name, id");
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).fetch_all(p).await)?;
        let links: Vec<(i64, i64)> = read!(self, p => sqlx::query_as(
            "SELECT offer_id, channel_id FROM offer_channels WHERE workspace_id = $1 ORDER BY offer_id, channel_id")
            .bind(ws).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let ids = links.iter().filter(|l| l.0 == r.id).map(|l| l.1).collect();
                offer(r, ids)
            })
            .collect())
    }

    pub async fn find_offer(&self, ws: WorkspaceId, id: i64) -> Result<Option<Offer>> {
        Ok(self.list_offers(ws).await?.into_iter().find(|o| o.id == id))
    }

    pub async fn create_offer(&self, ws: WorkspaceId, d: &OfferDraft) -> Result<Offer> {
        let sql = format!(
            "INSERT INTO offers (workspace_id, name, kind, audience, owner_id, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLUMNS}"
        );
        let row = tx!(self, tx => {
            let row = sqlx::query_as::<_, Row>(&sql)
                .bind(ws).bind(&d.name).bind(d.kind.as_str()).bind(&d.audience).bind(d.owner_id)
                .bind(d.status.as_str()).bind(now()).fetch_one(&mut *tx).await.map_err(taken)?;
            for c in &d.channel_ids {
                sqlx::query("INSERT INTO offer_channels (workspace_id, offer_id, channel_id) VALUES ($1, $2, $3)")
                    .bind(ws).bind(row.id).bind(c).execute(&mut *tx).await?;
            }
            row
        });
        Ok(offer(row, d.channel_ids.clone()))
    }

    pub async fn update_offer(
        &self,
        ws: WorkspaceId,
        id: i64,
        expected: i64,
        d: &OfferDraft,
    ) -> Result<Offer> {
        let sql = format!(
            "UPDATE offers SET name = $3, kind = $4, audience = $5, owner_id = $6, status = $7,
                    updated_at = $8, version = version + 1
             WHERE workspace_id = $1 AND id = $2 AND version = $9 RETURNING {COLUMNS}"
        );
        let row = tx!(self, tx => {
            let row = sqlx::query_as::<_, Row>(&sql)
                .bind(ws).bind(id).bind(&d.name).bind(d.kind.as_str()).bind(&d.audience).bind(d.owner_id)
                .bind(d.status.as_str()).bind(now()).bind(expected)
                .fetch_optional(&mut *tx).await.map_err(taken)?;
            let Some(row) = row else {
                let current: Option<i64> = sqlx::query_scalar(
                    "SELECT version FROM offers WHERE workspace_id = $1 AND id = $2")
                    .bind(ws).bind(id).fetch_optional(&mut *tx).await?;
                return Err(match current {
                    Some(current) => StoreError::Stale { current },
                    None => StoreError::NotFound,
                });
            };
            sqlx::query("DELETE FROM offer_channels WHERE workspace_id = $1 AND offer_id = $2")
                .bind(ws).bind(id).execute(&mut *tx).await?;
            for c in &d.channel_ids {
                sqlx::query("INSERT INTO offer_channels (workspace_id, offer_id, channel_id) VALUES ($1, $2, $3)")
                    .bind(ws).bind(id).bind(c).execute(&mut *tx).await?;
            }
            row
        });
        Ok(offer(row, d.channel_ids.clone()))
    }

    /// Removes an offer and its channel links.
    pub async fn delete_offer(&self, ws: WorkspaceId, id: i64, expected: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "DELETE FROM offers WHERE workspace_id = $1 AND id = $2 AND version = $3")
            .bind(ws).bind(id).bind(expected).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(self.missing_or_stale("offers", ws, id).await);
        }
        Ok(())
    }
}

//! Secret calendar feed addresses: one per workspace or per person, stored hashed, revocable.

use crate::{now, read, write, Result, Store, StoreError};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Feed {
    pub id: i64,
    pub workspace_id: i64,
    pub person_id: Option<i64>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

impl Store {
    pub async fn create_feed(
        &self,
        ws: i64,
        person_id: Option<i64>,
        token_hash: &str,
        by_user: i64,
    ) -> Result<Feed> {
        Ok(write!(self, p => sqlx::query_as::<_, Feed>(
            "INSERT INTO calendar_feeds (workspace_id, person_id, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
             RETURNING id, workspace_id, person_id, created_at, revoked_at")
            .bind(ws).bind(person_id).bind(token_hash).bind(by_user).bind(now()).fetch_one(p).await)?)
    }

    pub async fn list_feeds(&self, ws: i64) -> Result<Vec<Feed>> {
        Ok(read!(self, p => sqlx::query_as::<_, Feed>(
            "SELECT id, workspace_id, person_id, created_at, revoked_at FROM calendar_feeds WHERE workspace_id = $1 ORDER BY id DESC")
            .bind(ws).fetch_all(p).await)?)
    }

    /// The live feed a secret address names, if any.
    pub async fn find_feed(&self, token_hash: &str) -> Result<Option<Feed>> {
        Ok(read!(self, p => sqlx::query_as::<_, Feed>(
            "SELECT id, workspace_id, person_id, created_at, revoked_at FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash).fetch_optional(p).await)?)
    }

    pub async fn revoke_feed(&self, ws: i64, id: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query("UPDATE calendar_feeds SET revoked_at = $1 WHERE workspace_id = $2 AND id = $3 AND revoked_at IS NULL")
            .bind(now()).bind(ws).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

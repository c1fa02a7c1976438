//! Secret calendar feed addresses: one per workspace or per person, stored hashed, revocable.

use crate::workspaces::{role, LINKED_PERSON};
use crate::WorkspaceId;
use crate::{now, read, write, Result, Store, StoreError};
use keel_domain::Role;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Feed {
    pub id: i64,
    pub workspace_id: WorkspaceId,
    pub person_id: Option<i64>,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// A feed that still answers, and what its owner may see.
#[derive(Debug, Clone)]
pub struct LiveFeed {
    pub feed: Feed,
    pub owner_role: Role,
    pub owner_person_id: Option<i64>,
    /// The workspace's address and data version: links back into it, and its cached model.
    pub workspace_slug: String,
    pub data_version: i64,
}

impl Store {
    pub async fn create_feed(
        &self,
        ws: WorkspaceId,
        person_id: Option<i64>,
        token_hash: &str,
        by_user: i64,
    ) -> Result<Feed> {
        Ok(write!(self, p => sqlx::query_as::<_, Feed>(
            "INSERT INTO calendar_feeds (workspace_id, person_id, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
             RETURNING id, workspace_id, person_id, created_at, revoked_at")
            .bind(ws).bind(person_id).bind(token_hash).bind(by_user).bind(now()).fetch_one(p).await)?)
    }

    pub async fn list_feeds(&self, ws: WorkspaceId) -> Result<Vec<Feed>> {
        Ok(read!(self, p => sqlx::query_as::<_, Feed>(
            "SELECT id, workspace_id, person_id, created_at, revoked_at FROM calendar_feeds WHERE workspace_id = $1 ORDER BY id DESC")
            .bind(ws).fetch_all(p).await)?)
    }

    /// The live feed a secret address names, with what its owner (the member who made it) may
    /// see now: a feed ends with its owner's membership, and follows their role and linked
    /// person as they change.
    pub async fn find_feed(&self, token_hash: &str) -> Result<Option<LiveFeed>> {
        #[derive(sqlx::FromRow)]
        struct FeedRow {
            id: i64,
            workspace_id: WorkspaceId,
            person_id: Option<i64>,
            created_at: i64,
            revoked_at: Option<i64>,
            owner_role: String,
            owner_person_id: Option<i64>,
            workspace_slug: String,
            data_version: i64,
        }
        let sql = format!(
            "SELECT f.id, f.workspace_id, f.person_id, f.created_at, f.revoked_at, m.role AS owner_role,
                    {LINKED_PERSON} AS owner_person_id, w.slug AS workspace_slug, w.data_version
             FROM calendar_feeds f JOIN memberships m ON m.workspace_id = f.workspace_id AND m.user_id = f.created_by
             JOIN workspaces w ON w.id = f.workspace_id
             WHERE f.token_hash = $1 AND f.revoked_at IS NULL"
        );
        let r = read!(self, p => sqlx::query_as::<_, FeedRow>(&sql).bind(token_hash).fetch_optional(p).await)?;
        Ok(r.map(|r| LiveFeed {
            feed: Feed {
                id: r.id,
                workspace_id: r.workspace_id,
                person_id: r.person_id,
                created_at: r.created_at,
                revoked_at: r.revoked_at,
            },
            owner_role: role(&r.owner_role),
            owner_person_id: r.owner_person_id,
            workspace_slug: r.workspace_slug,
            data_version: r.data_version,
        }))
    }

    pub async fn revoke_feed(&self, ws: WorkspaceId, id: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query("UPDATE calendar_feeds SET revoked_at = $1 WHERE workspace_id = $2 AND id = $3 AND revoked_at IS NULL")
            .bind(now()).bind(ws).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

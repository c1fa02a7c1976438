//! Personal API tokens: bound to one workspace and one role, stored as a hash, revocable.

use crate::workspaces::{role, LINKED_PERSON};
use crate::WorkspaceId;
use crate::{now, read, write, Result, Store, StoreError};
use keel_domain::Role;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub workspace_id: WorkspaceId,
    pub user_id: i64,
    pub user_email: String,
    pub name: String,
    pub role: Role,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// What a valid token grants: the caller acts as `user_id` in one workspace, with the lower
/// of the token's role and the user's current role there.
#[derive(Debug, Clone)]
pub struct TokenAuth {
    pub token_id: i64,
    pub user_id: i64,
    pub user_email: String,
    pub user_name: String,
    pub workspace_id: WorkspaceId,
    pub workspace_slug: String,
    pub workspace_name: String,
    pub data_version: i64,
    pub role: Role,
    /// The person linked to the token's user in its workspace.
    pub person_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    workspace_id: WorkspaceId,
    user_id: i64,
    user_email: String,
    name: String,
    role: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

fn token(r: Row) -> ApiToken {
    ApiToken {
        id: r.id,
        workspace_id: r.workspace_id,
        user_id: r.user_id,
        user_email: r.user_email,
        name: r.name,
        role: role(&r.role),
        created_at: r.created_at,
        last_used_at: r.last_used_at,
        revoked_at: r.revoked_at,
    }
}

impl Store {
    pub async fn create_token(
        &self,
        ws: WorkspaceId,
        user_id: i64,
        name: &str,
        token_hash: &str,
        role: Role,
    ) -> Result<ApiToken> {
        let id: i64 = write!(self, p => sqlx::query_scalar(
            "INSERT INTO api_tokens (workspace_id, user_id, name, token_hash, role, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(ws).bind(user_id).bind(name).bind(token_hash).bind(role.as_str()).bind(now())
            .fetch_one(p).await)?;
        self.find_token(ws, id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn find_token(&self, ws: WorkspaceId, id: i64) -> Result<Option<ApiToken>> {
        let row = read!(self, p => sqlx::query_as::<_, Row>(
            "SELECT t.id, t.workspace_id, t.user_id, u.email AS user_email, t.name, t.role, t.created_at, t.last_used_at, t.revoked_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.workspace_id = $1 AND t.id = $2")
            .bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(token))
    }

    /// Every token of the workspace, or only one user's when `user_id` is given.
    pub async fn list_tokens(
        &self,
        ws: WorkspaceId,
        user_id: Option<i64>,
    ) -> Result<Vec<ApiToken>> {
        let rows = read!(self, p => sqlx::query_as::<_, Row>(
            "SELECT t.id, t.workspace_id, t.user_id, u.email AS user_email, t.name, t.role, t.created_at, t.last_used_at, t.revoked_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.workspace_id = $1 AND ($2 IS NULL OR t.user_id = $2) ORDER BY t.created_at DESC, t.id DESC")
            .bind(ws).bind(user_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(token).collect())
    }

    pub async fn revoke_token(&self, ws: WorkspaceId, id: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE workspace_id = $2 AND id = $3 AND revoked_at IS NULL")
            .bind(now()).bind(ws).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Resolves a token hash in one query; revoked tokens and users no longer in the
    /// workspace resolve to nothing.
    pub async fn authenticate_token(&self, token_hash: &str) -> Result<Option<TokenAuth>> {
        #[derive(sqlx::FromRow)]
        struct A {
            token_id: i64,
            user_id: i64,
            user_email: String,
            user_name: String,
            workspace_id: WorkspaceId,
            workspace_slug: String,
            workspace_name: String,
            data_version: i64,
            token_role: String,
            member_role: String,
            person_id: Option<i64>,
        }
        let sql = format!(
            "SELECT t.id AS token_id, t.user_id, u.email AS user_email, u.name AS user_name, t.workspace_id,
                    w.slug AS workspace_slug, w.name AS workspace_name, w.data_version, t.role AS token_role, m.role AS member_role,
                    {LINKED_PERSON} AS person_id
             FROM api_tokens t
             JOIN users u ON u.id = t.user_id
             JOIN workspaces w ON w.id = t.workspace_id
             JOIN memberships m ON m.workspace_id = t.workspace_id AND m.user_id = t.user_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
        );
        let row = read!(self, p => sqlx::query_as::<_, A>(&sql)
            .bind(token_hash).fetch_optional(p).await)?;
        // A token outlives role changes: it acts with the narrower of its role and the
        // member's, and not at all when neither covers the other.
        Ok(row.and_then(|a| {
            let role = role(&a.token_role).narrowed_by(role(&a.member_role))?;
            Some(TokenAuth {
                token_id: a.token_id,
                user_id: a.user_id,
                user_email: a.user_email,
                user_name: a.user_name,
                workspace_id: a.workspace_id,
                workspace_slug: a.workspace_slug,
                workspace_name: a.workspace_name,
                data_version: a.data_version,
                role,
                person_id: a.person_id,
            })
        }))
    }
}

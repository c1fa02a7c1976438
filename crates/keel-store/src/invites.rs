//! Single-use, expiring invitations to a workspace. Codes arrive already hashed.

use crate::WorkspaceId;
use crate::{now, read, tx, workspaces::role, write, Result, Store, StoreError};
use keel_domain::Role;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Invite {
    pub id: i64,
    pub workspace_id: WorkspaceId,
    pub workspace_slug: String,
    pub workspace_name: String,
    pub role: Role,
    pub email: Option<String>,
    pub created_by: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteStatus {
    Pending,
    Used,
    Expired,
}

impl Invite {
    /// An invitation bound to an email admits only the account with that email; an unbound
    /// one admits anyone holding the link. Emails are stored lowercased.
    pub fn admits(&self, email: &str) -> bool {
        self.email
            .as_deref()
            .is_none_or(|want| want == email.trim().to_lowercase())
    }

    pub fn status(&self, now: i64) -> InviteStatus {
        if self.used_at.is_some() {
            InviteStatus::Used
        } else if self.expires_at <= now {
            InviteStatus::Expired
        } else {
            InviteStatus::Pending
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    workspace_id: WorkspaceId,
    workspace_slug: String,
    workspace_name: String,
    role: String,
    email: Option<String>,
    created_by: i64,
    created_at: i64,
    expires_at: i64,
    used_at: Option<i64>,
}

fn invite(r: Row) -> Invite {
    Invite {
        id: r.id,
        workspace_id: r.workspace_id,
        workspace_slug: r.workspace_slug,
        workspace_name: r.workspace_name,
        role: role(&r.role),
        email: r.email,
        created_by: r.created_by,
        created_at: r.created_at,
        expires_at: r.expires_at,
        used_at: r.used_at,
    }
}

const SELECT: &str = "SELECT i.id, i.workspace_id, w.slug AS workspace_slug, w.name AS workspace_name, i.role, i.email,
    i.created_by, i.created_at, i.expires_at, i.used_at FROM invites i JOIN workspaces w ON w.id = i.workspace_id";

impl Store {
    pub async fn create_invite(
        &self,
        ws: WorkspaceId,
        code_hash: &str,
        role: Role,
        email: Option<&str>,
        created_by: i64,
        expires_at: i64,
    ) -> Result<Invite> {
        let id: i64 = write!(self, p => sqlx::query_scalar(
            "INSERT INTO invites (workspace_id, code_hash, role, email, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(ws).bind(code_hash).bind(role.as_str()).bind(email).bind(created_by).bind(now()).bind(expires_at)
            .fetch_one(p).await)?;
        self.find_invite(ws, id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn find_invite(&self, ws: WorkspaceId, id: i64) -> Result<Option<Invite>> {
        let sql = format!("{SELECT}{}", " WHERE i.workspace_id = $1 AND i.id = $2");
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).bind(id).fetch_optional(p).await)?;
        Ok(row.map(invite))
    }

    pub async fn find_invite_by_code(&self, code_hash: &str) -> Result<Option<Invite>> {
        let sql = format!("{SELECT}{}", " WHERE i.code_hash = $1");
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(code_hash).fetch_optional(p).await)?;
        Ok(row.map(invite))
    }

    /// Invites not yet used, newest first (expired ones included, so they can be revoked).
    pub async fn list_invites(&self, ws: WorkspaceId) -> Result<Vec<Invite>> {
        let sql = format!("{SELECT}{}", " WHERE i.workspace_id = $1 AND i.used_at IS NULL ORDER BY i.created_at DESC, i.id DESC");
        let rows = read!(self, p => sqlx::query_as::<_, Row>(&sql).bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(invite).collect())
    }

    pub async fn delete_invite(&self, ws: WorkspaceId, id: i64) -> Result<()> {
        let n = write!(self, p => sqlx::query("DELETE FROM invites WHERE workspace_id = $1 AND id = $2")
            .bind(ws).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Uses the invite for `user_id` and makes them a member, atomically: of two people
    /// opening the same link at once, one gets in and the other is told it was used. An
    /// invite bound to an email is used only by the account with that email, whoever calls.
    pub async fn accept_invite(&self, invite_id: i64, user_id: i64) -> Result<()> {
        let t = now();
        tx!(self, tx => {
            let claimed: Option<(i64, String)> = sqlx::query_as(
                "UPDATE invites SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL AND expires_at > $1
                   AND (email IS NULL OR email = (SELECT email FROM users WHERE id = $2))
                 RETURNING workspace_id, role")
                .bind(t).bind(user_id).bind(invite_id).fetch_optional(&mut *tx).await?;
            let Some((ws, role)) = claimed else {
                return Err(StoreError::Conflict("This invitation was already used, has expired or is for another email. Ask for a new link.".into()));
            };
            // Joining never lowers a role the user already holds.
            sqlx::query(
                "INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (workspace_id, user_id) DO NOTHING")
                .bind(ws).bind(user_id).bind(role).bind(t).execute(&mut *tx).await?;
        });
        Ok(())
    }
}

//! The weekly digest by email: who wants it (a choice per membership, off by default), and
//! which digests went out. A digest is sent by the node that claims its row
//! `(workspace, account, week)` first, so several nodes on one database send it once.

use crate::workspaces::role;
use crate::{now, read, write, Result, Store, StoreError, Workspace, WorkspaceId};
use keel_domain::Role;

/// A member who asked for the weekly digest of a workspace.
#[derive(Debug, Clone)]
pub struct DigestRecipient {
    pub workspace: Workspace,
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The person record linked to the account in the workspace, if any.
    pub person_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct RecipientRow {
    ws_id: i64,
    ws_slug: String,
    ws_name: String,
    ws_created_at: i64,
    ws_data_version: i64,
    ws_time_zone: String,
    ws_version: i64,
    user_id: i64,
    email: String,
    name: String,
    role: String,
    person_id: Option<i64>,
}

/// A workspace of an account, its role there, and whether it gets the weekly digest.
#[derive(Debug, Clone)]
pub struct DigestChoice {
    pub workspace: Workspace,
    pub role: Role,
    pub weekly_digest: bool,
}

const RECIPIENTS: &str = "SELECT w.id AS ws_id, w.slug AS ws_slug, w.name AS ws_name, w.created_at AS ws_created_at,
       w.data_version AS ws_data_version, w.time_zone AS ws_time_zone, w.version AS ws_version,
       u.id AS user_id, u.email, u.name, m.role,
       (SELECT p.id FROM people p WHERE p.workspace_id = m.workspace_id AND p.user_id = m.user_id ORDER BY p.id LIMIT 1) AS person_id
     FROM memberships m JOIN workspaces w ON w.id = m.workspace_id JOIN users u ON u.id = m.user_id
     WHERE m.weekly_digest = TRUE";

impl Store {
    /// Every member who gets the weekly digest, by workspace.
    pub async fn digest_recipients(&self) -> Result<Vec<DigestRecipient>> {
        let sql = format!("{RECIPIENTS} ORDER BY w.id, u.id");
        let rows = read!(self, p => sqlx::query_as::<_, RecipientRow>(&sql).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| DigestRecipient {
                workspace: Workspace {
                    id: WorkspaceId(r.ws_id),
                    slug: r.ws_slug,
                    name: r.ws_name,
                    created_at: r.ws_created_at,
                    data_version: r.ws_data_version,
                    time_zone: r.ws_time_zone,
                    version: r.ws_version,
                },
                user_id: r.user_id,
                email: r.email,
                name: r.name,
                role: role(&r.role),
                person_id: r.person_id,
            })
            .collect())
    }

    /// The account's workspaces with its digest choice in each, by workspace name.
    pub async fn digest_choices(&self, user_id: i64) -> Result<Vec<DigestChoice>> {
        let memberships = self.workspaces_of(user_id).await?;
        let on: Vec<i64> = read!(self, p => sqlx::query_scalar(
            "SELECT workspace_id FROM memberships WHERE user_id = $1 AND weekly_digest = TRUE")
            .bind(user_id).fetch_all(p).await)?;
        Ok(memberships
            .into_iter()
            .map(|(w, r)| DigestChoice {
                weekly_digest: on.contains(&w.id.0),
                workspace: w,
                role: r,
            })
            .collect())
    }

    /// Turns the account's weekly digest of `ws` on or off. Not a new version of the
    /// membership: an admin changing the role meanwhile is not refused for it. Audited like
    /// every change to a membership.
    pub async fn set_weekly_digest(&self, ws: WorkspaceId, user_id: i64, on: bool) -> Result<()> {
        let n = write!(self, p => sqlx::query(
            "UPDATE memberships SET weekly_digest = $3 WHERE workspace_id = $1 AND user_id = $2 AND weekly_digest <> $3")
            .bind(ws).bind(user_id).bind(on).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 && self.find_member(ws, user_id).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Claims the digest of `week` (its Monday's day number) for the account in `ws`: true
    /// for exactly one caller, however many nodes ask at once.
    pub async fn claim_digest(&self, ws: WorkspaceId, user_id: i64, week: i64) -> Result<bool> {
        let claimed: Option<i64> = write!(self, p => sqlx::query_scalar(
            "INSERT INTO digest_sends (workspace_id, user_id, week, claimed_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (workspace_id, user_id, week) DO NOTHING RETURNING week")
            .bind(ws).bind(user_id).bind(week).bind(now()).fetch_optional(p).await)?;
        Ok(claimed.is_some())
    }

    /// Whether the digest of `week` is claimed already (sent, or being sent).
    pub async fn digest_claimed(&self, ws: WorkspaceId, user_id: i64, week: i64) -> Result<bool> {
        let n: i64 = read!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM digest_sends WHERE workspace_id = $1 AND user_id = $2 AND week = $3")
            .bind(ws).bind(user_id).bind(week).fetch_one(p).await)?;
        Ok(n > 0)
    }

    /// After a claim: marks the digest sent, or gives the claim back when the mail server did
    /// not take it, so a later look (on any node) tries again.
    pub async fn finish_digest(
        &self,
        ws: WorkspaceId,
        user_id: i64,
        week: i64,
        sent: bool,
    ) -> Result<()> {
        let sql = if sent {
            "UPDATE digest_sends SET sent_at = $4 WHERE workspace_id = $1 AND user_id = $2 AND week = $3"
        } else {
            "DELETE FROM digest_sends WHERE workspace_id = $1 AND user_id = $2 AND week = $3 AND $4 >= 0"
        };
        write!(self, p => sqlx::query(sql)
            .bind(ws).bind(user_id).bind(week).bind(now()).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// The days of the weeks digests were sent for, newest first (for tests and the CLI).
    pub async fn digests_sent(&self, ws: WorkspaceId, user_id: i64) -> Result<Vec<i64>> {
        Ok(read!(self, p => sqlx::query_scalar(
            "SELECT week FROM digest_sends WHERE workspace_id = $1 AND user_id = $2 AND sent_at IS NOT NULL ORDER BY week DESC")
            .bind(ws).bind(user_id).fetch_all(p).await)?)
    }
}

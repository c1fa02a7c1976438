//! Sign-in sessions and sign-in attempt counters, kept in the database so that every keel
//! node on the same PostgreSQL accepts the same sessions and enforces the same limits.
//! Session ids arrive already hashed: the database never sees a usable cookie value.

use crate::workspaces::{Membership, MembershipRow, LINKED_PERSON, MEMBERSHIP_COLUMNS};
use crate::{now, read, write, Result, Store};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRecord {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

impl Store {
    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        csrf_token: &str,
    ) -> Result<()> {
        let t = now();
        write!(self, p => sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)")
            .bind(id_hash).bind(user_id).bind(csrf_token).bind(t).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The session, its user and, when a workspace is named, the user's membership of it, in
    /// one query: this runs on every signed-in request, so on PostgreSQL its answer is kept
    /// in memory while nothing it reads changes (session_cache.rs).
    pub async fn find_session(
        &self,
        id_hash: &str,
        workspace_slug: Option<&str>,
    ) -> Result<Option<(SessionRecord, Option<Membership>)>> {
        if let Some(found) = self.sessions.get(id_hash, workspace_slug) {
            return Ok(Some(found));
        }
        let generation = self.sessions.generation();
        let found = self.read_session(id_hash, workspace_slug).await?;
        // A workspace the user is not a member of is not kept: every page of it is "not found"
        // anyway, and made-up names could otherwise crowd out the real entries.
        if let (Some(g), Some(f)) = (generation, &found) {
            if workspace_slug.is_none() || f.1.is_some() {
                self.sessions.keep(g, id_hash, workspace_slug, f);
            }
        }
        Ok(found)
    }

    async fn read_session(
        &self,
        id_hash: &str,
        workspace_slug: Option<&str>,
    ) -> Result<Option<(SessionRecord, Option<Membership>)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            session: SessionRecord,
            #[sqlx(flatten)]
            membership: MembershipRow,
        }
        let sql = format!(
            "SELECT s.user_id, u.email, u.name, s.csrf_token, s.created_at, s.last_seen_at, {MEMBERSHIP_COLUMNS}, {LINKED_PERSON} AS ws_person_id
             FROM sessions s JOIN users u ON u.id = s.user_id
             LEFT JOIN memberships m ON m.user_id = s.user_id
                AND m.workspace_id = (SELECT id FROM workspaces WHERE slug = $2)
             LEFT JOIN workspaces w ON w.id = m.workspace_id
             WHERE s.id_hash = $1"
        );
        let row = read!(self, p => sqlx::query_as::<_, Row>(&sql)
            .bind(id_hash).bind(workspace_slug).fetch_optional(p).await)?;
        Ok(row.map(|r| (r.session, r.membership.membership())))
    }

    pub async fn touch_session(&self, id_hash: &str) -> Result<()> {
        write!(self, p => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now()).bind(id_hash).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        write!(self, p => sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn delete_sessions_for_user(&self, user_id: i64) -> Result<()> {
        write!(self, p => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Removes sessions idle since `idle_before` or created before `created_before`.
    pub async fn purge_sessions(&self, idle_before: i64, created_before: i64) -> Result<u64> {
        Ok(
            write!(self, p => sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_before).bind(created_before).execute(p).await.map(|r| r.rows_affected()))?,
        )
    }

    /// Removes sign-in counters whose window started before `window_before`: they count
    /// nothing any more (the next attempt would restart them).
    pub async fn purge_login_attempts(&self, window_before: i64) -> Result<u64> {
        Ok(
            write!(self, p => sqlx::query("DELETE FROM login_attempts WHERE window_start <= $1")
            .bind(window_before).execute(p).await.map(|r| r.rows_affected()))?,
        )
    }

    /// Sign-in attempts counted under `key` within the current window of `window` seconds.
    pub async fn login_failures(&self, key: &str, window: i64) -> Result<i64> {
        let row: Option<(i64, i64)> = read!(self, p => sqlx::query_as(
            "SELECT window_start, failures FROM login_attempts WHERE key = $1")
            .bind(key).fetch_optional(p).await)?;
        Ok(match row {
            Some((start, n)) if start > now() - window => n,
            _ => 0,
        })
    }

    /// Counts one sign-in attempt under both `account` and `address` and returns their counts
    /// including this one, in one statement: counting and reading cannot interleave with a
    /// concurrent attempt, so N attempts at once are counted 1..=N. A window older than
    /// `window` seconds restarts at 1.
    pub async fn count_login_attempt(
        &self,
        account: &str,
        address: &str,
        window: i64,
    ) -> Result<(i64, i64)> {
        let t = now();
        let rows: Vec<(String, i64)> = write!(self, p => sqlx::query_as(
            "INSERT INTO login_attempts (key, window_start, failures) VALUES ($1, $3, 1), ($2, $3, 1)
             ON CONFLICT (key) DO UPDATE SET
               failures = CASE WHEN login_attempts.window_start <= $4 THEN 1 ELSE login_attempts.failures + 1 END,
               window_start = CASE WHEN login_attempts.window_start <= $4 THEN $3 ELSE login_attempts.window_start END
             RETURNING key, failures")
            .bind(account).bind(address).bind(t).bind(t - window).fetch_all(p).await)?;
        let count = |k: &str| rows.iter().find(|(key, _)| key == k).map_or(0, |r| r.1);
        Ok((count(account), count(address)))
    }

    /// Takes back one attempt counted under `key` (a sign-in that succeeded).
    pub async fn forgive_login_attempt(&self, key: &str) -> Result<()> {
        write!(self, p => sqlx::query("UPDATE login_attempts SET failures = failures - 1 WHERE key = $1 AND failures > 0")
            .bind(key).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn clear_login_failures(&self, key: &str) -> Result<()> {
        write!(self, p => sqlx::query("DELETE FROM login_attempts WHERE key = $1").bind(key).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

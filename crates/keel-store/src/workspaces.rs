//! Workspaces and who belongs to them in which role.

use crate::WorkspaceId;
use crate::{now, read, tx, write, Result, Store, StoreError};
use keel_domain::{catalogue::DEFAULT_FUNCTIONS, Role, Zone};
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub slug: String,
    pub name: String,
    pub created_at: i64,
    /// Bumped by every change to the workspace's operating model (see migration 0003).
    pub data_version: i64,
    /// Its IANA time zone: "today" and the day anything happened on are its.
    pub time_zone: String,
    /// The version of its settings (the time zone), for `If-Match`.
    pub version: i64,
}

impl Workspace {
    /// Its time zone (UTC for a name keel no longer knows).
    pub fn zone(&self) -> Zone {
        Zone::stored(&self.time_zone)
    }
}

/// A user's place in one workspace: the workspace, their role there, and the person record
/// linked to their account (a partner sees only that person's work).
#[derive(Debug, Clone)]
pub struct Membership {
    pub workspace: Workspace,
    pub role: Role,
    pub person_id: Option<i64>,
}

/// The person linked to member `m`'s account in `m`'s workspace (the first, if several).
pub(crate) const LINKED_PERSON: &str = "(SELECT p.id FROM people p WHERE p.workspace_id = m.workspace_id AND p.user_id = m.user_id ORDER BY p.id LIMIT 1)";

/// The columns of a `Membership`, from `memberships m` joined to `workspaces w`; every
/// column may be NULL so that a LEFT JOIN can ask "and is this user a member of it?".
/// Follow it with `LINKED_PERSON AS ws_person_id`.
pub(crate) const MEMBERSHIP_COLUMNS: &str =
    "w.id AS ws_id, w.slug AS ws_slug, w.name AS ws_name, w.created_at AS ws_created_at,
     w.data_version AS ws_data_version, w.time_zone AS ws_time_zone, w.version AS ws_version,
     m.role AS ws_role";

#[derive(sqlx::FromRow)]
pub(crate) struct MembershipRow {
    ws_id: Option<i64>,
    ws_slug: Option<String>,
    ws_name: Option<String>,
    ws_created_at: Option<i64>,
    ws_data_version: Option<i64>,
    ws_time_zone: Option<String>,
    ws_version: Option<i64>,
    ws_role: Option<String>,
    ws_person_id: Option<i64>,
}

impl MembershipRow {
    pub(crate) fn membership(self) -> Option<Membership> {
        Some(Membership {
            workspace: Workspace {
                id: WorkspaceId(self.ws_id?),
                slug: self.ws_slug?,
                name: self.ws_name?,
                created_at: self.ws_created_at?,
                data_version: self.ws_data_version?,
                time_zone: self.ws_time_zone?,
                version: self.ws_version?,
            },
            role: role(&self.ws_role?),
            person_id: self.ws_person_id,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub joined_at: i64,
    /// The membership's version, for `If-Match` and forms.
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: i64,
    email: String,
    name: String,
    role: String,
    joined_at: i64,
    version: i64,
}

/// Roles are written by keel only; an unreadable one is treated as the least powerful.
pub(crate) fn role(s: &str) -> Role {
    Role::parse(s).unwrap_or(Role::Viewer)
}

/// A new workspace, its catalogue functions and its owner: shared with the first run.
pub(crate) const INSERT_WORKSPACE: &str =
    "INSERT INTO workspaces (slug, name, created_at) VALUES ($1, $2, $3)
     RETURNING id, slug, name, created_at, data_version, time_zone, version";
pub(crate) const INSERT_CATALOGUE_FUNCTION: &str = "INSERT INTO functions (workspace_id, name, description, sourcing, weekly_hours, created_at, updated_at)
     VALUES ($1, $2, $3, 'internal', 0, $4, $4)";
pub(crate) const INSERT_OWNER: &str =
    "INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, 'owner', $3)";

pub(crate) fn slug_taken(slug: &str) -> String {
    format!("The address name '{slug}' is taken; choose another.")
}

impl Store {
    /// Creates a workspace with the default function catalogue and, if given, its first owner.
    pub async fn create_workspace(
        &self,
        slug: &str,
        name: &str,
        owner: Option<i64>,
    ) -> Result<Workspace> {
        let t = now();
        let ws = tx!(self, tx => {
            let ws = sqlx::query_as::<_, Workspace>(INSERT_WORKSPACE)
                .bind(slug).bind(name).bind(t)
                .fetch_one(&mut *tx).await
                .map_err(|e| StoreError::unique(e, slug_taken(slug)))?;
            for f in DEFAULT_FUNCTIONS {
                sqlx::query(INSERT_CATALOGUE_FUNCTION)
                    .bind(ws.id).bind(f.name).bind(f.description).bind(t)
                    .execute(&mut *tx).await?;
            }
            if let Some(user) = owner {
                sqlx::query(INSERT_OWNER)
                    .bind(ws.id).bind(user).bind(t)
                    .execute(&mut *tx).await?;
            }
            ws
        });
        Ok(ws)
    }

    pub async fn find_workspace_by_slug(&self, slug: &str) -> Result<Option<Workspace>> {
        Ok(read!(self, p => sqlx::query_as::<_, Workspace>(
            "SELECT id, slug, name, created_at, data_version, time_zone, version FROM workspaces WHERE slug = $1")
            .bind(slug).fetch_optional(p).await)?)
    }

    pub async fn list_workspaces(&self) -> Result<Vec<Workspace>> {
        Ok(read!(self, p => sqlx::query_as::<_, Workspace>(
            "SELECT id, slug, name, created_at, data_version, time_zone, version FROM workspaces ORDER BY name")
            .fetch_all(p).await)?)
    }

    /// The workspaces a user belongs to, with the role held in each.
    pub async fn workspaces_of(&self, user_id: i64) -> Result<Vec<(Workspace, Role)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: i64,
            slug: String,
            name: String,
            created_at: i64,
            data_version: i64,
            time_zone: String,
            version: i64,
            role: String,
        }
        let rows = read!(self, p => sqlx::query_as::<_, Row>(
            "SELECT w.id, w.slug, w.name, w.created_at, w.data_version, w.time_zone, w.version, m.role FROM workspaces w
             JOIN memberships m ON m.workspace_id = w.id WHERE m.user_id = $1 ORDER BY w.name")
            .bind(user_id).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    Workspace {
                        id: WorkspaceId(r.id),
                        slug: r.slug,
                        name: r.name,
                        created_at: r.created_at,
                        data_version: r.data_version,
                        time_zone: r.time_zone,
                        version: r.version,
                    },
                    role(&r.role),
                )
            })
            .collect())
    }

    /// Sets the workspace's time zone if its settings are still at `expected`. The model's
    /// data version moves too, so every node reloads "today" in the new zone.
    pub async fn set_time_zone(
        &self,
        ws: WorkspaceId,
        expected: i64,
        zone: &Zone,
    ) -> Result<Workspace> {
        let row = write!(self, p => sqlx::query_as::<_, Workspace>(
            "UPDATE workspaces SET time_zone = $2, version = version + 1, data_version = data_version + 1
             WHERE id = $1 AND version = $3
             RETURNING id, slug, name, created_at, data_version, time_zone, version")
            .bind(ws).bind(zone.name()).bind(expected).fetch_optional(p).await)?;
        if let Some(w) = row {
            return Ok(w);
        }
        let current: Option<i64> = read!(self, p => sqlx::query_scalar(
            "SELECT version FROM workspaces WHERE id = $1").bind(ws).fetch_optional(p).await)?;
        Err(match current {
            Some(current) => StoreError::Stale { current },
            None => StoreError::NotFound,
        })
    }

    /// The time zone of a workspace (UTC when there is none).
    pub async fn zone_of(&self, ws: WorkspaceId) -> Result<Zone> {
        let name: Option<String> = read!(self, p => sqlx::query_scalar(
            "SELECT time_zone FROM workspaces WHERE id = $1").bind(ws).fetch_optional(p).await)?;
        Ok(name.map(|n| Zone::stored(&n)).unwrap_or_default())
    }

    /// The workspace with this slug, the user's role in it and their person there, in one
    /// query.
    pub async fn workspace_for_member(
        &self,
        slug: &str,
        user_id: i64,
    ) -> Result<Option<Membership>> {
        let sql = format!(
            "SELECT {MEMBERSHIP_COLUMNS}, {LINKED_PERSON} AS ws_person_id FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
             WHERE w.slug = $1 AND m.user_id = $2"
        );
        let row = read!(self, p => sqlx::query_as::<_, MembershipRow>(&sql)
            .bind(slug).bind(user_id).fetch_optional(p).await)?;
        Ok(row.and_then(MembershipRow::membership))
    }

    pub async fn list_members(&self, ws: WorkspaceId) -> Result<Vec<Member>> {
        let rows = read!(self, p => sqlx::query_as::<_, MemberRow>(
            "SELECT u.id AS user_id, u.email, u.name, m.role, m.created_at AS joined_at, m.version FROM memberships m
             JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 ORDER BY u.name")
            .bind(ws).fetch_all(p).await)?;
        Ok(rows.into_iter().map(member).collect())
    }

    pub async fn find_member(&self, ws: WorkspaceId, user_id: i64) -> Result<Option<Member>> {
        let row = read!(self, p => sqlx::query_as::<_, MemberRow>(
            "SELECT u.id AS user_id, u.email, u.name, m.role, m.created_at AS joined_at, m.version FROM memberships m
             JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 AND m.user_id = $2")
            .bind(ws).bind(user_id).fetch_optional(p).await)?;
        Ok(row.map(member))
    }

    /// Adds a member, or changes the role of an existing one.
    pub async fn add_member(&self, ws: WorkspaceId, user_id: i64, role: Role) -> Result<()> {
        write!(self, p => sqlx::query(
            "INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role, version = memberships.version + 1")
            .bind(ws).bind(user_id).bind(role.as_str()).bind(now())
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Changes a member's role if it is still at `expected`; a workspace always keeps at least
    /// one owner.
    pub async fn set_member_role(
        &self,
        ws: WorkspaceId,
        user_id: i64,
        expected: i64,
        role: Role,
    ) -> Result<()> {
        tx!(self, tx => {
            let owners: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE workspace_id = $1 AND role = 'owner' AND user_id <> $2")
                .bind(ws).bind(user_id).fetch_one(&mut *tx).await?;
            if owners == 0 && role != Role::Owner {
                return Err(StoreError::Conflict("A workspace needs at least one owner: make someone else owner first.".into()));
            }
            let n = sqlx::query("UPDATE memberships SET role = $1, version = version + 1 WHERE workspace_id = $2 AND user_id = $3 AND version = $4")
                .bind(role.as_str()).bind(ws).bind(user_id).bind(expected).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                let current: Option<i64> = sqlx::query_scalar(MEMBERSHIP_VERSION)
                    .bind(ws).bind(user_id).fetch_optional(&mut *tx).await?;
                return Err(current.map_or(StoreError::NotFound, |current| StoreError::Stale { current }));
            }
        });
        Ok(())
    }

    /// Removes a member if its membership is still at `expected`.
    pub async fn remove_member(&self, ws: WorkspaceId, user_id: i64, expected: i64) -> Result<()> {
        tx!(self, tx => {
            let owners: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM memberships WHERE workspace_id = $1 AND role = 'owner' AND user_id <> $2")
                .bind(ws).bind(user_id).fetch_one(&mut *tx).await?;
            if owners == 0 {
                return Err(StoreError::Conflict("A workspace needs at least one owner: make someone else owner first.".into()));
            }
            let n = sqlx::query("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2 AND version = $3")
                .bind(ws).bind(user_id).bind(expected).execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                let current: Option<i64> = sqlx::query_scalar(MEMBERSHIP_VERSION)
                    .bind(ws).bind(user_id).fetch_optional(&mut *tx).await?;
                return Err(current.map_or(StoreError::NotFound, |current| StoreError::Stale { current }));
            }
            sqlx::query("UPDATE people SET user_id = NULL WHERE workspace_id = $1 AND user_id = $2")
                .bind(ws).bind(user_id).execute(&mut *tx).await?;
        });
        Ok(())
    }
}

const MEMBERSHIP_VERSION: &str =
    "SELECT version FROM memberships WHERE workspace_id = $1 AND user_id = $2";

fn member(r: MemberRow) -> Member {
    Member {
        user_id: r.user_id,
        email: r.email,
        name: r.name,
        role: role(&r.role),
        joined_at: r.joined_at,
        version: r.version,
    }
}

//! The first run: while no account exists, the first owner, their workspace and their own
//! person are made together, once. Two browsers sending the form at the same moment cannot
//! both succeed: the count of accounts and the inserts happen in one transaction that holds
//! the write lock (SQLite's IMMEDIATE transaction, a table lock on PostgreSQL).

use crate::workspaces::{slug_taken, INSERT_CATALOGUE_FUNCTION, INSERT_OWNER, INSERT_WORKSPACE};
use crate::{now, read, tx, Backend, Result, Store, StoreError, User, Workspace};
use keel_domain::catalogue::DEFAULT_FUNCTIONS;

/// What the first-run form gave, already checked and the password hashed.
#[derive(Debug, Clone)]
pub struct FirstOwner {
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub workspace_slug: String,
    pub workspace_name: String,
    /// The owner's own hours a week for marketing (their person on the team).
    pub weekly_capacity: f64,
}

impl Store {
    /// Whether any account exists (the first run is over).
    pub async fn has_users(&self) -> Result<bool> {
        let n: Option<i64> = read!(self, p => sqlx::query_scalar("SELECT id FROM users LIMIT 1")
            .fetch_optional(p).await)?;
        Ok(n.is_some())
    }

    /// Creates the first account, owner of a new workspace (with the function catalogue) and
    /// linked to its own internal person there, if and only if no account exists yet. `None`:
    /// someone else finished the first run first, and nothing was written.
    pub async fn create_first_owner(&self, f: &FirstOwner) -> Result<Option<(User, Workspace)>> {
        let t = now();
        let postgres = self.backend() == Backend::Postgres;
        let made = tx!(self, tx => {
            if postgres {
                // Blocks a concurrent first run until this one commits; it then counts ours.
                sqlx::query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx).await?;
            }
            let any: Option<i64> = sqlx::query_scalar("SELECT id FROM users LIMIT 1")
                .fetch_optional(&mut *tx).await?;
            if any.is_some() {
                None
            } else {
                let user = sqlx::query_as::<_, User>(
                    "INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4)
                     RETURNING id, email, name, password_hash, created_at")
                    .bind(&f.email).bind(&f.name).bind(&f.password_hash).bind(t)
                    .fetch_one(&mut *tx).await?;
                let ws = sqlx::query_as::<_, Workspace>(INSERT_WORKSPACE)
                    .bind(&f.workspace_slug).bind(&f.workspace_name).bind(t)
                    .fetch_one(&mut *tx).await
                    .map_err(|e| StoreError::unique(e, slug_taken(&f.workspace_slug)))?;
                for func in DEFAULT_FUNCTIONS {
                    sqlx::query(INSERT_CATALOGUE_FUNCTION)
                        .bind(ws.id).bind(func.name).bind(func.description).bind(t)
                        .execute(&mut *tx).await?;
                }
                sqlx::query(INSERT_OWNER).bind(ws.id).bind(user.id).bind(t)
                    .execute(&mut *tx).await?;
                sqlx::query(
                    "INSERT INTO people (workspace_id, name, kind, email, weekly_capacity, user_id, created_at, updated_at)
                     VALUES ($1, $2, 'internal', $3, $4, $5, $6, $6)")
                    .bind(ws.id).bind(&f.name).bind(&f.email).bind(f.weekly_capacity).bind(user.id).bind(t)
                    .execute(&mut *tx).await?;
                Some((user, ws))
            }
        });
        Ok(made)
    }
}

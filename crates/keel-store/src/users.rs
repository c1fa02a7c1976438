//! User accounts. Passwords arrive already hashed (argon2id, in the web crate).

use crate::{now, read, write, Result, Store, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub created_at: i64,
}

impl Store {
    pub async fn create_user(&self, email: &str, name: &str, password_hash: &str) -> Result<User> {
        write!(self, p => sqlx::query_as::<_, User>(
            "INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id, email, name, password_hash, created_at")
            .bind(email).bind(name).bind(password_hash).bind(now())
            .fetch_one(p).await)
        .map_err(|e| StoreError::unique(e, format!("An account for {email} already exists.")))
    }

    pub async fn find_user(&self, id: i64) -> Result<Option<User>> {
        Ok(read!(self, p => sqlx::query_as::<_, User>(
            "SELECT id, email, name, password_hash, created_at FROM users WHERE id = $1")
            .bind(id).fetch_optional(p).await)?)
    }

    pub async fn find_user_by_email(&self, email: &str) -> Result<Option<User>> {
        Ok(read!(self, p => sqlx::query_as::<_, User>(
            "SELECT id, email, name, password_hash, created_at FROM users WHERE email = $1")
            .bind(email).fetch_optional(p).await)?)
    }

    pub async fn list_users(&self) -> Result<Vec<User>> {
        Ok(read!(self, p => sqlx::query_as::<_, User>(
            "SELECT id, email, name, password_hash, created_at FROM users ORDER BY email")
            .fetch_all(p).await)?)
    }

    /// Sets a new password hash (the operator's `keel user reset-password`), signs the user
    /// out everywhere, and records it in the audit log of the account's workspaces.
    pub async fn set_password(&self, user_id: i64, password_hash: &str) -> Result<()> {
        let n = write!(self, p => sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash).bind(user_id).execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        self.delete_sessions_for_user(user_id).await?;
        self.record_account_event(user_id, crate::audit::PASSWORD_SET)
            .await
    }
}

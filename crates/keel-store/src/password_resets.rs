//! Password reset links. Codes arrive already hashed, like sessions and invitations: the
//! database never holds a usable link.

use crate::{audit, now, read, tx, write, Result, Store, StoreError};

/// A reset link as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PasswordReset {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

impl PasswordReset {
    /// Whether the link may still set a password at `at`.
    pub fn usable(&self, at: i64) -> bool {
        self.used_at.is_none() && self.expires_at > at
    }
}

/// What a used, expired or unknown link answers, whichever it is.
pub const RESET_LINK_SPENT: &str =
    "This link to set a new password was already used or has expired. Ask for a new one.";

impl Store {
    pub async fn create_password_reset(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: i64,
    ) -> Result<()> {
        write!(self, p => sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash).bind(user_id).bind(now()).bind(expires_at)
            .execute(p).await.map(|_| ()))?;
        self.record_account_event(user_id, audit::PASSWORD_RESET_REQUESTED)
            .await
    }

    pub async fn find_password_reset(&self, token_hash: &str) -> Result<Option<PasswordReset>> {
        Ok(read!(self, p => sqlx::query_as::<_, PasswordReset>(
            "SELECT r.user_id, u.email, u.name, r.expires_at, r.used_at
             FROM password_resets r JOIN users u ON u.id = r.user_id WHERE r.token_hash = $1")
            .bind(token_hash).fetch_optional(p).await)?)
    }

    /// Uses the link: sets the new password hash, spends this and every other open link of
    /// the account and ends its sessions, in one transaction. Of two uses at once, one
    /// succeeds; a used, expired or unknown link is `Conflict(RESET_LINK_SPENT)`.
    pub async fn use_password_reset(&self, token_hash: &str, password_hash: &str) -> Result<i64> {
        let t = now();
        let user_id = tx!(self, tx => {
            let claimed: Option<i64> = sqlx::query_scalar(
                "UPDATE password_resets SET used_at = $1
                 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id")
                .bind(t).bind(token_hash).fetch_optional(&mut *tx).await?;
            let Some(user_id) = claimed else {
                return Err(StoreError::Conflict(RESET_LINK_SPENT.into()));
            };
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash).bind(user_id).execute(&mut *tx).await?;
            sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
                .bind(t).bind(user_id).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id).execute(&mut *tx).await?;
            user_id
        });
        self.record_account_event(user_id, audit::PASSWORD_RESET)
            .await?;
        Ok(user_id)
    }

    /// Removes links that expired before `before`: they can set nothing any more.
    pub async fn purge_password_resets(&self, before: i64) -> Result<u64> {
        Ok(
            write!(self, p => sqlx::query("DELETE FROM password_resets WHERE expires_at < $1")
            .bind(before).execute(p).await.map(|r| r.rows_affected()))?,
        )
    }
}

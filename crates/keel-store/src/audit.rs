//! The audit log: who changed what in a workspace, when, and the fields before and after.
//!
//! Architecture Invariant: every write to workspace data is audited in its own transaction,
//! and no write path has to remember it. Database triggers on every table of workspace data
//! (derived from the schema at each migrate, `triggers.rs`) write the entries; they read the
//! actor from the transaction's context, which the Store's `tx!` and `write!` macros set as
//! their first statement from the task's `Actor` (`scope`, set once per request by the web
//! layer). A table added later is audited by the next migrate without anyone listing it.

pub(crate) mod erase;
mod read;
pub(crate) mod triggers;

pub use read::{AuditEntry, AuditFilter, AUDIT_PAGE};
pub use triggers::{audited_table, NOT_AUDITED};

use crate::{Result, Store};
use sqlx::{PgConnection, SqliteConnection};
use std::future::Future;
use std::sync::{Arc, Mutex};

/// Who is making a change: an account, through a token or a session, or keel itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub token_id: Option<i64>,
    /// "web" (pages), "api", "cli" (a `keel` command) or "system" (nobody asked: keel's own
    /// housekeeping, or a write outside any request).
    pub via: &'static str,
}

impl Actor {
    pub fn web(user_id: Option<i64>) -> Actor {
        Actor {
            user_id,
            token_id: None,
            via: "web",
        }
    }
    pub fn api_session(user_id: i64) -> Actor {
        Actor {
            user_id: Some(user_id),
            token_id: None,
            via: "api",
        }
    }
    pub fn token(user_id: i64, token_id: i64) -> Actor {
        Actor {
            user_id: Some(user_id),
            token_id: Some(token_id),
            via: "api",
        }
    }
    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            token_id: None,
            via: "cli",
        }
    }
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            token_id: None,
            via: "system",
        }
    }
}

tokio::task_local! {
    static CURRENT: Arc<Mutex<Actor>>;
}

/// Runs `f` with `actor` as the author of every write it makes through the Store.
pub async fn scope<F: Future>(actor: Actor, f: F) -> F::Output {
    CURRENT.scope(Arc::new(Mutex::new(actor)), f).await
}

/// Changes the author inside the current `scope` (an API token is known only once the
/// request's extractor has read it). Outside any scope it does nothing.
pub fn act_as(actor: Actor) {
    let _ = CURRENT.try_with(|c| {
        if let Ok(mut a) = c.lock() {
            *a = actor;
        }
    });
}

/// The author of writes made now: the scope's, or keel itself outside any.
pub fn current() -> Actor {
    CURRENT
        .try_with(|c| c.lock().map(|a| a.clone()).ok())
        .ok()
        .flatten()
        .unwrap_or_else(Actor::system)
}

/// The first statement of every SQLite write transaction: who is writing (the triggers read
/// it). `leave_sqlite` clears it before the commit, so a write made outside the Store (the
/// sqlite3 shell) is audited as nobody's, never as the last user's.
pub(crate) async fn enter_sqlite(c: &mut SqliteConnection) -> sqlx::Result<()> {
    let a = current();
    sqlx::query(
        "INSERT OR REPLACE INTO audit_context (id, user_id, token_id, via) VALUES (1, $1, $2, $3)",
    )
    .bind(a.user_id)
    .bind(a.token_id)
    .bind(a.via)
    .execute(c)
    .await?;
    Ok(())
}

pub(crate) async fn leave_sqlite(c: &mut SqliteConnection) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM audit_context").execute(c).await?;
    Ok(())
}

/// The first statement of every PostgreSQL write transaction: settings local to it.
pub(crate) async fn enter_pg(c: &mut PgConnection) -> sqlx::Result<()> {
    let a = current();
    let text = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    sqlx::query(
        "SELECT set_config('keel.actor_user', $1, true), set_config('keel.actor_token', $2, true),
                set_config('keel.via', $3, true)",
    )
    .bind(text(a.user_id))
    .bind(text(a.token_id))
    .bind(a.via)
    .execute(c)
    .await?;
    Ok(())
}

/// An event about an account rather than a record: "sign_in", "sign_in_failed".
pub const SIGN_IN: &str = "sign_in";
pub const SIGN_IN_FAILED: &str = "sign_in_failed";
/// A link to set a new password was made for the account (asked for by email, or printed by
/// `keel user reset-link`); anyone may ask, so it has no author.
pub const PASSWORD_RESET_REQUESTED: &str = "password_reset_requested";
/// The account's password was set through such a link, by whoever held it.
pub const PASSWORD_RESET: &str = "password_reset";
/// The operator set the account's password (`keel user reset-password`).
pub const PASSWORD_SET: &str = "password_set";

impl Store {
    /// Records a sign-in, a failed one, a password reset or set for `user_id`. Account events belong to no workspace;
    /// every workspace the account is a member of shows them.
    pub async fn record_account_event(&self, user_id: i64, action: &'static str) -> Result<()> {
        let by = matches!(action, SIGN_IN | PASSWORD_RESET).then_some(user_id);
        // Through the pages, or a `keel` command (a reset link printed by the operator).
        let via = if current().via == "cli" { "cli" } else { "web" };
        let sql = "INSERT INTO audit_log (workspace_id, at, actor_user_id, actor_token_id, via, action, record_type, record_id)
                   VALUES (NULL, $1, $2, NULL, $5, $3, 'account', $4)";
        crate::write!(self, p => sqlx::query(sql)
            .bind(crate::now()).bind(by).bind(action).bind(user_id.to_string()).bind(via)
            .execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// For the audit benchmark only: drops this database's audit triggers and stops writing
    /// the actor, so the same run can measure writes with and without the audit log. The
    /// next `migrate` puts the triggers back.
    #[doc(hidden)]
    pub async fn bench_without_audit(&mut self) -> Result<()> {
        triggers::drop_all(self).await?;
        self.audited = false;
        Ok(())
    }
}

//! The audit log: who changed what in a workspace, when, and the fields before and after.
//!
//! Architecture Invariant: every write to workspace data is audited in its own transaction,
//! and no write path has to remember it. Database triggers on every table of workspace data
//! (derived from the schema at each migrate, `triggers.rs`) write the entries, into
//! `audit_recent` (no index, so a write pays for one page more); `recent.rs` moves them into
//! the indexed `audit_log` in batches, and before the log is read. The Store's `tx!` and
//! `write!` macros name the author from the task's `Actor` (`scope`, set once per request by
//! the web layer): on PostgreSQL in settings local to the transaction that the trigger reads,
//! on SQLite in the transaction's own entries just before the commit. A table added later is
//! audited by the next migrate without anyone listing it.

pub(crate) mod erase;
mod read;
mod recent;
pub(crate) mod triggers;

pub use read::{AuditEntry, AuditFilter, AUDIT_PAGE};
pub use triggers::{audited_table, NOT_AUDITED};

use crate::{Db, Result, Store};
use sqlx::SqliteConnection;
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

/// The columns of an entry but its id, in both tables.
pub(crate) const COLUMNS: &str =
    "workspace_id, at, actor_user_id, actor_token_id, via, action, record_type, record_id, before, after";

/// The author the SQLite triggers write: nobody known. On keel's own writer connection a
/// TEMP trigger (`prepare_sqlite`) replaces it at once with the author the transaction
/// began with; a write made outside keel (the sqlite3 shell) has no such trigger and keeps it.
pub(crate) const UNSTAMPED: &str = "database";

/// The id of the next entry on SQLite: after the highest of both tables, so an entry keeps
/// its id when it moves from `audit_recent` into `audit_log`.
pub(crate) const SQLITE_NEXT_ID: &str = "max(coalesce((SELECT max(id) FROM audit_recent), 0), \
     coalesce((SELECT max(id) FROM audit_log), 0)) + 1";

/// A number, or NULL, as SQL text.
fn literal(v: Option<i64>) -> String {
    v.map_or_else(|| "NULL".to_string(), |x| x.to_string())
}

/// Begins one of keel's SQLite write transactions on the writer connection. The author goes
/// into the connection's TEMP table (no page of the database is written for it) in the same
/// call as `BEGIN IMMEDIATE`, and only when it differs from the last transaction's (`named`),
/// so a run of writes by one person costs no more than `BEGIN`. Every write to audited
/// tables goes through `tx!` or `write!`, so the TEMP row always names the transaction's own
/// author. The values are numbers and one of `Actor::via`'s fixed words, so writing them into
/// the SQL is safe.
pub(crate) async fn begin_sqlite<'c>(
    c: &'c mut SqliteConnection,
    audited: bool,
    named: &Mutex<Option<Actor>>,
) -> sqlx::Result<sqlx::Transaction<'c, sqlx::Sqlite>> {
    use sqlx::Connection as _;
    let a = current();
    let known = !audited
        || named
            .lock()
            .map(|n| n.as_ref() == Some(&a))
            .unwrap_or(false);
    if known {
        return c.begin_with("BEGIN IMMEDIATE").await;
    }
    // Forgotten first: should the call fail half-way, the next write names its author again.
    if let Ok(mut n) = named.lock() {
        *n = None;
    }
    let tx = c
        .begin_with(format!(
            "INSERT OR REPLACE INTO temp.keel_actor (id, user_id, token_id, via) VALUES (1, {}, {}, '{}');
             BEGIN IMMEDIATE",
            literal(a.user_id),
            literal(a.token_id),
            a.via
        ))
        .await?;
    if let Ok(mut n) = named.lock() {
        *n = Some(a);
    }
    Ok(tx)
}

/// Readies one of keel's SQLite connections to name authors: the TEMP table the transaction's
/// author goes into, and (once the audit log exists) the TEMP trigger that writes that author
/// into each entry the schema's triggers append. TEMP objects belong to the connection, so
/// this runs for every new connection and again after a migrate.
pub(crate) fn prepare_sqlite(
    c: &mut SqliteConnection,
) -> std::pin::Pin<Box<dyn Future<Output = sqlx::Result<()>> + Send + '_>> {
    use sqlx::Executor as _;
    Box::pin(async move {
        // The TEMP table stays in SQLite's page cache (its file is written only if the cache
        // spills, and one row never does). `temp_store = MEMORY` would also keep every large
        // sort in memory: publishing a million-lead import grew keel by 150 MB.
        c.execute(
            "CREATE TEMP TABLE IF NOT EXISTS keel_actor (
                 id INTEGER PRIMARY KEY CHECK (id = 1), user_id INTEGER, token_id INTEGER, via TEXT NOT NULL)",
        )
        .await?;
        let log = c
            .fetch_optional(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name = 'audit_recent'",
            )
            .await?;
        if log.is_some() {
            c.execute(
                format!(
                    "CREATE TEMP TRIGGER IF NOT EXISTS keel_actor_stamp AFTER INSERT ON main.audit_recent
                     WHEN NEW.via = '{UNSTAMPED}' BEGIN
                         UPDATE audit_recent SET (actor_user_id, actor_token_id, via) =
                             (SELECT user_id, token_id, via FROM keel_actor WHERE id = 1)
                         WHERE id = NEW.id AND EXISTS (SELECT 1 FROM keel_actor);
                     END"
                )
                .as_str(),
            )
            .await?;
        }
        Ok(())
    })
}

/// How keel's PostgreSQL write transactions begin: with the author in settings local to the
/// transaction, which the audit trigger reads, in the same round trip as `BEGIN`.
pub(crate) fn begin_pg(audited: bool) -> String {
    if !audited {
        return "BEGIN".into();
    }
    let a = current();
    let text = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    // SET LOCAL is a utility command: no plan to make, unlike SELECT set_config(…).
    format!(
        "BEGIN; SET LOCAL keel.actor_user = '{}'; SET LOCAL keel.actor_token = '{}'; SET LOCAL keel.via = '{}'",
        text(a.user_id),
        text(a.token_id),
        a.via
    )
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
        // Into the newest entries, as the triggers write, so ids stay in order across both.
        let id = match self.db {
            Db::Sqlite { .. } => SQLITE_NEXT_ID,
            Db::Postgres(_) => "nextval('audit_log_id_seq')",
        };
        let sql = format!(
            "INSERT INTO audit_recent (id, workspace_id, at, actor_user_id, actor_token_id, via, action, record_type, record_id)
             VALUES ({id}, NULL, $1, $2, NULL, $5, $3, 'account', $4)"
        );
        crate::write!(self, p => sqlx::query(&sql)
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

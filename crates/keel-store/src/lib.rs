//! The Store: everything keel keeps, behind one type with two honest backends.
//!
//! SQLite (the default, one file) and PostgreSQL (several keel nodes on one server) are native
//! sqlx pools, not sqlx's `Any` driver. Where the dialects agree (almost everywhere: `$1`
//! placeholders, `RETURNING`, `ON CONFLICT`) one SQL text serves both; the `read!`, `write!`
//! and `tx!` macros compile the same body once per backend.
//!
//! Architecture Invariant: every query on workspace data filters by `workspace_id`; a method
//! that takes a record id also takes the workspace id, so an id from another workspace is
//! simply not found.

pub mod audit;
mod backup;
mod channels;
mod commitments;
mod connect;
mod decisions;
mod digests;
mod erase;
mod error;
mod feeds;
mod first_run;
mod functions;
mod ids;
mod invites;
mod lead_import;
mod lead_import_jobs;
mod lead_rollups;
mod lead_settings;
mod lead_staging;
mod lead_tally;
mod leads;
mod metrics;
mod model;
mod objectives;
mod offers;
mod password_resets;
mod people;
pub mod portable;
mod priorities;
mod programs;
mod reviews;
mod schema;
mod segments;
mod session_cache;
mod sessions;
mod spend;
mod stack_layers;
mod tokens;
mod users;
mod webhook_events;
mod webhook_queue;
mod webhooks;
mod work;
mod work_links;
mod work_notes;
mod workflows;
mod workspaces;

pub use audit::{Actor, AuditEntry, AuditFilter, AUDIT_PAGE};
pub use backup::{inspect_sqlite_backup, restore_sqlite, BackupInfo};
pub use channels::FocusLimit;
pub use connect::{sqlite_path, without_password, Backend};
pub use decisions::{Acting, REVIEW_CLOSED, WORKFLOW_CHANGED};
pub use digests::{DigestChoice, DigestRecipient};
pub use erase::Erased;
pub use error::StoreError;
pub use feeds::{Feed, LiveFeed};
pub use first_run::FirstOwner;
pub use ids::WorkspaceId;
pub use invites::{Invite, InviteStatus};
pub use lead_import::{ImportCounts, LeadImport};
pub use lead_import_jobs::{
    Cancel, ImportRowError, LeadMapping, KEPT_ROW_ERRORS, STALLED_AFTER_SECS,
};
pub use lead_rollups::{Months, QualityBy, QualityGroup};
pub use lead_staging::LeadStaging;
pub use leads::LeadFilter;
pub use password_resets::{PasswordReset, RESET_LINK_SPENT};
pub use portable::{
    Document, Imported, FORMAT as EXPORT_FORMAT, NOT_EXPORTED, TABLES as EXPORTED_TABLES,
};
pub use priorities::PriorityEvent;
pub use reviews::{Closing, ALREADY_CLOSED, NO_OUTCOME};
pub use sessions::SessionRecord;
pub use spend::Spend;
pub use tokens::{ApiToken, TokenAuth};
pub use users::User;
pub use webhook_queue::{Attempt, Claimed, Delivery};
pub use webhooks::Subscription;
pub use work::{WorkEvent, WorkFilter, WorkSort};
pub use work_links::UntracedLimit;
pub use work_notes::{WorkComment, WorkWebLink, ERASED_COMMENT};
pub use workflows::Revision;
pub use workspaces::{Member, Membership, Workspace};

use sqlx::{PgPool, SqlitePool};
use std::sync::{Arc, Mutex};

pub type Result<T> = std::result::Result<T, StoreError>;

/// One connection pool's state: connections in use by a query, open and idle, and the most
/// it may open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    pub name: &'static str,
    pub in_use: u32,
    pub idle: u32,
    pub max: u32,
}

#[derive(Clone)]
pub struct Store {
    db: Db,
    /// Whether write transactions tell the audit triggers who writes (always, but in the
    /// audit benchmark's "without" half: `bench_without_audit`).
    audited: bool,
    /// Session lookups answered from memory on PostgreSQL once `cache_sessions` runs; every
    /// write through this Store empties it after its commit (`write!`, `tx!`).
    sessions: Arc<session_cache::SessionCache>,
}

#[derive(Clone)]
enum Db {
    /// One writer connection (SQLite allows one writer at a time; queueing here instead of in
    /// the busy handler keeps writes fair) and a pool of readers, all in WAL mode.
    Sqlite {
        writer: SqlitePool,
        reader: SqlitePool,
        /// The author the writer connection's TEMP row names now (`audit::begin_sqlite`):
        /// a write by the same author as the last one skips rewriting it. One writer
        /// connection, so one value; a new connection starts with none.
        named: Arc<Mutex<Option<audit::Actor>>>,
    },
    Postgres(PgPool),
}

/// Runs `$body` with `$p` bound to the pool that serves reads.
macro_rules! read {
    ($s:expr, $p:ident => $body:expr) => {
        match &$s.db {
            $crate::Db::Sqlite { reader: $p, .. } => $body,
            $crate::Db::Postgres($p) => $body,
        }
    };
}

/// Runs `$body` (one statement, a `Result`) with `$p` bound to a write transaction's
/// connection, committed when it succeeds. Like `tx!`, its `BEGIN` tells the audit triggers
/// who is writing (`audit::begin_*`), so no write can leave the author out.
macro_rules! write {
    ($s:expr, $p:ident => $body:expr) => {
        match &$s.db {
            $crate::Db::Sqlite { writer, named, .. } => {
                async {
                    let mut conn = writer.acquire().await?;
                    let mut tx = $crate::audit::begin_sqlite(&mut conn, $s.audited, named).await?;
                    let out = {
                        let $p = &mut *tx;
                        $body
                    };
                    if out.is_ok() {
                        tx.commit().await?;
                    }
                    out
                }
                .await
            }
            $crate::Db::Postgres(pool) => {
                async {
                    let mut tx = pool.begin_with($crate::audit::begin_pg($s.audited)).await?;
                    let out = {
                        let $p = &mut *tx;
                        $body
                    };
                    if out.is_ok() {
                        // Forgotten even when the commit's answer is lost: it may have landed.
                        let committed = tx.commit().await;
                        $s.sessions.forget_all();
                        committed?;
                    }
                    out
                }
                .await
            }
        }
    };
}

/// Runs `$body` inside a write transaction bound to `$tx`; SQLite's begins IMMEDIATE so it
/// takes the write lock up front instead of failing half-way. Its `BEGIN` tells the audit
/// triggers who is writing (`audit::begin_*`), in the same round trip.
macro_rules! tx {
    ($s:expr, $tx:ident => $body:expr) => {
        match &$s.db {
            $crate::Db::Sqlite { writer, named, .. } => {
                let mut conn = writer.acquire().await?;
                #[allow(unused_mut)]
                let mut $tx = $crate::audit::begin_sqlite(&mut conn, $s.audited, named).await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            $crate::Db::Postgres(pool) => {
                #[allow(unused_mut)]
                let mut $tx = pool.begin_with($crate::audit::begin_pg($s.audited)).await?;
                let out = $body;
                let committed = $tx.commit().await;
                $s.sessions.forget_all();
                committed?;
                out
            }
        }
    };
}

pub(crate) use {read, tx, write};

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

impl Store {
    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Answers session lookups from memory from now on, kept true by a listener for the
    /// changes every node makes (session_cache.rs). For a serving node on PostgreSQL; nothing
    /// on SQLite.
    pub async fn cache_sessions(&self) -> Result<()> {
        if let Db::Postgres(pool) = &self.db {
            session_cache::start(pool, &self.sessions).await?;
        }
        Ok(())
    }

    /// Whether session lookups are answered from memory now (PostgreSQL, listener connected).
    pub fn sessions_cached(&self) -> bool {
        self.sessions.is_live()
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<()> {
        read!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Each connection pool's size and idle connections, for monitoring.
    pub fn pool_stats(&self) -> Vec<PoolStats> {
        fn of<DB: sqlx::Database>(name: &'static str, p: &sqlx::Pool<DB>) -> PoolStats {
            let open = p.size();
            let idle = u32::try_from(p.num_idle()).unwrap_or(open).min(open);
            PoolStats {
                name,
                in_use: open - idle,
                idle,
                max: p.options().get_max_connections(),
            }
        }
        match &self.db {
            Db::Sqlite { writer, reader, .. } => vec![of("writer", writer), of("reader", reader)],
            Db::Postgres(p) => vec![of("postgres", p)],
        }
    }

    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite { writer, reader, .. } => {
                reader.close().await;
                writer.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }
}

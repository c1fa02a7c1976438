//! Moving the audit log's newest entries into it. The triggers append to `audit_recent`, a
//! table without indexes, so a change pays for one page more and not for the log's indexes;
//! here the entries move into the indexed `audit_log` a batch at a time, which spreads the
//! indexes' pages over thousands of entries. Every node runs it every few seconds, and a
//! read of the log runs it first, so a reader never misses an entry.

use super::COLUMNS;
use crate::{Db, Result, Store};

/// Entries moved per transaction: short enough not to hold writers up for long.
const BATCH: i64 = 5_000;

impl Store {
    /// Moves every entry waiting in `audit_recent` into the log, keeping its id; returns how
    /// many. Nodes may run it at once: each entry moves once.
    pub async fn settle_audit(&self) -> Result<u64> {
        let mut moved = 0;
        loop {
            let n = match &self.db {
                Db::Sqlite { writer, reader, .. } => {
                    // Nothing waiting is found with a read, without the write lock.
                    let waiting: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM audit_recent LIMIT 1")
                            .fetch_optional(reader)
                            .await?;
                    if waiting.is_none() {
                        break;
                    }
                    let mut tx = writer.begin_with("BEGIN IMMEDIATE").await?;
                    let last: Option<i64> = sqlx::query_scalar(
                        "SELECT max(id) FROM (SELECT id FROM audit_recent ORDER BY id LIMIT $1)",
                    )
                    .bind(BATCH)
                    .fetch_one(&mut *tx)
                    .await?;
                    let Some(last) = last else { break };
                    let n = sqlx::query(&format!(
                        "INSERT INTO audit_log (id, {COLUMNS})
                         SELECT id, {COLUMNS} FROM audit_recent WHERE id <= $1"
                    ))
                    .bind(last)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    sqlx::query("DELETE FROM audit_recent WHERE id <= $1")
                        .bind(last)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    n
                }
                // PostgreSQL's trigger keeps an update's whole row, before and after (cutting
                // it there costs every write a query); the move cuts it to the fields the
                // update changed, as SQLite's trigger does, a batch at a time.
                Db::Postgres(p) => sqlx::query(&format!(
                    "WITH moved AS (
                         DELETE FROM audit_recent WHERE ctid IN (
                             SELECT ctid FROM audit_recent LIMIT $1 FOR UPDATE SKIP LOCKED)
                         RETURNING id, {COLUMNS})
                     INSERT INTO audit_log (id, {COLUMNS})
                     SELECT id, workspace_id, at, actor_user_id, actor_token_id, via, action,
                            record_type, record_id,
                            CASE WHEN action = 'update' THEN (
                                SELECT jsonb_object_agg(b.key, b.value)::text
                                FROM jsonb_each(m.before::jsonb) b
                                WHERE b.value IS DISTINCT FROM m.after::jsonb -> b.key)
                            ELSE before END,
                            CASE WHEN action = 'update' THEN (
                                SELECT jsonb_object_agg(b.key, m.after::jsonb -> b.key)::text
                                FROM jsonb_each(m.before::jsonb) b
                                WHERE b.value IS DISTINCT FROM m.after::jsonb -> b.key)
                            ELSE after END
                     FROM moved m"
                ))
                .bind(BATCH)
                .execute(p)
                .await?
                .rows_affected(),
            };
            moved += n;
            if n < BATCH as u64 {
                break;
            }
        }
        Ok(moved)
    }
}

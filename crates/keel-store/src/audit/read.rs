//! Reading a workspace's audit log: newest first, filtered by who, what record and when,
//! a page at a time (keyset on the entry id, so a page stays put while entries arrive).

use crate::{Db, Result, Store, WorkspaceId};
use serde::Serialize;
use sqlx::Row as _;

/// Entries per page unless asked otherwise.
pub const AUDIT_PAGE: i64 = 50;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Changes made by this account (and events about it, such as its sign-ins).
    pub user_id: Option<i64>,
    /// A table of workspace data ("work_items"), or "account".
    pub record_type: Option<String>,
    /// One record of that type, as the entry names it ("12"; "3:2" for a composite key).
    pub record_id: Option<String>,
    /// From this moment (unix seconds), inclusive.
    pub from: Option<i64>,
    /// Until this moment, exclusive.
    pub until: Option<i64>,
    /// Entries older than this one (the next page).
    pub before_id: Option<i64>,
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_user_id: Option<i64>,
    /// The account's name today (accounts are not erased with a person).
    pub actor_name: Option<String>,
    pub actor_token_id: Option<i64>,
    pub actor_token_name: Option<String>,
    pub via: String,
    /// insert, update, delete, sign_in, sign_in_failed.
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl AuditEntry {
    /// The fields an update changed, with their values before and after (all fields of an
    /// insert or delete), in the record's column order as JSON keeps it (sorted).
    pub fn changes(&self) -> Vec<(String, serde_json::Value, serde_json::Value)> {
        let empty = serde_json::Map::new();
        let b = self
            .before
            .as_ref()
            .and_then(|v| v.as_object())
            .unwrap_or(&empty);
        let a = self
            .after
            .as_ref()
            .and_then(|v| v.as_object())
            .unwrap_or(&empty);
        let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .filter_map(|k| {
                let (x, y) = (
                    b.get(k).cloned().unwrap_or(serde_json::Value::Null),
                    a.get(k).cloned().unwrap_or(serde_json::Value::Null),
                );
                (x != y || self.action != "update").then(|| (k.clone(), x, y))
            })
            .collect()
    }
}

fn json(s: Option<String>) -> Option<serde_json::Value> {
    s.and_then(|s| serde_json::from_str(&s).ok())
}

impl Store {
    /// The workspace's entries matching `f`, newest first: changes to its records and the
    /// account events of its members. At most `f.limit` (1–200).
    pub async fn list_audit(&self, ws: WorkspaceId, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        // The newest entries wait outside the indexed log until moved; a reader sees them all.
        self.settle_audit().await?;
        let mut sql = String::from(
            "SELECT a.id, a.at, a.actor_user_id, u.name, a.actor_token_id, t.name, a.via, a.action,
                    a.record_type, a.record_id, a.before, a.after
             FROM audit_log a
             LEFT JOIN users u ON u.id = a.actor_user_id
             LEFT JOIN api_tokens t ON t.id = a.actor_token_id
             WHERE (a.workspace_id = $1 OR (a.workspace_id IS NULL AND a.record_type = 'account'
                    AND a.record_id IN (SELECT CAST(m.user_id AS TEXT) FROM memberships m WHERE m.workspace_id = $1)))",
        );
        let mut n = 1;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if f.user_id.is_some() {
            let p = next();
            sql += &format!(
                " AND (a.actor_user_id = {p} OR (a.record_type = 'account' AND a.record_id = CAST({p} AS TEXT)))"
            );
        }
        if f.record_type.is_some() {
            sql += &format!(" AND a.record_type = {}", next());
        }
        if f.record_id.is_some() {
            sql += &format!(" AND a.record_id = {}", next());
        }
        if f.from.is_some() {
            sql += &format!(" AND a.at >= {}", next());
        }
        if f.until.is_some() {
            sql += &format!(" AND a.at < {}", next());
        }
        if f.before_id.is_some() {
            sql += &format!(" AND a.id < {}", next());
        }
        sql += &format!(" ORDER BY a.id DESC LIMIT {}", next());
        let limit = f.limit.clamp(1, 200);
        macro_rules! run {
            ($p:expr) => {{
                let mut q = sqlx::query(&sql).bind(ws);
                if let Some(u) = f.user_id {
                    q = q.bind(u);
                }
                if let Some(t) = &f.record_type {
                    q = q.bind(t);
                }
                if let Some(r) = &f.record_id {
                    q = q.bind(r);
                }
                if let Some(x) = f.from {
                    q = q.bind(x);
                }
                if let Some(x) = f.until {
                    q = q.bind(x);
                }
                if let Some(x) = f.before_id {
                    q = q.bind(x);
                }
                let rows = q.bind(limit).fetch_all($p).await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    out.push(AuditEntry {
                        id: r.try_get(0)?,
                        at: r.try_get(1)?,
                        actor_user_id: r.try_get(2)?,
                        actor_name: r.try_get(3)?,
                        actor_token_id: r.try_get(4)?,
                        actor_token_name: r.try_get(5)?,
                        via: r.try_get(6)?,
                        action: r.try_get(7)?,
                        record_type: r.try_get(8)?,
                        record_id: r.try_get(9)?,
                        before: json(r.try_get(10)?),
                        after: json(r.try_get(11)?),
                    });
                }
                out
            }};
        }
        let out = match &self.db {
            Db::Sqlite { reader, .. } => run!(reader),
            Db::Postgres(p) => run!(p),
        };
        Ok(out)
    }
}

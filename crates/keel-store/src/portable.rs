//! The whole workspace as one JSON document: written by `export_workspace`, read back into a
//! new workspace (on this server or another, SQLite or PostgreSQL) by `import_workspace`.
//!
//! The document is versioned (`format`) and stable: maps are sorted by key and rows by their
//! key, so two exports of the same data are the same bytes. Ids are the source's; an import
//! gives every row a new id and maps every reference to it, history included, in one
//! transaction: a document that cannot be imported whole changes nothing.

mod check;
pub mod tables;

pub use check::spec_refs;
pub use tables::{Kind, Table, NOT_EXPORTED, TABLES};

use crate::lead_rollups::apply_sql;
use crate::workspaces::{slug_taken, INSERT_WORKSPACE};
use crate::{Db, Result, Store, StoreError, Workspace, WorkspaceId};
use keel_domain::Role;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row as _;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The version of the document this keel writes; it reads this one and older ones.
///
/// Format 2 added the reviews, decisions and strategy-stack tables; a format 1 document has
/// none of them and imports as a workspace without them.
pub const FORMAT: i64 = 2;

/// A row: column name to value (ids are the source's).
pub type Row = BTreeMap<String, Value>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub format: i64,
    /// The keel that wrote it (for people reading the file; an import does not read it).
    pub keel_version: String,
    pub workspace: WorkspaceMeta,
    /// The sign-in accounts the workspace refers to (members, authors of history).
    pub users: Vec<UserEntry>,
    pub members: Vec<MemberEntry>,
    /// Table name to rows, in the order of their key.
    pub tables: BTreeMap<String, Vec<Row>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceMeta {
    pub slug: String,
    pub name: String,
    pub time_zone: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserEntry {
    pub id: i64,
    pub email: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberEntry {
    pub user_id: i64,
    pub role: String,
    pub joined_at: i64,
}

impl Document {
    /// Reads a document, refusing one that is not JSON, was written by a newer keel, or does
    /// not have the document's shape; the message says which, for the person importing it.
    pub fn parse(bytes: &[u8]) -> std::result::Result<Document, String> {
        let v: Value = serde_json::from_slice(bytes).map_err(|e| {
            format!("The file is not a keel workspace export: it is not JSON ({e}).")
        })?;
        let Some(format) = v.get("format") else {
            return Err(
                "The file is not a keel workspace export: it has no `format` field.".into(),
            );
        };
        let Some(format) = format.as_i64().filter(|f| *f >= 1) else {
            return Err(format!(
                "The file's `format` must be a whole number from 1, not {format}."
            ));
        };
        if format > FORMAT {
            return Err(format!(
                "The file is workspace export format {format}, written by a newer keel; this keel reads \
                 format {FORMAT} and older. Import it with a keel at least as new as the one that exported it."
            ));
        }
        let doc: Document = serde_json::from_value(v)
            .map_err(|e| format!("The file is not a keel workspace export: {e}."))?;
        check::check(&doc)?;
        Ok(doc)
    }

    /// The document as pretty JSON, ending in a newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).expect("a document always serialises");
        out.push(b'\n');
        out
    }

    pub fn rows(&self, table: &str) -> &[Row] {
        self.tables.get(table).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// What an import made.
#[derive(Debug, Clone)]
pub struct Imported {
    pub workspace: Workspace,
    pub rows: usize,
    /// Emails of accounts the document names that this server does not have: their history
    /// lines keep their place with no author, and they are not members.
    pub users_missing: Vec<String>,
    pub members: usize,
}

/// One value to bind, typed for both backends.
enum Bind {
    I(Option<i64>),
    F(Option<f64>),
    T(Option<String>),
    B(Option<bool>),
}

fn id_list(v: &[i64]) -> Option<String> {
    if v.is_empty() {
        return Some(String::new());
    }
    let inner: Vec<String> = v.iter().map(i64::to_string).collect();
    Some(format!(",{},", inner.join(",")))
}

/// Reads one cell of a row as the document writes it.
fn cell<'r, R>(row: &'r R, i: usize, kind: Kind) -> Result<Value>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<f64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<bool>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(match kind {
        Kind::Id | Kind::Int | Kind::Ref(_) | Kind::User => row
            .try_get::<Option<i64>, _>(i)?
            .map_or(Value::Null, Value::from),
        Kind::Real => row
            .try_get::<Option<f64>, _>(i)?
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Kind::Text => row
            .try_get::<Option<String>, _>(i)?
            .map_or(Value::Null, Value::from),
        Kind::People => {
            let s = row.try_get::<Option<String>, _>(i)?.unwrap_or_default();
            Value::from(
                s.split(',')
                    .filter_map(|x| x.trim().parse::<i64>().ok())
                    .collect::<Vec<_>>(),
            )
        }
        Kind::Spec => {
            let s = row.try_get::<Option<String>, _>(i)?.unwrap_or_default();
            serde_json::from_str(&s).map_err(|e| {
                StoreError::Invalid(format!("a workflow's stored spec is not JSON ({e})"))
            })?
        }
        Kind::Bool => row
            .try_get::<Option<bool>, _>(i)?
            .map_or(Value::Null, Value::from),
        Kind::Topics => {
            let s = row.try_get::<Option<String>, _>(i)?.unwrap_or_default();
            Value::from(
                s.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>(),
            )
        }
    })
}

/// Turns the rows read from the database into the document's: references the document does
/// not hold (a spec naming a person since deleted) become "nobody".
fn tidy(tables: &mut BTreeMap<String, Vec<Row>>) {
    let ids: HashMap<String, BTreeSet<i64>> = tables
        .iter()
        .map(|(t, rows)| {
            let ids = rows.iter().filter_map(|r| r.get("id")?.as_i64()).collect();
            (t.clone(), ids)
        })
        .collect();
    let has = |t: &str, id: i64| ids.get(t).is_some_and(|s| s.contains(&id));
    for t in TABLES {
        let Some(rows) = tables.get_mut(t.name) else {
            continue;
        };
        for row in rows {
            for (col, kind) in t.columns {
                let Some(v) = row.get_mut(*col) else { continue };
                match kind {
                    Kind::Spec => {
                        spec_refs(v, |table, id| Some(if has(table, id) { id } else { 0 }))
                    }
                    Kind::People => {
                        if let Value::Array(a) = v {
                            a.retain(|x| x.as_i64().is_some_and(|id| has("people", id)));
                        }
                    }
                    Kind::Topics => {
                        if let Value::Array(a) = v {
                            a.retain(|x| {
                                x.as_str()
                                    .and_then(tables::topic)
                                    .is_some_and(|(t, id)| has(t, id))
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

macro_rules! export_in {
    ($tx:ident, $ws:expr) => {{
        let meta: Option<(String, String, String, i64)> = sqlx::query_as(
            "SELECT slug, name, time_zone, created_at FROM workspaces WHERE id = $1")
            .bind($ws).fetch_optional(&mut *$tx).await?;
        let (slug, name, time_zone, created_at) = meta.ok_or(StoreError::NotFound)?;
        let mut tables = BTreeMap::new();
        for t in TABLES {
            let cols: Vec<&str> = t.columns.iter().map(|c| c.0).collect();
            let sql = format!("SELECT {} FROM {} WHERE workspace_id = $1 ORDER BY {}", cols.join(", "), t.name, t.order);
            let rows = sqlx::query(&sql).bind($ws).fetch_all(&mut *$tx).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let mut row = Row::new();
                for (i, (c, k)) in t.columns.iter().enumerate() {
                    row.insert((*c).to_string(), cell(r, i, *k)?);
                }
                out.push(row);
            }
            tables.insert(t.name.to_string(), out);
        }
        let members: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT user_id, role, created_at FROM memberships WHERE workspace_id = $1 ORDER BY user_id")
            .bind($ws).fetch_all(&mut *$tx).await?;
        let all_users: Vec<(i64, String, String)> = sqlx::query_as("SELECT id, email, name FROM users ORDER BY id")
            .fetch_all(&mut *$tx).await?;
        (WorkspaceMeta { slug, name, time_zone, created_at }, tables, members, all_users)
    }};
}

impl Store {
    /// The workspace `ws` as one document, read in one snapshot.
    pub async fn export_workspace(&self, ws: WorkspaceId) -> Result<Document> {
        let (workspace, mut tables, members, all_users) = match &self.db {
            Db::Sqlite { reader, .. } => {
                let mut tx = reader.begin().await?;
                let out = export_in!(tx, ws);
                tx.rollback().await?;
                out
            }
            Db::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut *tx)
                    .await?;
                let out = export_in!(tx, ws);
                tx.rollback().await?;
                out
            }
        };
        tidy(&mut tables);
        let mut referenced: BTreeSet<i64> = members.iter().map(|m| m.0).collect();
        for t in TABLES {
            for (col, kind) in t.columns {
                if *kind == Kind::User {
                    for row in &tables[t.name] {
                        referenced.extend(row.get(*col).and_then(Value::as_i64));
                    }
                }
            }
        }
        let users = all_users
            .into_iter()
            .filter(|u| referenced.contains(&u.0))
            .map(|(id, email, name)| UserEntry { id, email, name })
            .collect::<Vec<_>>();
        // A user id whose account is gone (it cannot be: ON DELETE SET NULL) would be nobody.
        let known: BTreeSet<i64> = users.iter().map(|u| u.id).collect();
        for t in TABLES {
            for (col, kind) in t.columns {
                if *kind == Kind::User {
                    for row in tables.get_mut(t.name).into_iter().flatten() {
                        if row
                            .get(*col)
                            .and_then(Value::as_i64)
                            .is_some_and(|id| !known.contains(&id))
                        {
                            row.insert((*col).to_string(), Value::Null);
                        }
                    }
                }
            }
        }
        Ok(Document {
            format: FORMAT,
            keel_version: env!("CARGO_PKG_VERSION").to_string(),
            workspace,
            users,
            members: members
                .into_iter()
                .filter(|m| known.contains(&m.0))
                .map(|(user_id, role, joined_at)| MemberEntry {
                    user_id,
                    role,
                    joined_at,
                })
                .collect(),
            tables,
        })
    }

    /// Imports `doc` (already checked by `Document::parse`) as a new workspace `slug`, all or
    /// nothing. Accounts are matched by email; `owner` (an account id) is made its owner.
    pub async fn import_workspace(
        &self,
        doc: &Document,
        slug: &str,
        name: &str,
        owner: Option<i64>,
    ) -> Result<Imported> {
        check::check(doc).map_err(StoreError::Invalid)?;
        let t0 = crate::now();
        let [ra, rb, rc] = apply_sql("FROM leads l WHERE l.workspace_id = $1 AND l.id > $2");
        let out = crate::tx!(self, tx => {
            let ws = sqlx::query_as::<_, Workspace>(INSERT_WORKSPACE)
                .bind(slug).bind(name).bind(doc.workspace.created_at)
                .fetch_one(&mut *tx).await
                .map_err(|e| StoreError::unique(e, slug_taken(slug)))?;
            sqlx::query("UPDATE workspaces SET time_zone = $2 WHERE id = $1")
                .bind(ws.id).bind(&doc.workspace.time_zone).execute(&mut *tx).await?;
            let mut users: HashMap<i64, Option<i64>> = HashMap::new();
            let mut users_missing = Vec::new();
            for u in &doc.users {
                let found: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = lower($1)")
                    .bind(&u.email).fetch_optional(&mut *tx).await?;
                if found.is_none() {
                    users_missing.push(u.email.clone());
                }
                users.insert(u.id, found);
            }
            let mut members = 0;
            for m in &doc.members {
                if let Some(Some(user)) = users.get(&m.user_id) {
                    if Some(*user) == owner {
                        continue;
                    }
                    sqlx::query("INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)")
                        .bind(ws.id).bind(user).bind(&m.role).bind(m.joined_at).execute(&mut *tx).await?;
                    members += 1;
                }
            }
            if let Some(user) = owner {
                sqlx::query("INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, 'owner', $3)")
                    .bind(ws.id).bind(user).bind(t0).execute(&mut *tx).await?;
                members += 1;
            }
            let mut ids: HashMap<&str, HashMap<i64, i64>> = HashMap::new();
            let mut rows_done = 0;
            let mut topics_later: Vec<(&str, i64, &str, Vec<String>)> = Vec::new();
            for t in TABLES {
                let insert: Vec<&str> = t.columns.iter().filter(|c| c.1 != Kind::Id).map(|c| c.0).collect();
                let marks: Vec<String> = (0..insert.len()).map(|i| format!("${}", i + 2)).collect();
                let sql = format!(
                    "INSERT INTO {} (workspace_id, {}) VALUES ($1, {}){}",
                    t.name, insert.join(", "), marks.join(", "),
                    if t.has_id() { " RETURNING id" } else { "" });
                let mut later: Vec<(i64, &str, i64)> = Vec::new();
                let mut with_topics: Vec<(i64, &str, Vec<String>)> = Vec::new();
                let mut map: HashMap<i64, i64> = HashMap::new();
                for row in doc.rows(t.name) {
                    let mut q = sqlx::query(&sql).bind(ws.id);
                    for (col, kind) in t.columns {
                        let v = &row[*col];
                        let b = match kind {
                            Kind::Id => continue,
                            Kind::Int => Bind::I(v.as_i64()),
                            Kind::Real => Bind::F(v.as_f64()),
                            Kind::Text => Bind::T(v.as_str().map(str::to_string)),
                            Kind::Ref(to) if *to == t.name => Bind::I(None),
                            Kind::Ref(to) => Bind::I(v.as_i64().and_then(|old| ids.get(to)?.get(&old).copied())),
                            Kind::User => Bind::I(v.as_i64().and_then(|old| users.get(&old).copied().flatten())),
                            Kind::People => {
                                let people = &ids["people"];
                                let new: Vec<i64> = v.as_array().into_iter().flatten()
                                    .filter_map(|x| people.get(&x.as_i64()?).copied()).collect();
                                Bind::T(id_list(&new))
                            }
                            Kind::Spec => {
                                let mut spec = v.clone();
                                spec_refs(&mut spec, |table, old| {
                                    if old == 0 { Some(0) } else { ids.get(table)?.get(&old).copied() }
                                });
                                Bind::T(Some(spec.to_string()))
                            }
                            Kind::Bool => Bind::B(v.as_bool()),
                            // Written once every table is in: a topic may name a later table.
                            Kind::Topics => Bind::T(Some(String::new())),
                        };
                        q = match b {
                            Bind::I(x) => q.bind(x),
                            Bind::F(x) => q.bind(x),
                            Bind::T(x) => q.bind(x),
                            Bind::B(x) => q.bind(x),
                        };
                    }
                    if t.has_id() {
                        let new: i64 = q.fetch_one(&mut *tx).await
                            .map_err(|e| StoreError::unique(e, format!("the file holds two {} that this keel keeps apart (same name or key)", t.name.replace('_', " "))))?
                            .try_get(0)?;
                        if let Some(old) = row.get("id").and_then(Value::as_i64) {
                            map.insert(old, new);
                        }
                        for (col, kind) in t.columns {
                            if *kind == Kind::Ref(t.name) {
                                if let Some(old) = row.get(*col).and_then(Value::as_i64) {
                                    later.push((new, col, old));
                                }
                            }
                            if *kind == Kind::Topics {
                                let old: Vec<String> = row[*col].as_array().into_iter().flatten()
                                    .filter_map(|x| x.as_str().map(str::to_string)).collect();
                                with_topics.push((new, col, old));
                            }
                        }
                    } else {
                        q.execute(&mut *tx).await
                            .map_err(|e| StoreError::unique(e, format!("the file holds the same {} row twice", t.name.replace('_', " "))))?;
                    }
                    rows_done += 1;
                }
                for (new, col, old) in later {
                    let sql = format!("UPDATE {} SET {col} = $3 WHERE workspace_id = $1 AND id = $2", t.name);
                    sqlx::query(&sql).bind(ws.id).bind(new).bind(map.get(&old).copied()).execute(&mut *tx).await?;
                }
                ids.insert(t.name, map);
                topics_later.extend(with_topics.into_iter().map(|(new, col, old)| (t.name, new, col, old)));
            }
            for (table, new, col, old) in topics_later {
                let mapped: Vec<String> = old.iter().filter_map(|x| {
                    let (kind, _) = x.split_once(':')?;
                    let (to, id) = tables::topic(x)?;
                    Some(format!("{kind}:{}", ids.get(to)?.get(&id)?))
                }).collect();
                let sql = format!("UPDATE {table} SET {col} = $3 WHERE workspace_id = $1 AND id = $2");
                sqlx::query(&sql).bind(ws.id).bind(new).bind(mapped.join(",")).execute(&mut *tx).await?;
            }
            for sql in [&ra, &rb, &rc] {
                sqlx::query(sql).bind(ws.id).bind(0_i64).bind(1_i64).execute(&mut *tx).await?;
            }
            let ws = sqlx::query_as::<_, Workspace>(
                "SELECT id, slug, name, created_at, data_version, time_zone, version FROM workspaces WHERE id = $1")
                .bind(ws.id).fetch_one(&mut *tx).await?;
            Imported { workspace: ws, rows: rows_done, users_missing, members }
        });
        Ok(out)
    }
}

/// The roles a document may give members (anything else is refused by `check`).
pub(crate) fn role_ok(s: &str) -> bool {
    Role::parse(s).is_ok()
}

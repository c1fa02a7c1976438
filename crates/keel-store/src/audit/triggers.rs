//! The audit triggers, derived from the live schema at every migrate: one rule for which tables
//! are audited (every table with a `workspace_id`, and `workspaces`, but those in
//! `NOT_AUDITED`), one for which columns are recorded (all but secrets and counters), for both
//! backends. A migration that adds a table or a column needs nothing more: the next migrate
//! (start-up or `keel migrate`) creates or replaces the table's triggers.

use super::COLUMNS;
use crate::{Db, Result, Store};
use std::collections::BTreeMap;

/// Tables with a `workspace_id` whose rows are not audited, and why.
pub const NOT_AUDITED: &[(&str, &str)] = &[
    ("audit_log", "the audit log itself"),
    (
        "audit_recent",
        "the audit log's newest entries, before they move into it",
    ),
    (
        "lead_rollups",
        "sums of the leads, moved in the transaction that changes them",
    ),
    (
        "lead_reasons",
        "sums of the leads, moved in the transaction that changes them",
    ),
    (
        "webhook_deliveries",
        "the webhook queue: written in the transaction of the audited change that caused each \
         event, then moved by keel's delivery worker on every attempt; its log is the \
         subscription's page",
    ),
    (
        "digest_sends",
        "which weekly digests keel mailed: its own bookkeeping, not a change anyone made",
    ),
];

/// Tables audited only when an update sets one of these columns, and why.
const ONLY_UPDATES_OF: &[(&str, &[&str], &str)] = &[(
    "leads",
    &["feedback_at"],
    "leads arrive by the hundred thousand from CRM imports, each import audited as its \
     lead_imports row; sales feedback on a lead is a person's change and is audited",
)];

/// Columns never written to the audit log: secrets (stored hashes, and a webhook's signing
/// secret, kept as is), the workspace (the entry has it), counters that move on reads
/// (`data_version`, a token's last use) and a lead import's progress (moved every batch; its
/// start and its outcome are entries). An update that changes only these is no entry.
fn ignored(col: &str) -> bool {
    col.ends_with("_hash")
        || col.ends_with("_secret")
        || matches!(
            col,
            "workspace_id"
                | "data_version"
                | "last_used_at"
                | "rows_staged"
                | "rows_read"
                | "rows_bad"
                | "bytes_read"
                | "heartbeat_at"
        )
}

/// Whether `table` (with these columns) is audited: for the schema test and the installer.
pub fn audited_table(table: &str, columns: &[String]) -> bool {
    (table == "workspaces" || columns.iter().any(|c| c == "workspace_id"))
        && !NOT_AUDITED.iter().any(|(t, _)| *t == table)
}

/// One audited table as its triggers need it.
#[derive(Debug, Clone)]
struct Audited {
    name: String,
    /// The column holding the workspace's id.
    ws: &'static str,
    /// The recorded columns, in the table's order.
    columns: Vec<String>,
    /// The columns that name a row (its id, else its primary key but the workspace).
    key: Vec<String>,
    only_update_of: Option<&'static [&'static str]>,
}

fn audited(name: &str, all: &[String], pk: &[String]) -> Option<Audited> {
    if !audited_table(name, all) {
        return None;
    }
    let key = if all.iter().any(|c| c == "id") {
        vec!["id".to_string()]
    } else {
        let k: Vec<String> = pk
            .iter()
            .filter(|c| *c != "workspace_id")
            .cloned()
            .collect();
        if k.is_empty() {
            vec!["workspace_id".to_string()]
        } else {
            k
        }
    };
    Some(Audited {
        name: name.to_string(),
        ws: if name == "workspaces" {
            "id"
        } else {
            "workspace_id"
        },
        columns: all.iter().filter(|c| !ignored(c)).cloned().collect(),
        key,
        only_update_of: ONLY_UPDATES_OF
            .iter()
            .find(|(t, _, _)| *t == name)
            .map(|(_, c, _)| *c),
    })
}

fn sqlite_triggers(t: &Audited) -> Vec<(String, String)> {
    let key = |row: &str| {
        t.key
            .iter()
            .map(|k| format!("CAST({row}.{k} AS TEXT)"))
            .collect::<Vec<_>>()
            .join(" || ':' || ")
    };
    let json = |row: &str| {
        let pairs: Vec<String> = t
            .columns
            .iter()
            .map(|c| format!("'{c}', {row}.{c}"))
            .collect();
        format!("json_object({})", pairs.join(", "))
    };
    // An update keeps only the fields it changed, before and after: the entry is a third the
    // size, so the log's pages fill more slowly.
    let changed_json = |side: &str| {
        let rows: Vec<String> = t
            .columns
            .iter()
            .map(|c| format!("SELECT '{c}' AS k, OLD.{c} AS o, NEW.{c} AS n"))
            .collect();
        format!(
            "(SELECT json_group_object(k, {side}) FROM ({}) WHERE o IS NOT n)",
            rows.join(" UNION ALL ")
        )
    };
    let entry = |action: &str, row: &str, before: String, after: String| {
        format!(
            "INSERT INTO audit_recent (id, {COLUMNS}) VALUES ({NEXT_ID}, {row}.{ws}, \
             CAST(strftime('%s', 'now') AS INTEGER), NULL, NULL, '{UNSTAMPED}', '{action}', '{name}', {key}, \
             {before}, {after})",
            NEXT_ID = super::SQLITE_NEXT_ID,
            UNSTAMPED = super::UNSTAMPED,
            ws = t.ws,
            name = t.name,
            key = key(row)
        )
    };
    let name = &t.name;
    let mut out = Vec::new();
    let changed: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
        .collect();
    let of = t
        .only_update_of
        .map(|cols| cols.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        .unwrap_or_else(|| t.columns.clone());
    out.push((
        format!("keel_audit_{name}_update"),
        format!(
            "CREATE TRIGGER keel_audit_{name}_update AFTER UPDATE OF {of} ON {name} WHEN {changed} BEGIN {e}; END",
            of = of.join(", "),
            changed = changed.join(" OR "),
            e = entry("update", "NEW", changed_json("o"), changed_json("n"))
        ),
    ));
    if t.only_update_of.is_none() {
        out.push((
            format!("keel_audit_{name}_insert"),
            format!(
                "CREATE TRIGGER keel_audit_{name}_insert AFTER INSERT ON {name} BEGIN {e}; END",
                e = entry("insert", "NEW", "NULL".into(), json("NEW"))
            ),
        ));
        out.push((
            format!("keel_audit_{name}_delete"),
            format!(
                "CREATE TRIGGER keel_audit_{name}_delete AFTER DELETE ON {name} BEGIN {e}; END",
                e = entry("delete", "OLD", json("OLD"), "NULL".into())
            ),
        ));
    }
    out
}

/// The one PostgreSQL function every audit trigger calls: `TG_ARGV[0]` names the workspace
/// column, the rest the key columns.
fn pg_function(ignored_columns: &[String]) -> String {
    let list: Vec<String> = ignored_columns.iter().map(|c| format!("'{c}'")).collect();
    format!(
        r#"CREATE OR REPLACE FUNCTION keel_audit() RETURNS trigger AS $f$
DECLARE
    o jsonb;
    n jsonb;
    src jsonb;
    rec text;
    i int;
BEGIN
    -- Each row becomes JSON once: the record's key and workspace are read from it too.
    IF TG_OP = 'DELETE' THEN src := to_jsonb(OLD); ELSE src := to_jsonb(NEW); END IF;
    IF TG_OP = 'INSERT' THEN
        n := src - ARRAY[{list}]::text[];
    ELSIF TG_OP = 'DELETE' THEN
        o := src - ARRAY[{list}]::text[];
    ELSE
        o := to_jsonb(OLD) - ARRAY[{list}]::text[];
        n := src - ARRAY[{list}]::text[];
        IF o = n THEN RETURN NULL; END IF;
    END IF;
    -- The record's key, without a query (a query per row costs every write).
    rec := src ->> TG_ARGV[1];
    FOR i IN 2 .. TG_NARGS - 1 LOOP
        rec := rec || ':' || (src ->> TG_ARGV[i]);
    END LOOP;
    INSERT INTO audit_recent ({COLUMNS}) VALUES (
        (src ->> TG_ARGV[0])::bigint,
        extract(epoch from clock_timestamp())::bigint,
        NULLIF(current_setting('keel.actor_user', true), '')::bigint,
        NULLIF(current_setting('keel.actor_token', true), '')::bigint,
        coalesce(NULLIF(current_setting('keel.via', true), ''), 'database'),
        lower(TG_OP), TG_TABLE_NAME, rec, o::text, n::text);
    RETURN NULL;
END
$f$ LANGUAGE plpgsql"#,
        list = if list.is_empty() {
            "'workspace_id'".to_string()
        } else {
            list.join(", ")
        }
    )
}

/// FNV-1a: a short stable name for a trigger's definition, so a changed one is replaced.
fn short_hash(s: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h as u32)
}

fn pg_trigger(t: &Audited) -> (String, String) {
    let events = match t.only_update_of {
        Some(cols) => format!("UPDATE OF {}", cols.join(", ")),
        None => format!("INSERT OR UPDATE OF {} OR DELETE", t.columns.join(", ")),
    };
    let args: Vec<String> = std::iter::once(t.ws.to_string())
        .chain(t.key.iter().cloned())
        .map(|a| format!("'{a}'"))
        .collect();
    let body = format!(
        "AFTER {events} ON {} FOR EACH ROW EXECUTE FUNCTION keel_audit({})",
        t.name,
        args.join(", ")
    );
    let name = format!("keel_audit_{}", short_hash(&body));
    (name.clone(), format!("CREATE TRIGGER {name} {body}"))
}

/// Every table with its columns in order and its primary key.
async fn tables(s: &Store) -> Result<BTreeMap<String, (Vec<String>, Vec<String>)>> {
    let rows: Vec<(String, String, bool, i64)> = match &s.db {
        Db::Sqlite { writer, .. } => sqlx::query_as(
            "SELECT m.name, c.name, c.pk > 0, c.pk * 1000 + c.cid
             FROM sqlite_master m JOIN pragma_table_info(m.name) c
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'
             ORDER BY m.name, c.cid",
        )
        .fetch_all(writer)
        .await?,
        Db::Postgres(p) => sqlx::query_as(
            "SELECT c.table_name::text, c.column_name::text,
                    coalesce(array_position(i.indkey::int2[], a.attnum::int2), 0) > 0,
                    coalesce(array_position(i.indkey::int2[], a.attnum::int2), 0)::bigint
             FROM information_schema.columns c
             JOIN pg_class t ON t.relname = c.table_name AND t.relnamespace = current_schema()::regnamespace
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = c.column_name
             LEFT JOIN pg_index i ON i.indrelid = t.oid AND i.indisprimary
             WHERE c.table_schema = current_schema() AND c.table_name NOT LIKE '_sqlx%'
             ORDER BY c.table_name, c.ordinal_position",
        )
        .fetch_all(p)
        .await?,
    };
    /// Columns in order, and primary-key columns with their rank.
    type Found = (Vec<String>, Vec<(i64, String)>);
    let mut out: BTreeMap<String, Found> = BTreeMap::new();
    for (table, col, pk, rank) in rows {
        let e = out.entry(table).or_default();
        if pk {
            e.1.push((rank, col.clone()));
        }
        e.0.push(col);
    }
    Ok(out
        .into_iter()
        .map(|(t, (cols, mut pk))| {
            pk.sort();
            (t, (cols, pk.into_iter().map(|p| p.1).collect()))
        })
        .collect())
}

fn plan(schema: &BTreeMap<String, (Vec<String>, Vec<String>)>) -> Vec<Audited> {
    schema
        .iter()
        .filter_map(|(t, (cols, pk))| audited(t, cols, pk))
        .collect()
}

/// The audit triggers the database has, as (table, trigger name).
pub(crate) async fn existing(s: &Store) -> Result<Vec<(String, String, String)>> {
    Ok(match &s.db {
        Db::Sqlite { writer, .. } => sqlx::query_as(
            "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'keel_audit%'",
        )
        .fetch_all(writer)
        .await?,
        Db::Postgres(p) => sqlx::query_as(
            "SELECT c.relname::text, t.tgname::text, pg_get_triggerdef(t.oid)
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE NOT t.tgisinternal AND t.tgname LIKE 'keel_audit%'
               AND c.relnamespace = current_schema()::regnamespace",
        )
        .fetch_all(p)
        .await?,
    })
}

impl Store {
    /// Creates the audit triggers the schema needs and replaces or drops the ones that differ:
    /// run by `migrate`, so every table of workspace data is audited once it exists.
    pub(crate) async fn install_audit(&self) -> Result<()> {
        let want = plan(&tables(self).await?);
        let have = existing(self).await?;
        match &self.db {
            Db::Sqlite { writer, .. } => {
                let wanted: Vec<(String, String, String)> = want
                    .iter()
                    .flat_map(|t| {
                        sqlite_triggers(t)
                            .into_iter()
                            .map(|(n, sql)| (t.name.clone(), n, sql))
                    })
                    .collect();
                // The writer may have connected before a migration made the log: ready it.
                super::prepare_sqlite(&mut *writer.acquire().await?).await?;
                if wanted == have_sorted(&have, &wanted) {
                    return Ok(());
                }
                let mut tx = writer.begin_with("BEGIN IMMEDIATE").await?;
                for (_, name, sql) in &have {
                    if !wanted.iter().any(|w| &w.1 == name && &w.2 == sql) {
                        sqlx::query(&format!("DROP TRIGGER IF EXISTS {name}"))
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                for (_, name, sql) in &wanted {
                    if !have.iter().any(|h| &h.1 == name && &h.2 == sql) {
                        sqlx::query(sql).execute(&mut *tx).await?;
                    }
                }
                tx.commit().await?;
            }
            Db::Postgres(p) => {
                let wanted: Vec<(String, String, String)> = want
                    .iter()
                    .map(|t| {
                        let (n, sql) = pg_trigger(t);
                        (t.name.clone(), n, sql)
                    })
                    .collect();
                let mut ignored_columns: Vec<String> = tables(self)
                    .await?
                    .values()
                    .flat_map(|(c, _)| c.iter().filter(|c| ignored(c)).cloned())
                    .collect();
                ignored_columns.sort();
                ignored_columns.dedup();
                let mut tx = p.begin().await?;
                // Several nodes may migrate at once: one installs, the others wait and find
                // the work done.
                sqlx::query("SELECT pg_advisory_xact_lock(726114)")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(&pg_function(&ignored_columns))
                    .execute(&mut *tx)
                    .await?;
                let have = existing(self).await?;
                for (table, name, _) in &have {
                    if !wanted.iter().any(|w| &w.0 == table && &w.1 == name) {
                        sqlx::query(&format!("DROP TRIGGER IF EXISTS {name} ON {table}"))
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                for (table, name, sql) in &wanted {
                    if !have.iter().any(|h| &h.0 == table && &h.1 == name) {
                        sqlx::query(sql).execute(&mut *tx).await?;
                    }
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Each table of the schema with whether it is audited and the audit triggers on it:
    /// for the schema test.
    pub async fn describe_audit(&self) -> Result<Vec<(String, bool, Vec<String>)>> {
        let schema = tables(self).await?;
        let have = existing(self).await?;
        Ok(schema
            .iter()
            .map(|(t, (cols, _))| {
                let mut names: Vec<String> = have
                    .iter()
                    .filter(|h| &h.0 == t)
                    .map(|h| h.1.clone())
                    .collect();
                names.sort();
                (t.clone(), audited_table(t, cols), names)
            })
            .collect())
    }
}

/// `have` in `wanted`'s order, for a quick "nothing to do".
fn have_sorted(
    have: &[(String, String, String)],
    wanted: &[(String, String, String)],
) -> Vec<(String, String, String)> {
    if have.len() != wanted.len() {
        return Vec::new();
    }
    wanted
        .iter()
        .filter_map(|w| have.iter().find(|h| h.1 == w.1).cloned())
        .collect()
}

pub(crate) async fn drop_all(s: &Store) -> Result<()> {
    for (table, name, _) in existing(s).await? {
        let sql = if matches!(s.db, Db::Sqlite { .. }) {
            format!("DROP TRIGGER IF EXISTS {name}")
        } else {
            format!("DROP TRIGGER IF EXISTS {name} ON {table}")
        };
        match &s.db {
            Db::Sqlite { writer, .. } => sqlx::query(&sql).execute(writer).await.map(|_| ())?,
            Db::Postgres(p) => sqlx::query(&sql).execute(p).await.map(|_| ())?,
        }
    }
    Ok(())
}

//! A description of the live schema, so a test can prove the SQLite and PostgreSQL
//! migrations describe the same tables.

use crate::{read, Db, Result, Store};

/// (table, column, type family, nullable), sorted.
pub type Column = (String, String, &'static str, bool);

fn family(t: &str) -> &'static str {
    let t = t.to_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("real") || t.contains("double") {
        "real"
    } else if t.contains("text") || t.contains("char") {
        "text"
    } else {
        "other"
    }
}

impl Store {
    pub async fn describe_schema(&self) -> Result<Vec<Column>> {
        let rows: Vec<(String, String, String, bool)> = match &self.db {
            Db::Sqlite { .. } => read!(self, p => sqlx::query_as(
                "SELECT m.name, c.name, c.type, (c.\"notnull\" = 0 AND c.pk = 0)
                 FROM sqlite_master m JOIN pragma_table_info(m.name) c
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'")
                .fetch_all(p).await)?,
            Db::Postgres(_) => read!(self, p => sqlx::query_as(
                "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'YES'
                 FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'")
                .fetch_all(p).await)?,
        };
        let mut cols: Vec<Column> = rows
            .into_iter()
            .map(|(t, c, ty, n)| (t, c, family(&ty), n))
            .collect();
        cols.sort();
        Ok(cols)
    }
}

/// A foreign key: the table, the table it references, whether its rows go with the
/// referenced row (ON DELETE CASCADE), and its columns.
pub type ForeignKey = (String, String, bool, Vec<String>);

impl Store {
    /// Every foreign key of the schema, sorted: for `tests/schema.rs`, which checks that rows of
    /// workspace data reference their parents together with the workspace.
    pub async fn describe_foreign_keys(&self) -> Result<Vec<ForeignKey>> {
        let rows: Vec<(String, String, bool, i64, String)> = match &self.db {
            Db::Sqlite { .. } => read!(self, p => sqlx::query_as(
                "SELECT m.name, f.\"table\", f.on_delete = 'CASCADE', f.id, f.\"from\"
                 FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'
                 ORDER BY m.name, f.id, f.seq")
                .fetch_all(p).await)?,
            Db::Postgres(_) => read!(self, p => sqlx::query_as(
                "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text, c.confdeltype = 'c', c.oid::bigint, a.attname::text
                 FROM pg_constraint c
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
                 WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
                 ORDER BY 1, 4, 5")
                .fetch_all(p).await)?,
        };
        let mut out: Vec<ForeignKey> = Vec::new();
        let mut last: Option<(String, i64)> = None;
        for (table, parent, cascade, id, column) in rows {
            if last.as_ref() == Some(&(table.clone(), id)) {
                if let Some(k) = out.last_mut() {
                    k.3.push(column);
                }
            } else {
                last = Some((table.clone(), id));
                out.push((table, parent, cascade, vec![column]));
            }
        }
        out.sort();
        Ok(out)
    }
}

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

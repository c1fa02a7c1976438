//! Checks a workspace document before anything is written: every table known, every row with
//! exactly its columns and the right kind of value, ids unique, and every reference pointing at
//! a row the document holds. The message names the table, the row and the column.

use super::{role_ok, tables, Document, Kind, Row, TABLES};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// Calls `map(table, id)` on each reference a workflow spec holds (its function, the owners of
/// its inputs, the people in its roles) and writes back what it returns; `None` leaves a
/// function or input owner empty and a role's person 0 (nobody).
pub fn spec_refs(spec: &mut Value, mut map: impl FnMut(&'static str, i64) -> Option<i64>) {
    let mut one = |v: &mut Value, table: &'static str, nullable: bool| {
        if let Some(id) = v.as_i64() {
            *v = match map(table, id) {
                Some(new) => Value::from(new),
                None if nullable => Value::Null,
                None => Value::from(0),
            };
        }
    };
    if let Some(f) = spec.get_mut("function_id") {
        one(f, "functions", true);
    }
    if let Some(Value::Array(inputs)) = spec.get_mut("inputs") {
        for i in inputs {
            if let Some(o) = i.get_mut("owner_id") {
                one(o, "people", true);
            }
        }
    }
    if let Some(Value::Array(roles)) = spec.get_mut("assignments") {
        for a in roles {
            if let Some(p) = a.get_mut("person_id") {
                one(p, "people", false);
            }
        }
    }
}

fn kind_ok(kind: Kind, v: &Value) -> bool {
    match kind {
        Kind::Id => v.as_i64().is_some_and(|i| i >= 1),
        Kind::Int | Kind::Ref(_) | Kind::User => v.is_null() || v.as_i64().is_some(),
        Kind::Real => v.is_null() || v.is_number(),
        Kind::Text => v.is_null() || v.is_string(),
        Kind::People => v
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x.as_i64().is_some())),
        Kind::Spec => v.is_object(),
        Kind::Bool => v.is_boolean(),
        Kind::Topics => v
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x.as_str().is_some())),
    }
}

fn what(kind: Kind) -> &'static str {
    match kind {
        Kind::Id => "a whole number from 1",
        Kind::Int | Kind::Ref(_) | Kind::User => "a whole number or null",
        Kind::Real => "a number or null",
        Kind::Text => "text or null",
        Kind::People => "a list of people ids",
        Kind::Spec => "a workflow spec (an object)",
        Kind::Bool => "true or false",
        Kind::Topics => "a list of topics like \"metric:3\"",
    }
}

fn row_name(table: &str, i: usize, row: &Row) -> String {
    match row.get("id").and_then(Value::as_i64) {
        Some(id) => format!("{table} id {id}"),
        None => format!("{table} row {}", i + 1),
    }
}

pub(super) fn check(doc: &Document) -> Result<(), String> {
    for name in doc.tables.keys() {
        if tables::table(name).is_none() {
            return Err(format!(
                "The file has a table `{name}` that this keel does not know; it was written by another keel."
            ));
        }
    }
    let mut users = BTreeSet::new();
    for u in &doc.users {
        if !users.insert(u.id) {
            return Err(format!("The file lists account {} twice.", u.id));
        }
    }
    for m in &doc.members {
        if !users.contains(&m.user_id) {
            return Err(format!(
                "A member refers to account {}, which the file does not list.",
                m.user_id
            ));
        }
        if !role_ok(&m.role) {
            return Err(format!(
                "A member has the role `{}`; roles are owner, admin, member, partner and viewer.",
                m.role
            ));
        }
    }
    let mut ids: HashMap<&str, BTreeSet<i64>> = HashMap::new();
    for t in TABLES {
        let mut seen = BTreeSet::new();
        for (i, row) in doc.rows(t.name).iter().enumerate() {
            for col in row.keys() {
                if !t.columns.iter().any(|c| c.0 == col) {
                    return Err(format!(
                        "{} has a column `{col}` that this keel does not know.",
                        row_name(t.name, i, row)
                    ));
                }
            }
            for (col, kind) in t.columns {
                let Some(v) = row.get(*col) else {
                    return Err(format!("{} has no `{col}`.", row_name(t.name, i, row)));
                };
                if !kind_ok(*kind, v) {
                    return Err(format!(
                        "{}: `{col}` must be {}, not {v}.",
                        row_name(t.name, i, row),
                        what(*kind)
                    ));
                }
                if *kind == Kind::Id && !seen.insert(v.as_i64().unwrap_or_default()) {
                    return Err(format!("The file has {} twice.", row_name(t.name, i, row)));
                }
            }
        }
        ids.insert(t.name, seen);
    }
    let missing = |table: &str, id: i64, from: String, col: &str| {
        format!("{from} refers in `{col}` to {table} id {id}, which the file does not hold.")
    };
    for t in TABLES {
        for (i, row) in doc.rows(t.name).iter().enumerate() {
            for (col, kind) in t.columns {
                let v = &row[*col];
                match kind {
                    Kind::Ref(to) => {
                        if let Some(id) = v.as_i64() {
                            if !ids[to].contains(&id) {
                                return Err(missing(to, id, row_name(t.name, i, row), col));
                            }
                        }
                    }
                    Kind::User => {
                        if let Some(id) = v.as_i64() {
                            if !users.contains(&id) {
                                return Err(format!("{} refers in `{col}` to account {id}, which the file does not list.", row_name(t.name, i, row)));
                            }
                        }
                    }
                    Kind::People => {
                        for id in v.as_array().into_iter().flatten().filter_map(Value::as_i64) {
                            if !ids["people"].contains(&id) {
                                return Err(missing("people", id, row_name(t.name, i, row), col));
                            }
                        }
                    }
                    Kind::Topics => {
                        for x in v.as_array().into_iter().flatten().filter_map(Value::as_str) {
                            let Some((to, id)) = tables::topic(x) else {
                                return Err(format!("{}: `{col}` holds `{x}`, which is no topic keel knows (kind:id, like metric:3).", row_name(t.name, i, row)));
                            };
                            if !ids[to].contains(&id) {
                                return Err(missing(to, id, row_name(t.name, i, row), col));
                            }
                        }
                    }
                    Kind::Spec => {
                        let mut bad = None;
                        let mut spec = v.clone();
                        spec_refs(&mut spec, |table, id| {
                            if id != 0 && !ids[table].contains(&id) && bad.is_none() {
                                bad = Some((table, id));
                            }
                            Some(id)
                        });
                        if let Some((table, id)) = bad {
                            return Err(missing(table, id, row_name(t.name, i, row), col));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

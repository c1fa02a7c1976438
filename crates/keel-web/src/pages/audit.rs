//! The audit log page (`/w/{ws}/audit`, owners and admins): every change to the workspace,
//! sign-ins of its members, filtered by person, kind of record, record and period, newest
//! first, a page at a time. A record's page links here filtered to that record.

use super::forms::{choices, Choice, Errors};
use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::audit as ops;
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use keel_domain::audit::{action_label, Filter, FilterInput, KINDS};
use keel_domain::Invalid;
use keel_store::AUDIT_PAGE;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/audit", audit_log)
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    person: String,
    #[serde(default, rename = "type")]
    record_type: String,
    #[serde(default)]
    record: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: String,
}

pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

pub struct Row {
    pub when: String,
    pub who: String,
    pub via: String,
    pub action: &'static str,
    pub what: String,
    pub link: Option<String>,
    /// This record's history, filtered.
    pub history: Option<String>,
    pub changes: Vec<Change>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    rows: Vec<Row>,
    people: Vec<Choice>,
    kinds: Vec<Choice>,
    record: String,
    from: String,
    to: String,
    errors: Errors,
    /// The filters as a query string, for the next page's link.
    query: String,
    next_before: Option<i64>,
    /// "Work item #12" when the page shows one record's history.
    one_record: Option<String>,
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

async fn audit_log(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    ctx.require_manage()?;
    let input = FilterInput {
        person: q.person.clone(),
        record_type: q.record_type.clone(),
        record: q.record.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
    };
    let (filter, errors) = match ops::parse(&input) {
        Ok(f) => (f, Invalid::new()),
        Err(inv) => (Filter::default(), inv),
    };
    let before = q.before.trim().parse::<i64>().ok().filter(|b| *b > 0);
    let zone = ctx.ws.zone();
    let page = ops::page(&state, ctx.ws.id, &zone, &filter, before, AUDIT_PAGE).await?;
    let rows = page
        .entries
        .iter()
        .map(|e| Row {
            when: zone.long_time(e.at),
            who: ops::who(e),
            via: match e.via.as_str() {
                "api" => "API",
                "web" => "web",
                "cli" => "command line",
                "system" => "keel",
                _ => "database",
            }
            .to_string(),
            action: action_label(&e.action),
            what: ops::what(e),
            link: ops::record_path(e).map(|p| ctx.link(&p)),
            history: e.record_id.as_ref().map(|id| {
                ctx.link(&format!(
                    "/audit?type={}&record={}",
                    encode(&e.record_type),
                    encode(id)
                ))
            }),
            changes: e
                .changes()
                .into_iter()
                .map(|(field, b, a)| Change {
                    field: field.replace('_', " "),
                    before: ops::value(&b),
                    after: ops::value(&a),
                })
                .collect(),
        })
        .collect();
    let members = state.store.list_members(ctx.ws.id).await?;
    let any = |label: &'static str| std::iter::once((String::new(), label.to_string()));
    let query = [
        ("person", &q.person),
        ("type", &q.record_type),
        ("record", &q.record),
        ("from", &q.from),
        ("to", &q.to),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", encode(v)))
    .collect::<Vec<_>>()
    .join("&");
    let one_record = match (&filter.record_type, &filter.record_id) {
        (Some(t), Some(id)) => Some(format!("{} #{id}", keel_domain::audit::type_label(t))),
        _ => None,
    };
    render(&AuditPage {
        chrome: ctx.chrome("Audit log", "audit"),
        rows,
        people: choices(
            any("Anyone").chain(
                members
                    .iter()
                    .map(|m| (m.user_id.to_string(), m.name.clone())),
            ),
            q.person.trim(),
        ),
        kinds: choices(
            any("Any kind of record")
                .chain(KINDS.iter().map(|(k, l)| (k.to_string(), l.to_string()))),
            q.record_type.trim(),
        ),
        record: q.record,
        from: q.from,
        to: q.to,
        errors: Errors(errors),
        query,
        next_before: page.next_before,
        one_record,
    })
}

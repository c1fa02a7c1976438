//! The audit log as the page and the API read it: the filter parsed once (the domain's
//! `audit::Filter`), the workspace's entries a page at a time, and how an entry reads.

use crate::AppState;
use keel_domain::audit::{self, Filter, FilterInput};
use keel_domain::{Invalid, Zone};
use keel_store::{AuditEntry, AuditFilter, StoreError, WorkspaceId};

/// A page of entries and where the next one starts (the last entry's id), if there is one.
pub struct Page {
    pub entries: Vec<AuditEntry>,
    pub next_before: Option<i64>,
}

pub fn parse(input: &FilterInput) -> Result<Filter, Invalid> {
    Filter::parse(input)
}

pub async fn page(
    state: &AppState,
    ws: WorkspaceId,
    zone: &Zone,
    f: &Filter,
    before: Option<i64>,
    limit: i64,
) -> Result<Page, StoreError> {
    let (from, until) = f.moments(zone);
    let mut entries = state
        .store
        .list_audit(
            ws,
            &AuditFilter {
                user_id: f.user_id,
                record_type: f.record_type.clone(),
                record_id: f.record_id.clone(),
                from,
                until,
                before_id: before,
                limit: limit + 1,
            },
        )
        .await?;
    let more = entries.len() as i64 > limit;
    entries.truncate(limit as usize);
    let next_before = more.then(|| entries.last().map(|e| e.id)).flatten();
    Ok(Page {
        entries,
        next_before,
    })
}

/// Who made an entry, in words: the account (and its token), or where it came from.
pub fn who(e: &AuditEntry) -> String {
    match (&e.actor_name, &e.actor_token_name, e.actor_user_id) {
        (Some(n), Some(t), _) => format!("{n} (API token “{t}”)"),
        (Some(n), None, _) => n.clone(),
        (None, _, Some(id)) => format!("Account #{id}"),
        (None, _, None) => match (e.via.as_str(), e.action.as_str()) {
            (_, "sign_in_failed") => "Someone (wrong password)".into(),
            ("cli", _) => "The keel command".into(),
            ("web", _) | ("api", _) => "Nobody signed in".into(),
            ("system", _) => "keel itself".into(),
            _ => "A change made outside keel".into(),
        },
    }
}

/// The page of a record, when it has one ("/work/12").
pub fn record_path(e: &AuditEntry) -> Option<String> {
    let id = e.record_id.as_deref()?;
    if id.contains(':') {
        return None;
    }
    let base = match e.record_type.as_str() {
        "people" => "/people/",
        "functions" => "/functions/",
        "workflows" => "/workflows/",
        "work_items" => "/work/",
        "objectives" => "/objectives/",
        "priorities" => "/priorities/",
        "channels" => "/channels/",
        "metrics" => "/metrics/",
        "offers" => "/offers/",
        "reviews" => "/reviews/",
        _ => return None,
    };
    Some(format!("{base}{id}"))
}

/// What an entry is about: "Work item #12".
pub fn what(e: &AuditEntry) -> String {
    let kind = audit::type_label(&e.record_type);
    match &e.record_id {
        Some(id) => format!("{kind} #{id}"),
        None => kind,
    }
}

/// A field's value as a person reads it: "—" for nothing, long texts cut.
pub fn value(v: &serde_json::Value) -> String {
    let s = match v {
        serde_json::Value::Null => return "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if s.chars().count() > 160 {
        format!("{}…", s.chars().take(160).collect::<String>())
    } else {
        s
    }
}

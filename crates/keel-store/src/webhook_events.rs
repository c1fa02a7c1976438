//! The `data` of each webhook event, built from what the change that causes it writes
//! (docs/api.md lists them). Ids are the workspace's record ids; days are `YYYY-MM-DD` on the
//! workspace's calendar; moments are unix seconds.

use crate::lead_import::ImportCounts;
use crate::webhook_queue::Event;
use keel_domain::review::DecisionDraft;
use keel_domain::webhook::EventType;
use keel_domain::work::transition::Outcome;
use keel_domain::workflow::WorkflowSpec;
use keel_domain::Date;
use serde_json::json;

fn day(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// A work item's move: `work.blocked`, `work.launched` or `work.moved`
/// (`EventType::for_move`).
pub(crate) fn work_move(id: i64, version: i64, o: &Outcome, by_user: Option<i64>) -> Event {
    let w = &o.next;
    Event::new(
        EventType::for_move(o),
        json!({
            "work": {
                "id": id,
                "title": w.title,
                "workflow_id": w.workflow_id,
                "stage": w.stage,
                "status": w.status.as_str(),
                "execution_owner_id": w.execution_owner_id,
                "planned_launch": day(w.planned_launch),
                "actual_launch": day(w.actual_launch),
                "blocked_reason": w.blocked_reason,
                "version": version,
            },
            "move": {
                "kind": o.event.as_str(),
                "stage": o.stage,
                "note": o.note,
                "at": o.at,
            },
            "by_user_id": by_user,
        }),
    )
}

/// A workflow created, saved with a new version, retired by a decision, or deleted.
pub(crate) fn workflow(
    id: i64,
    spec: &WorkflowSpec,
    version: i64,
    change: &str,
    by_user: Option<i64>,
) -> Event {
    Event::new(
        EventType::WorkflowChanged,
        json!({
            "workflow": {
                "id": id,
                "name": spec.name,
                "status": spec.status.as_str(),
                "function_id": spec.function_id,
                "version": version,
            },
            "change": change,
            "by_user_id": by_user,
        }),
    )
}

/// A workflow deleted: only its id and name are left to tell.
pub(crate) fn workflow_deleted(id: i64, name: &str) -> Event {
    Event::new(
        EventType::WorkflowChanged,
        json!({
            "workflow": { "id": id, "name": name },
            "change": "deleted",
        }),
    )
}

/// A decision recorded, in a review or outside one.
pub(crate) fn decision(
    id: i64,
    d: &DecisionDraft,
    review_id: Option<i64>,
    decided_on: Date,
) -> Event {
    Event::new(
        EventType::DecisionRecorded,
        json!({
            "decision": {
                "id": id,
                "what": d.what,
                "kind": d.kind.as_str(),
                "category": d.category.map(|c| c.as_str()),
                "rationale": d.rationale,
                "owner_id": d.owner_id,
                "due": day(d.due),
                "status": d.status.as_str(),
                "decided_on": decided_on.to_string(),
                "review_id": review_id,
                "evidence": d.evidence.iter().map(|e| json!({"kind": e.kind.as_str(), "id": e.id})).collect::<Vec<_>>(),
            },
        }),
    )
}

/// A lead import published (from a file or the API).
pub(crate) fn import_finished(import_id: i64, c: &ImportCounts) -> Event {
    Event::new(
        EventType::ImportFinished,
        json!({
            "import": {
                "id": import_id,
                "inserted": c.inserted,
                "updated": c.updated,
                "unchanged": c.unchanged,
                "skipped": c.skipped,
            },
        }),
    )
}

//! The demo's recurring commitments and work estimates, so each person's load reads like a
//! real week: the lead decides three workflows, runs the weekly meeting and manages the
//! partners; the founder's positioning work still does not fit their marketing hours.

use anyhow::{anyhow, Context, Result};
use keel_domain::capacity::{CommitmentDraft, CommitmentInput};
use keel_domain::work::WorkDraft;
use keel_domain::Person;
use keel_store::Store;
use keel_store::WorkspaceId;

/// (teammate, kind, what, hours a week)
pub const COMMITMENTS: &[(&str, &str, &str, f64)] = &[
    ("lead", "meetings", "Weekly marketing meeting and 1:1s", 3.0),
    (
        "lead",
        "managing",
        "Managing the agency and freelancers",
        4.0,
    ),
    ("lead", "other", "Monthly board reporting", 2.0),
    ("generalist", "meetings", "Weekly marketing meeting", 1.5),
    ("founder", "meetings", "Weekly marketing meeting", 1.0),
    ("sales", "meetings", "Sales and marketing sync", 1.0),
    ("agency", "meetings", "Weekly status call", 1.0),
];

/// Hours a week the lead spends deciding for each workflow they own.
pub const DECIDING_HOURS: f64 = 1.5;

/// Estimates of the demo's work items, by title.
const ESTIMATES: &[(&str, f64)] = &[
    ("Q4 webinar: forecasting without spreadsheets", 30.0),
    ("Retail analytics guide: paid social push", 9.0),
    ("Customer story: Halvorsen Logistics", 12.0),
    ("Comparison page: Northwind vs. spreadsheets", 10.0),
    ("LinkedIn test: CFO audience, demo offer", 12.0),
];

fn person<'a>(team: &'a [(&'static str, Person)], key: &str) -> Result<&'a Person> {
    team.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, p)| p)
        .ok_or_else(|| anyhow!("the demo team has no {key}"))
}

/// Adds the recurring commitments of a scale copy of the team (no workflows to decide).
pub async fn seed_copy(
    store: &Store,
    ws: WorkspaceId,
    team: &[(&'static str, Person)],
) -> Result<()> {
    for &(key, kind, label, hours) in COMMITMENTS {
        let input = CommitmentInput {
            label: label.into(),
            kind: kind.into(),
            hours: hours.to_string(),
            workflow_id: String::new(),
        };
        let who = person(team, key)?.id;
        let d = CommitmentDraft::parse(&input, who, &[])
            .map_err(|e| anyhow!("demo commitment {label} is invalid: {e}"))?;
        store.create_commitment(ws, who, &d).await?;
    }
    Ok(())
}

/// Adds the commitments of the first copy of the team and sets realistic estimates.
pub async fn seed(store: &Store, ws: WorkspaceId, team: &[(&'static str, Person)]) -> Result<()> {
    let workflows = store.list_workflows(ws).await?;
    let owners: Vec<(i64, Option<i64>)> = workflows
        .iter()
        .map(|w| (w.id, w.spec.decision_owner()))
        .collect();
    let add = |who: i64, kind: &str, label: String, hours: f64, workflow: Option<i64>| {
        let input = CommitmentInput {
            label,
            kind: kind.into(),
            hours: hours.to_string(),
            workflow_id: workflow.map(|w| w.to_string()).unwrap_or_default(),
        };
        CommitmentDraft::parse(&input, who, &owners)
            .map_err(|e| anyhow!("demo commitment {} is invalid: {e}", input.label))
            .map(|d| (who, d))
    };
    let mut drafts = Vec::new();
    for &(key, kind, label, hours) in COMMITMENTS {
        drafts.push(add(person(team, key)?.id, kind, label.into(), hours, None)?);
    }
    for w in &workflows {
        if let Some(owner) = w.spec.decision_owner() {
            let label = format!("Deciding for {}", w.spec.name);
            drafts.push(add(owner, "deciding", label, DECIDING_HOURS, Some(w.id))?);
        }
    }
    for (who, d) in drafts {
        store
            .create_commitment(ws, who, &d)
            .await
            .with_context(|| format!("cannot add the commitment {}", d.label))?;
    }
    for item in store.list_work(ws, &Default::default()).await? {
        let Some(&(_, hours)) = ESTIMATES.iter().find(|(t, _)| *t == item.title) else {
            continue;
        };
        let d = WorkDraft {
            title: item.title.clone(),
            execution_owner_id: item.execution_owner_id,
            contributor_ids: item.contributor_ids.clone(),
            estimated_hours: hours,
            start_date: item.start_date,
            planned_launch: item.planned_launch,
            first_review: item.first_review,
        };
        store.update_work(ws, item.id, item.version, &d).await?;
    }
    Ok(())
}

//! The weekly review manages active work: what is blocked and since when, what changed since
//! the last weekly, what launches and what is late, what waits for a decision owner, and the
//! metrics that went off track.

use super::{first, off_target, person, push, push_counted, Item, Section, SHOWN};
use crate::health::Model;
use crate::metric::with_unit;
use crate::review::{DecisionStatus, Evidence, EvidenceKind as K};
use crate::work::WorkStatus;
use crate::Date;

fn work_evidence(id: i64, workflow_id: i64) -> Vec<Evidence> {
    vec![
        Evidence::new(K::Work, id),
        Evidence::new(K::Workflow, workflow_id),
    ]
}

pub(super) fn sections(m: &Model, on: Date, since: Option<Date>) -> Vec<Section> {
    let mut out = Vec::new();
    let since = since.unwrap_or(on.add_days(-7));
    let (week, next_week) = (on.week_start(), on.week_start().add_days(7));

    let mut blocked: Vec<_> = m
        .work
        .iter()
        .filter(|w| w.status.is_open() && w.blocked_since.is_some())
        .collect();
    blocked.sort_by_key(|w| (w.blocked_since, w.id));
    let (blocked, total) = first(blocked);
    let items = blocked
        .iter()
        .map(|w| {
            let from = m.day_of(w.blocked_since.unwrap_or(m.now));
            let days = (on.0 - from.0).max(0);
            let why = w
                .blocked_reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            Item::new(
                format!(
                    "{} is blocked since {} ({days} days){why}",
                    w.title,
                    from.day_month()
                ),
                work_evidence(w.id, w.workflow_id),
            )
        })
        .collect();
    push_counted(&mut out, "blocked", "Blocked work", None, items, total);

    // Decisions carried out first (few, and what the review asked for), then launches,
    // newest first.
    let mut items: Vec<Item> = m
        .decisions
        .iter()
        .filter(|d| {
            d.status == DecisionStatus::Done && d.done_on.is_some_and(|x| x >= since && x < on)
        })
        .map(|d| {
            Item::new(
                format!("Done: {} ({})", d.what, person(m, d.owner_id)),
                vec![Evidence::new(K::Decision, d.id)],
            )
        })
        .collect();
    let mut launched: Vec<_> = m
        .work
        .iter()
        .filter(|w| w.actual_launch.is_some_and(|d| d >= since && d < on))
        .collect();
    launched.sort_by_key(|w| std::cmp::Reverse((w.actual_launch, w.id)));
    let total = items.len() + launched.len();
    launched.truncate(SHOWN.saturating_sub(items.len()));
    items.extend(launched.iter().map(|w| {
        Item::new(
            format!(
                "{} launched on {}",
                w.title,
                w.actual_launch.unwrap_or(on).day_month()
            ),
            work_evidence(w.id, w.workflow_id),
        )
    }));
    push_counted(
        &mut out,
        "changed",
        "What changed since the last weekly",
        None,
        items,
        total,
    );

    let mut launches: Vec<_> = m
        .work
        .iter()
        .filter(|w| {
            w.status.is_open()
                && w.planned_launch
                    .is_some_and(|d| d >= on.min(week) && d < next_week)
        })
        .filter(|w| !w.is_overdue(on))
        .collect();
    launches.sort_by_key(|w| (w.planned_launch, w.id));
    let (launches, total) = first(launches);
    let items = launches
        .iter()
        .map(|w| {
            Item::new(
                format!(
                    "{} launches on {} ({})",
                    w.title,
                    w.planned_launch.unwrap_or(on).day_month(),
                    person(m, w.execution_owner_id)
                ),
                work_evidence(w.id, w.workflow_id),
            )
        })
        .collect();
    push_counted(
        &mut out,
        "launches",
        "Launches this week",
        None,
        items,
        total,
    );

    let mut late: Vec<_> = m.work.iter().filter(|w| w.is_overdue(on)).collect();
    late.sort_by_key(|w| (w.planned_launch, w.id));
    let (late, total) = first(late);
    let items = late
        .iter()
        .map(|w| {
            let planned = w.planned_launch.unwrap_or(on);
            Item::new(
                format!(
                    "{} is late: planned for {}, {} days ago ({})",
                    w.title,
                    planned.day_month(),
                    on.0 - planned.0,
                    person(m, w.execution_owner_id)
                ),
                work_evidence(w.id, w.workflow_id),
            )
            .flag("late")
        })
        .collect();
    push_counted(&mut out, "late", "Late work", None, items, total);

    let mut waiting: Vec<_> = m
        .work
        .iter()
        .filter(|w| w.status == WorkStatus::AwaitingApproval)
        .collect();
    waiting.sort_by_key(|w| (w.planned_launch.is_none(), w.planned_launch, w.id));
    let (waiting, total) = first(waiting);
    let items = waiting
        .iter()
        .map(|w| {
            let owner = m
                .workflows
                .iter()
                .find(|wf| wf.id == w.workflow_id)
                .and_then(|wf| wf.spec.decision_owner());
            Item::new(
                format!("{} waits for {}'s approval", w.title, person(m, owner)),
                work_evidence(w.id, w.workflow_id),
            )
        })
        .collect();
    push_counted(
        &mut out,
        "approvals",
        "Waiting for a decision owner",
        None,
        items,
        total,
    );

    let items = off_target(m)
        .into_iter()
        .map(|(x, value, t, newly)| {
            let target = x.target.unwrap_or_default();
            let trend = t
                .map(|t| format!(", trend {}", t.describe(x.cadence)))
                .unwrap_or_default();
            let mut evidence = vec![Evidence::new(K::Metric, x.id)];
            evidence.extend(x.objective_id.map(|o| Evidence::new(K::Objective, o)));
            let item = Item::new(
                format!(
                    "{} is {} against a target of {}{trend}",
                    x.name,
                    with_unit(value, x.unit.as_deref()),
                    with_unit(target, x.unit.as_deref()),
                ),
                evidence,
            );
            if newly {
                item.flag("new")
            } else {
                item.flag("off target")
            }
        })
        .collect();
    push(&mut out, "off-track", "Off track", None, items);
    out
}

//! The monthly review diagnoses patterns: metrics against their targets and trend, by what
//! they measure (channel, offer, workflow, function, objective); the workflows with the most
//! revisions and the slowest cycles; and each weak signal with the diagnosis question.

use super::{off_target, push, Item, Section};
use crate::health::review_rules::{RECURRING_BLOCKS, RECURRING_BLOCK_DAYS};
use crate::health::Model;
use crate::metric::{self, trend, with_unit, Metric};
use crate::review::{Evidence, EvidenceKind as K, DIAGNOSIS_QUESTION};
use crate::work::metrics::by_workflow;

/// Workflows named per list (most revisions, slowest cycle).
const TOP: usize = 3;

/// What a metric measures, in words and as evidence.
fn measures(m: &Model, x: &Metric) -> (String, Option<Evidence>) {
    if let Some(c) = x
        .channel_id
        .and_then(|id| m.channels.iter().find(|c| c.id == id))
    {
        let offers: Vec<&str> = m
            .offers
            .iter()
            .filter(|o| o.channel_ids.contains(&c.id))
            .map(|o| o.name.as_str())
            .collect();
        let carried = if offers.is_empty() {
            String::new()
        } else {
            format!(", carrying {}", offers.join(", "))
        };
        return (
            format!("channel {}{carried}", c.name),
            Some(Evidence::new(K::Channel, c.id)),
        );
    }
    if let Some(w) = x
        .workflow_id
        .and_then(|id| m.workflows.iter().find(|w| w.id == id))
    {
        return (
            format!("workflow {}", w.spec.name),
            Some(Evidence::new(K::Workflow, w.id)),
        );
    }
    if let Some(o) = x
        .objective_id
        .and_then(|id| m.objectives.iter().find(|o| o.id == id))
    {
        return (
            format!("objective {}", o.outcome),
            Some(Evidence::new(K::Objective, o.id)),
        );
    }
    if let Some(f) = x
        .function_id
        .and_then(|id| m.functions.iter().find(|f| f.id == id))
    {
        return (format!("function {}", f.name), None);
    }
    ("the team".into(), None)
}

pub(super) fn sections(m: &Model) -> Vec<Section> {
    let mut out = Vec::new();

    let mut rows: Vec<(bool, String, Item)> = m
        .metrics
        .iter()
        .filter_map(|x| {
            let ms = metric::measurements_of(m, x.id);
            let last = trend::latest(ms)?;
            let target = x.target?;
            let off = trend::off_target(x, last.value) == Some(true);
            let t = trend::trend(x, ms)
                .map(|t| t.describe(x.cadence))
                .unwrap_or_else(|| "too few values for a trend".into());
            let (what, link) = measures(m, x);
            let mut evidence = vec![Evidence::new(K::Metric, x.id)];
            evidence.extend(link);
            let item = Item::new(
                format!(
                    "{} ({what}): {} against a target of {}; trend {t}",
                    x.name,
                    with_unit(last.value, x.unit.as_deref()),
                    with_unit(target, x.unit.as_deref()),
                ),
                evidence,
            );
            let item = if off { item.flag("off target") } else { item };
            Some((!off, what, item))
        })
        .collect();
    rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    push(
        &mut out,
        "metrics",
        "Metrics against their targets",
        Some("Off target first, then by what they measure."),
        rows.into_iter().map(|(_, _, i)| i).collect(),
    );

    let figures = by_workflow(&m.work, m.now);
    let name = |id: i64| {
        m.workflows
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.spec.name.clone())
    };
    let mut revised: Vec<_> = figures
        .iter()
        .filter_map(|(id, f)| {
            Some((
                *id,
                f.revisions_per_item.filter(|r| *r > 0.0)?,
                f.items,
                name(*id)?,
            ))
        })
        .collect();
    revised.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut items: Vec<Item> = revised
        .into_iter()
        .take(TOP)
        .map(|(id, r, n, wf)| {
            Item::new(
                format!("{wf}: {r} revisions per item over {n} items"),
                vec![Evidence::new(K::Workflow, id)],
            )
            .flag("most revisions")
        })
        .collect();
    let mut slow: Vec<_> = figures
        .iter()
        .filter(|(_, f)| f.launched >= 2)
        .filter_map(|(id, f)| Some((*id, f.cycle_median_days?, f.launched, name(*id)?)))
        .collect();
    slow.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    items.extend(slow.into_iter().take(TOP).map(|(id, d, n, wf)| {
        Item::new(
            format!("{wf}: {d} days from start to launch (median of {n} launches)"),
            vec![Evidence::new(K::Workflow, id)],
        )
        .flag("slowest")
    }));
    push(&mut out, "workflows", "Workflows to improve", None, items);

    let mut items: Vec<Item> = off_target(m)
        .into_iter()
        .filter(|(_, _, t, _)| t.and_then(|t| t.better) != Some(true))
        .map(|(x, value, _, _)| {
            Item::new(
                format!(
                    "{} is off target at {} and not improving",
                    x.name,
                    with_unit(value, x.unit.as_deref())
                ),
                vec![Evidence::new(K::Metric, x.id)],
            )
            .ask(DIAGNOSIS_QUESTION)
        })
        .collect();
    let from = m.now - RECURRING_BLOCK_DAYS * 86_400;
    for w in &m.workflows {
        let blocks = m
            .blocks
            .iter()
            .filter(|b| b.workflow_id == w.id && b.at >= from)
            .count();
        if blocks >= RECURRING_BLOCKS {
            items.push(
                Item::new(
                    format!(
                        "{}: work was blocked {blocks} times in the last {} weeks",
                        w.spec.name,
                        RECURRING_BLOCK_DAYS / 7
                    ),
                    vec![Evidence::new(K::Workflow, w.id)],
                )
                .ask(DIAGNOSIS_QUESTION),
            );
        }
    }
    push(
        &mut out,
        "weak-signals",
        "Weak signals to diagnose",
        Some("Classify each by its cause, never by a person."),
        items,
    );
    out
}

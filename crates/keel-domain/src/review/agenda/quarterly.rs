//! The quarterly review resets focus: capacity against load, the objectives' progress, where
//! decisions concentrate on one person, what no decision used (candidates to retire), and
//! when to add people: only against a clear bottleneck, never because the team is busy.

use super::{off_target, person, push, Item, Section};
use crate::capacity;
use crate::channel::ChannelStatus;
use crate::health::Model;
use crate::metric::{self, kpi_of, trend, with_unit};
use crate::review::retire::{self, Retirable, IDLE_CADENCE_REVIEWS};
use crate::review::{Evidence, EvidenceKind as K};
use crate::Date;

/// A person deciding more than this share of the workflows in use (and at least
/// `CONCENTRATION_MIN` of them) is a dependency.
pub const CONCENTRATION_SHARE: f64 = 0.5;
pub const CONCENTRATION_MIN: usize = 3;
/// Late items that, with the team over capacity, say execution is the bottleneck.
pub const LATE_FOR_PRODUCTION: usize = 2;
/// Metrics without a source or with a missing value that say reports are not trusted.
pub const UNTRUSTED_FOR_ANALYTICS: usize = 2;

pub(super) fn sections(m: &Model, on: Date) -> Vec<Section> {
    let mut out = Vec::new();
    let loads = m.loads();
    let refs: Vec<_> = loads.iter().collect();
    let (team, _) = capacity::totals(&refs);

    let mut items = Vec::new();
    if team.people > 0 {
        items.push(Item::new(
            format!(
                "The team carries {} h this week against {} h of capacity ({}%).",
                team.hours,
                team.capacity,
                team.percent().unwrap_or(0)
            ),
            vec![],
        ));
    }
    for (p, l) in m.people.iter().zip(&loads) {
        let over = l.weeks_over();
        if over > 0 {
            items.push(
                Item::new(
                    format!(
                        "{} is over capacity in {over} of the next {} weeks (peak {} h against {} h).",
                        p.display(),
                        capacity::WEEKS_SHOWN,
                        l.peak(),
                        l.capacity
                    ),
                    vec![],
                )
                .flag("over capacity"),
            );
        }
    }
    push(&mut out, "capacity", "Capacity against load", None, items);

    let items = m
        .objectives
        .iter()
        .map(|o| {
            let e = vec![Evidence::new(K::Objective, o.id)];
            let deadline = o
                .deadline
                .map(|d| format!(", due {}", d.long()))
                .unwrap_or_default();
            let Some(kpi) = kpi_of(m, o.id) else {
                return Item::new(
                    format!(
                        "{}: no KPI metric, so progress cannot be read{deadline}.",
                        o.outcome
                    ),
                    e,
                )
                .flag("no KPI");
            };
            let latest = trend::latest(metric::measurements_of(m, kpi.id));
            match (latest, o.baseline, o.target) {
                (Some(l), Some(b), Some(t)) if (t - b).abs() > f64::EPSILON => {
                    let pct = ((l.value - b) / (t - b) * 100.0).round();
                    let item = Item::new(
                        format!(
                            "{}: {} is at {} ({pct}% of the way from {} to {}){deadline}.",
                            o.outcome,
                            kpi.name,
                            with_unit(l.value, kpi.unit.as_deref()),
                            with_unit(b, kpi.unit.as_deref()),
                            with_unit(t, kpi.unit.as_deref()),
                        ),
                        e,
                    );
                    if o.deadline.is_some_and(|d| d < on) && pct < 100.0 {
                        item.flag("missed")
                    } else {
                        item
                    }
                }
                _ => Item::new(
                    format!(
                        "{}: {} has no value yet, or no baseline and target{deadline}.",
                        o.outcome, kpi.name
                    ),
                    e,
                ),
            }
        })
        .collect();
    push(&mut out, "objectives", "Objectives' progress", None, items);

    push(
        &mut out,
        "concentration",
        "Where decisions concentrate",
        Some("One person deciding most workflows is a dependency the team cannot scale past."),
        concentration(m),
    );
    push(
        &mut out,
        "retire",
        "Candidates to retire",
        Some("Routines, metrics and SOPs no decision used in their last cycles. Retiring one is a decision too: \"stop\", recorded here."),
        retire(m, on),
    );
    push(
        &mut out,
        "add-people",
        "When to add people",
        Some("Add people only against a clear bottleneck, never because the team is busy."),
        add_people(m, on, team.hours > team.capacity),
    );
    out
}

fn concentration(m: &Model) -> Vec<Item> {
    let in_use: Vec<_> = m
        .workflows
        .iter()
        .filter(|w| w.spec.status.in_use())
        .collect();
    let mut counts: Vec<(i64, usize)> = Vec::new();
    for w in &in_use {
        if let Some(p) = w.spec.decision_owner() {
            match counts.iter_mut().find(|(id, _)| *id == p) {
                Some(c) => c.1 += 1,
                None => counts.push((p, 1)),
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let Some(&(who, n)) = counts.first() else {
        return vec![];
    };
    let share = n as f64 / in_use.len() as f64;
    if n < CONCENTRATION_MIN || share <= CONCENTRATION_SHARE {
        return vec![];
    }
    let evidence = in_use
        .iter()
        .filter(|w| w.spec.decision_owner() == Some(who))
        .map(|w| Evidence::new(K::Workflow, w.id))
        .collect();
    vec![Item::new(
        format!(
            "{} decides {n} of the {} workflows in use: when they are away, work waits. Delegate decision rights where the risk allows.",
            person(m, Some(who)),
            in_use.len()
        ),
        evidence,
    )
    .ask("Which of these decisions could someone else own?")]
}

/// The retirement proposals (`review::retire::candidates`), each with what it would retire.
fn retire(m: &Model, on: Date) -> Vec<Item> {
    retire::candidates(m, on)
        .into_iter()
        .map(|c| {
            let (text, ask) = match c.what {
                Retirable::Cadence(k) => (
                    format!(
                        "The {} decided only \"no change\" in its last {IDLE_CADENCE_REVIEWS} meetings.",
                        k.label().to_lowercase()
                    ),
                    "Retire it, hold it less often, or change what it looks at?",
                ),
                _ => (
                    format!("{}: {}", c.name, c.reason),
                    "Keep it, change it, or retire it?",
                ),
            };
            let mut item = Item::new(text, c.what.evidence().into_iter().collect()).ask(ask);
            item.retire = Some(c.what);
            item
        })
        .collect()
}

fn add_people(m: &Model, on: Date, over_capacity: bool) -> Vec<Item> {
    let mut items = Vec::new();
    let mut late: Vec<_> = m.work.iter().filter(|w| w.is_overdue(on)).collect();
    late.sort_by_key(|w| (w.planned_launch, w.id));
    if over_capacity && late.len() >= LATE_FOR_PRODUCTION {
        items.push(
            Item::new(
                format!(
                    "Execution is slow and capacity is short: {} items are late while the team is over capacity. This points to production or coordination help.",
                    late.len()
                ),
                late.iter().map(|w| Evidence::new(K::Work, w.id)).collect(),
            )
            .flag("production"),
        );
    }
    for (x, value, _, _) in off_target(m) {
        let Some(c) = x
            .channel_id
            .and_then(|id| m.channels.iter().find(|c| c.id == id))
        else {
            continue;
        };
        let weak =
            trend::trend(x, metric::measurements_of(m, x.id)).and_then(|t| t.better) != Some(true);
        if c.status == ChannelStatus::Active && c.monthly_budget > 0.0 && weak {
            items.push(
                Item::new(
                    format!(
                        "{} spends {} a month and {} is off target at {} without improving. This points to channel expertise.",
                        c.name,
                        c.monthly_budget,
                        x.name,
                        with_unit(value, x.unit.as_deref())
                    ),
                    vec![Evidence::new(K::Channel, c.id), Evidence::new(K::Metric, x.id)],
                )
                .flag("channel expertise"),
            );
        }
    }
    let today = m.today();
    let untrusted: Vec<_> = m
        .metrics
        .iter()
        .filter(|x| {
            x.source.is_none()
                || trend::missing_period(x, metric::measurements_of(m, x.id), today).is_some()
        })
        .collect();
    if untrusted.len() >= UNTRUSTED_FOR_ANALYTICS {
        items.push(
            Item::new(
                format!(
                    "{} metrics have no source or are missing values: reports the team cannot trust. This points to operations or analytics help.",
                    untrusted.len()
                ),
                untrusted.iter().map(|x| Evidence::new(K::Metric, x.id)).collect(),
            )
            .flag("analytics"),
        );
    }
    items
}

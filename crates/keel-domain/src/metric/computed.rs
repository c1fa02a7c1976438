//! Metrics keel computes from its own data (source "keel"): flow figures of the work, strategic
//! fit, channel focus, the hours and budget a channel or objective gets, and how reviews and
//! decisions go. Their values are never typed in: `fill` computes them per period of the
//! metric's cadence from the model, each with the same rule the rest of keel uses for that
//! figure (`work::metrics::figures`, `fit::fit_of`, `review::follow_through`,
//! `Review::average_rating`), so the Strategy, workflow and Reviews pages agree with them.

use super::{Direction, Kind, Measurement, Metric};
use crate::channel::ChannelStatus;
use crate::fit::{self, WorkLink};
use crate::health::Model;
use crate::lead::completeness::Filled;
use crate::lead::quality::Counts;
use crate::lead::report::contribution;
use crate::review::{self, ReviewStatus};
use crate::work::{metrics::figures, WorkItem, WorkStatus};
use crate::{Date, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How far back values are computed: the periods that start within this many days (keel
/// reads the work created or launched since then).
pub const HISTORY_DAYS: i64 = 366;
/// At most this many periods (the chart shows 24).
pub const MAX_PERIODS: i64 = 24;

choice!(
    /// What keel computes for a metric whose source is keel.
    Computed {
        CycleTime = "cycle_time" / "Cycle time (median days from creation to launch)",
        OnTimeRate = "on_time_rate" / "On-time launch rate",
        Revisions = "revisions" / "Revisions per item",
        BlockedDays = "blocked_days" / "Blocked days",
        StrategicFit = "strategic_fit" / "Strategic fit (work traced to an objective or priority)",
        ChannelFocus = "channel_focus" / "Channel focus (active channels)",
        HoursAllocated = "hours_allocated" / "Hours allocated (estimated hours of new work)",
        BudgetAllocated = "budget_allocated" / "Budget allocated (channel budgets)",
        ReviewRating = "review_rating" / "Review rating (attendees' average)",
        FollowThrough = "follow_through" / "Decision follow-through (done by the due date)",
        LeadAcceptance = "lead_acceptance" / "Lead acceptance rate (leads sales accepted, of those it judged)",
        CrmCompleteness = "crm_completeness" / "CRM completeness (the least-filled lead field)",
        PipelineContribution = "pipeline_contribution" / "Pipeline contribution (pipeline from marketing sources)",
    } "Choose what keel computes from the list."
);

impl Computed {
    /// The unit its values are in; `None` for money, which is in the workspace's currency
    /// (the metric's own unit says which).
    pub fn unit(self) -> Option<&'static str> {
        Some(match self {
            Computed::CycleTime | Computed::BlockedDays => "days",
            Computed::OnTimeRate
            | Computed::StrategicFit
            | Computed::FollowThrough
            | Computed::LeadAcceptance
            | Computed::CrmCompleteness
            | Computed::PipelineContribution => "%",
            Computed::Revisions => "revisions",
            Computed::ChannelFocus => "channels",
            Computed::HoursAllocated => "h",
            Computed::ReviewRating => "/10",
            Computed::BudgetAllocated => return None,
        })
    }

    /// Which way is better, as a default for the form.
    pub fn direction(self) -> Direction {
        match self {
            Computed::CycleTime
            | Computed::Revisions
            | Computed::BlockedDays
            | Computed::ChannelFocus => Direction::Lower,
            _ => Direction::Higher,
        }
    }

    /// The side of performance it shows.
    pub fn kind(self) -> Kind {
        match self {
            Computed::CycleTime | Computed::BlockedDays | Computed::OnTimeRate => Kind::Speed,
            Computed::Revisions
            | Computed::ReviewRating
            | Computed::FollowThrough
            | Computed::LeadAcceptance
            | Computed::CrmCompleteness => Kind::Quality,
            Computed::HoursAllocated | Computed::BudgetAllocated | Computed::ChannelFocus => {
                Kind::Cost
            }
            Computed::StrategicFit | Computed::PipelineContribution => Kind::Contribution,
        }
    }

    /// How keel computes it, in a marketer's words: the definition the metric page shows.
    pub fn rule(self) -> &'static str {
        match self {
            Computed::CycleTime => "Median days from creation to launch of the work launched in the period (of the metric's workflow, channel or objective when linked).",
            Computed::OnTimeRate => "Share of the work launched in the period, with a planned launch, that launched on or before it.",
            Computed::Revisions => "Times work launched in the period was sent back for revision, per item.",
            Computed::BlockedDays => "Days the work launched in the period spent blocked, added up.",
            Computed::StrategicFit => "Share of the estimated hours (of the items, without estimates) of the work created in the period that is linked to an objective or priority.",
            Computed::ChannelFocus => "Channels active now; its target is best set to the workspace's channel-focus limit. Only the current period has a value: keel keeps no history of channel statuses.",
            Computed::HoursAllocated => "Estimated hours of the work created in the period (of the metric's channel, objective with its priorities, or workflow when linked).",
            Computed::BudgetAllocated => "The monthly budget of the metric's channel (of all active and testing channels when none is linked), for the period's length. Only the current period has a value.",
            Computed::ReviewRating => "Average of the attendees' ratings of the reviews held in the period.",
            Computed::FollowThrough => "Share of the decisions due in the period (up to yesterday) that were done by their due date; \"no change\" and reversed decisions are not counted.",
            Computed::LeadAcceptance => "Share of the leads created in the period and judged by sales that sales accepted, as Lead quality counts them.",
            Computed::CrmCompleteness => "The share of the leads created in the period that have the least-filled CRM field set (source, campaign, offer, channel, lifecycle stage, owner, qualification; for rejected leads, the disqualification reason). A target of the completeness bar asks every field to reach it.",
            Computed::PipelineContribution => "Share of the pipeline of the leads created in the period that came from marketing: every lead source but those the workspace names as sales' own (Lead quality, Thresholds).",
        }
    }

    /// Whether it is computed from leads, which keel counts by month: a weekly cadence would
    /// give no values.
    pub fn reads_leads(self) -> bool {
        matches!(
            self,
            Computed::LeadAcceptance | Computed::CrmCompleteness | Computed::PipelineContribution
        )
    }

    /// Whether it is computed over work items (and so reads the metric's links as a scope).
    fn reads_work(self) -> bool {
        matches!(
            self,
            Computed::CycleTime
                | Computed::OnTimeRate
                | Computed::Revisions
                | Computed::BlockedDays
                | Computed::StrategicFit
                | Computed::HoursAllocated
        )
    }
}

/// Whether values may be entered for a metric: never for one keel computes. The message is
/// the one the page and the API show.
pub fn writable(x: &Metric) -> Result<(), Invalid> {
    match x.computed {
        None => Ok(()),
        Some(c) => Err(Invalid::one(
            "value",
            format!(
                "keel computes {} from its own data ({}), so values cannot be entered for it. Enter values for a metric with another source.",
                x.name,
                c.label()
            ),
        )),
    }
}

/// Whether any metric of the model is computed over work, so the caller knows to read the
/// work history (`fill`'s `work`).
pub fn needs_work(m: &Model) -> bool {
    m.metrics
        .iter()
        .any(|x| x.computed.is_some_and(Computed::reads_work))
}

/// Replaces the values of every computed metric in `m` with the ones computed now. `work` is
/// the work to count: at least the model's, plus the work created or launched in the last
/// `HISTORY_DAYS` (items are taken once by id). Keeps `m.measurements` sorted by (metric,
/// period).
pub fn fill(m: &mut Model, work: &[WorkItem]) {
    let computed: Vec<(i64, Computed)> = m
        .metrics
        .iter()
        .filter_map(|x| Some((x.id, x.computed?)))
        .collect();
    if computed.is_empty() {
        return;
    }
    let mut all: Vec<&WorkItem> = m.work.iter().collect();
    let held: std::collections::HashSet<i64> = all.iter().map(|w| w.id).collect();
    all.extend(work.iter().filter(|w| !held.contains(&w.id)));
    let mut out: Vec<Measurement> = Vec::new();
    for (id, _) in &computed {
        let Some(x) = m.metrics.iter().find(|x| x.id == *id) else {
            continue;
        };
        out.extend(values(x, m, &all));
    }
    let ids: std::collections::HashSet<i64> = computed.iter().map(|(id, _)| *id).collect();
    m.measurements.retain(|v| !ids.contains(&v.metric_id));
    m.measurements.extend(out);
    m.measurements.sort_by_key(|v| (v.metric_id, v.period));
}

/// The periods values are computed for, oldest first: (first day, first day of the next).
pub fn periods(x: &Metric, today: Date) -> Vec<(Date, Date)> {
    let c = x.cadence;
    let current = c.period_start(today);
    let earliest = today.add_days(-HISTORY_DAYS);
    (0..MAX_PERIODS)
        .rev()
        .map(|n| (c.step(current, -n), c.step(current, -n + 1)))
        .filter(|(s, _)| *s >= earliest)
        .collect()
}

/// A computed value (no id or version: it is not stored).
fn value(x: &Metric, period: Date, v: f64, note: String) -> Measurement {
    Measurement {
        id: 0,
        metric_id: x.id,
        period,
        value: super::trend::round(v),
        note: Some(note),
        version: 0,
    }
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The work a metric counts: of its workflow, channel, or objective (directly or through a
/// priority serving it), when linked; strategic fit ignores the objective (work linked to it
/// is traced by definition).
fn in_scope(
    x: &Metric,
    c: Computed,
    w: &WorkItem,
    links: &HashMap<i64, &WorkLink>,
    m: &Model,
) -> bool {
    if x.workflow_id.is_some_and(|id| w.workflow_id != id) {
        return false;
    }
    let l = links.get(&w.id);
    if let Some(ch) = x.channel_id {
        if l.and_then(|l| l.channel_id) != Some(ch) {
            return false;
        }
    }
    if let (Some(o), false) = (x.objective_id, c == Computed::StrategicFit) {
        let serves = l.is_some_and(|l| {
            l.objective_id == Some(o)
                || l.priority_id.is_some_and(|p| {
                    m.priorities
                        .iter()
                        .any(|x| x.id == p && x.objective_id == Some(o))
                })
        });
        if !serves {
            return false;
        }
    }
    true
}

/// The values of one computed metric over `work` (see `fill`); empty for a metric keel does
/// not compute. A period with nothing to count has no value.
pub fn values(x: &Metric, m: &Model, work: &[&WorkItem]) -> Vec<Measurement> {
    let Some(c) = x.computed else {
        return vec![];
    };
    let today = m.today();
    let ps = periods(x, today);
    let within = |d: Date, (s, e): (Date, Date)| d >= s && d < e;
    let links: HashMap<i64, &WorkLink> = m.work_links.iter().map(|l| (l.work_id, l)).collect();
    let scoped: Vec<&WorkItem> = if c.reads_work() {
        work.iter()
            .copied()
            .filter(|w| in_scope(x, c, w, &links, m))
            .collect()
    } else {
        vec![]
    };
    let launched_on = |w: &WorkItem| {
        w.actual_launch
            .or_else(|| w.launched_at.map(|t| m.day_of(t)))
    };
    let mut out = Vec::new();
    for p in ps {
        let launched: Vec<&WorkItem> = scoped
            .iter()
            .copied()
            .filter(|w| launched_on(w).is_some_and(|d| within(d, p)))
            .collect();
        let created: Vec<&WorkItem> = scoped
            .iter()
            .copied()
            .filter(|w| w.status != WorkStatus::Cancelled && within(m.day_of(w.created_at), p))
            .collect();
        let n_launched = plural(launched.len(), "item") + " launched";
        let v = match c {
            Computed::CycleTime => figures(&launched, m.now)
                .cycle_median_days
                .map(|v| (v, n_launched)),
            Computed::OnTimeRate => {
                let planned = launched
                    .iter()
                    .filter(|w| w.planned_launch.is_some())
                    .count();
                figures(&launched, m.now)
                    .on_time_rate
                    .map(|r| (r * 100.0, plural(planned, "item") + " launched with a plan"))
            }
            Computed::Revisions => figures(&launched, m.now)
                .revisions_per_item
                .map(|v| (v, n_launched)),
            Computed::BlockedDays => {
                (!launched.is_empty()).then(|| (figures(&launched, m.now).blocked_days, n_launched))
            }
            Computed::StrategicFit => {
                let f = fit::fit_of(
                    created.iter().copied(),
                    &m.work_links,
                    fit::untraced_limit(m),
                );
                f.hour_share.or(f.item_share).map(|s| {
                    (
                        s,
                        format!(
                            "{} of {} traced",
                            f.traced_items,
                            plural(f.items, "new item")
                        ),
                    )
                })
            }
            Computed::HoursAllocated => (!created.is_empty()).then(|| {
                (
                    created.iter().map(|w| w.estimated_hours).sum(),
                    plural(created.len(), "new item"),
                )
            }),
            Computed::ChannelFocus => within(today, p).then(|| {
                let active = m
                    .channels
                    .iter()
                    .filter(|ch| ch.status == ChannelStatus::Active)
                    .count();
                (
                    active as f64,
                    format!("limit {}", crate::channel::focus_limit(m)),
                )
            }),
            Computed::BudgetAllocated => within(today, p).then(|| budget(x, m)),
            Computed::ReviewRating => {
                let ratings: Vec<f64> = m
                    .reviews
                    .iter()
                    .filter(|r| r.status == ReviewStatus::Closed && within(r.date, p))
                    .filter_map(|r| r.average_rating())
                    .collect();
                (!ratings.is_empty()).then(|| {
                    (
                        ratings.iter().sum::<f64>() / ratings.len() as f64,
                        plural(ratings.len(), "review") + " rated",
                    )
                })
            }
            Computed::LeadAcceptance
            | Computed::CrmCompleteness
            | Computed::PipelineContribution => leads(c, m, p),
            Computed::FollowThrough => {
                let due: Vec<review::Decision> = m
                    .decisions
                    .iter()
                    .filter(|d| d.due.is_some_and(|due| within(due, p)))
                    .cloned()
                    .collect();
                review::follow_through(&due, today).map(|r| {
                    let counted = due
                        .iter()
                        .filter(|d| {
                            d.kind != review::DecisionKind::NoChange
                                && d.status != review::DecisionStatus::Reversed
                                && d.due.is_some_and(|due| due < today)
                        })
                        .count();
                    (r * 100.0, plural(counted, "decision") + " due")
                })
            }
        };
        if let Some((v, note)) = v {
            out.push(value(x, p.0, v, note));
        }
    }
    out
}

/// A lead figure over the months that start in the period, with the rule Lead quality uses
/// for it (`Counts::acceptance_rate`, `Filled::shares`, `report::contribution`).
fn leads(c: Computed, m: &Model, (s, e): (Date, Date)) -> Option<(f64, String)> {
    let months: Vec<_> = m
        .leads
        .months
        .iter()
        .filter(|x| {
            let first = Date::from_ymd(x.month / 100, (x.month % 100) as u32, 1);
            first >= s && first < e
        })
        .collect();
    let mut counts = Counts::default();
    let mut filled = Filled::default();
    for x in &months {
        filled.add(&x.filled);
        for (_, n) in &x.by_source {
            counts.add(n);
        }
    }
    match c {
        Computed::LeadAcceptance => counts.acceptance_rate().map(|r| {
            (
                r * 100.0,
                format!(
                    "{} of {} accepted",
                    counts.accepted,
                    plural(counts.judged() as usize, "judged lead")
                ),
            )
        }),
        Computed::CrmCompleteness => filled
            .shares(m.leads.settings.completeness_bar)
            .into_iter()
            .filter_map(|f| Some((f.share?, f)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(share, f)| {
                (
                    share * 100.0,
                    format!("least filled: {} ({} of {})", f.label, f.filled, f.of),
                )
            }),
        Computed::PipelineContribution => {
            let by_source = months
                .iter()
                .flat_map(|x| x.by_source.iter().map(|(s, n)| (s.as_str(), n)));
            let share = contribution(by_source, &m.leads.settings);
            share.share().map(|r| {
                (
                    r * 100.0,
                    format!(
                        "{} of {} from marketing",
                        crate::lead::spend::amount(share.marketing_cents),
                        crate::lead::spend::amount(share.total_cents)
                    ),
                )
            })
        }
        _ => None,
    }
}

/// A channel's monthly budget (or all active and testing channels'), for one period of the
/// metric's cadence.
fn budget(x: &Metric, m: &Model) -> (f64, String) {
    let channels: Vec<_> = m
        .channels
        .iter()
        .filter(|ch| match x.channel_id {
            Some(id) => ch.id == id,
            None => matches!(ch.status, ChannelStatus::Active | ChannelStatus::Testing),
        })
        .collect();
    let monthly: f64 = channels.iter().map(|ch| ch.monthly_budget).sum();
    let months = 12.0 / x.cadence.per_year();
    (monthly * months, plural(channels.len(), "channel"))
}

#[cfg(test)]
mod tests;

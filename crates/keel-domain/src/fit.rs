//! Strategic fit: which work is traced to what the team aims at. A work item is traced when it
//! is linked to an objective or to a priority (a priority serves an objective). Work that is
//! not is counted and listed, never forbidden: "random acts of marketing" are a share to watch,
//! and above the workspace's limit a health finding.
//!
//! The links themselves (objective, priority, channel, offer) are one record per work item,
//! kept beside it (`WorkLink`), so a work item's own moves and versions stay its own.

use crate::health::Model;
use crate::work::{WorkItem, WorkStatus};
use crate::Invalid;
use serde::Serialize;

/// Untraced work above this share of hours (percent) is a finding, unless the workspace sets
/// its own limit.
pub const DEFAULT_UNTRACED_LIMIT: u32 = 30;
/// Below this many work items a share says little; the rule stays quiet.
pub const MIN_ITEMS: usize = 5;

/// A work item's links to the strategy, as stored (version 0: never saved).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WorkLink {
    pub work_id: i64,
    pub objective_id: Option<i64>,
    pub priority_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub offer_id: Option<i64>,
    pub version: i64,
}

/// What a form or body says about a work item's links; empty means none.
#[derive(Debug, Clone, Default)]
pub struct WorkLinkInput {
    pub objective_id: String,
    pub priority_id: String,
    pub channel_id: String,
    pub offer_id: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkLinkDraft {
    pub objective_id: Option<i64>,
    pub priority_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub offer_id: Option<i64>,
}

fn pick(raw: &str, exists: impl Fn(i64) -> bool, what: &str) -> Result<Option<i64>, String> {
    crate::field::seen_id(raw, exists, || {
        format!("Choose {what} from the list, or none.")
    })
}

impl WorkLinkDraft {
    /// Parses links against the author's view: each id must be one the author sees. A
    /// priority serves its objective, so with only a priority chosen the objective is the
    /// priority's, and an objective that differs from the priority's is refused.
    pub fn parse(i: &WorkLinkInput, m: &Model) -> Result<WorkLinkDraft, Invalid> {
        let mut inv = Invalid::new();
        let objective_id = inv
            .take(
                "objective_id",
                pick(
                    &i.objective_id,
                    |id| m.objectives.iter().any(|o| o.id == id),
                    "an objective",
                ),
            )
            .flatten();
        let priority = inv
            .take(
                "priority_id",
                pick(
                    &i.priority_id,
                    |id| m.priorities.iter().any(|p| p.id == id),
                    "a priority",
                ),
            )
            .flatten()
            .and_then(|id| m.priorities.iter().find(|p| p.id == id));
        let channel_id = inv
            .take(
                "channel_id",
                pick(
                    &i.channel_id,
                    |id| m.channels.iter().any(|c| c.id == id),
                    "a channel",
                ),
            )
            .flatten();
        let offer_id = inv
            .take(
                "offer_id",
                pick(
                    &i.offer_id,
                    |id| m.offers.iter().any(|o| o.id == id),
                    "an offer",
                ),
            )
            .flatten();
        let mut objective_id = objective_id;
        if let Some(p) = priority {
            match (objective_id, p.objective_id) {
                (None, Some(serves)) => objective_id = Some(serves),
                (Some(chosen), Some(serves)) if chosen != serves => {
                    let name = m
                        .objectives
                        .iter()
                        .find(|o| o.id == serves)
                        .map(|o| o.outcome.clone())
                        .unwrap_or_else(|| "another objective".into());
                    inv.push(
                        "objective_id",
                        format!(
                            "\"{}\" serves \"{name}\": choose that objective, or leave the objective empty and it follows the priority.",
                            p.title
                        ),
                    );
                }
                _ => {}
            }
        }
        inv.into_result(|| WorkLinkDraft {
            objective_id,
            priority_id: priority.map(|p| p.id),
            channel_id,
            offer_id,
        })
    }
}

/// The links of one work item (a default, version 0, when none were saved).
pub fn link_of(m: &Model, work_id: i64) -> WorkLink {
    m.work_links
        .iter()
        .find(|l| l.work_id == work_id)
        .cloned()
        .unwrap_or(WorkLink {
            work_id,
            ..Default::default()
        })
}

/// Whether the links trace the work to an objective or a priority.
pub fn traced(l: &WorkLink) -> bool {
    l.objective_id.is_some() || l.priority_id.is_some()
}

/// A work item that traces to no objective or priority.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Untraced {
    pub work_id: i64,
    pub title: String,
    pub status: WorkStatus,
    pub hours: f64,
}

/// The strategic fit of the work in the model: open, launched and recently finished work
/// (cancelled work did not happen and is left out).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    pub items: usize,
    pub traced_items: usize,
    pub hours: f64,
    pub traced_hours: f64,
    /// Untraced work, the most hours first.
    pub untraced: Vec<Untraced>,
    /// Percent (0–100) of items and of hours that are traced; `None` with nothing to count.
    pub item_share: Option<f64>,
    pub hour_share: Option<f64>,
    /// The workspace's limit on untraced work, in percent of hours.
    pub limit: u32,
}

impl Fit {
    /// The share of untraced work the rule judges, in percent: of hours when work carries
    /// estimates, else of items.
    pub fn untraced_share(&self) -> Option<f64> {
        self.hour_share
            .or(self.item_share)
            .map(|s| round1(100.0 - s))
    }

    /// Untraced work above the limit, with enough work to judge.
    pub fn over_limit(&self) -> bool {
        self.items >= MIN_ITEMS
            && self
                .untraced_share()
                .is_some_and(|s| s > self.limit as f64 + 1e-9)
    }
}

/// One decimal, without a negative zero: the rounding of shares and hours.
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0 + 0.0
}

pub(crate) fn counted(w: &WorkItem) -> bool {
    w.status != WorkStatus::Cancelled
}

/// The workspace's limit on untraced work, in percent.
pub fn untraced_limit(m: &Model) -> u32 {
    m.untraced_limit.unwrap_or(DEFAULT_UNTRACED_LIMIT)
}

/// Parses a limit as typed: a whole percent from 0 to 100.
pub fn parse_limit(raw: &str) -> Result<u32, String> {
    raw.trim()
        .trim_end_matches('%')
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n <= 100)
        .ok_or_else(|| "Enter the limit as a whole percent from 0 to 100, like 30.".to_string())
}

/// Strategic fit of the work in `m`.
pub fn strategic_fit(m: &Model) -> Fit {
    fit_of(&m.work, &m.work_links, untraced_limit(m))
}

/// Strategic fit of some work (the model's, or one period's for the computed metric), with
/// the workspace's limit. One pass over work and links.
pub fn fit_of<'a>(
    work: impl IntoIterator<Item = &'a WorkItem>,
    work_links: &[WorkLink],
    limit: u32,
) -> Fit {
    let links: std::collections::HashMap<i64, &WorkLink> =
        work_links.iter().map(|l| (l.work_id, l)).collect();
    let (mut items, mut traced_items, mut hours, mut traced_hours) = (0, 0, 0.0, 0.0);
    let mut untraced = Vec::new();
    for w in work.into_iter().filter(|w| counted(w)) {
        items += 1;
        hours += w.estimated_hours;
        if links.get(&w.id).is_some_and(|l| traced(l)) {
            traced_items += 1;
            traced_hours += w.estimated_hours;
        } else {
            untraced.push(Untraced {
                work_id: w.id,
                title: w.title.clone(),
                status: w.status,
                hours: w.estimated_hours,
            });
        }
    }
    untraced.sort_by(|a, b| b.hours.total_cmp(&a.hours).then(a.work_id.cmp(&b.work_id)));
    Fit {
        items,
        traced_items,
        hours: round1(hours),
        traced_hours: round1(traced_hours),
        untraced,
        item_share: (items > 0).then(|| round1(traced_items as f64 * 100.0 / items as f64)),
        hour_share: (hours > 0.0).then(|| round1(traced_hours * 100.0 / hours)),
        limit,
    }
}

#[cfg(test)]
pub(crate) mod tests;

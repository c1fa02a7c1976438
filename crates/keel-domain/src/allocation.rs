//! Resource allocation: where the team's hours and budget go, by channel and by priority.
//!
//! Hours are the estimated hours of the work strategic fit counts (everything but cancelled
//! work), through each item's links. Budget is each channel's monthly budget; a priority's
//! share of it follows hours: a channel's budget is split among the priorities of its work in
//! proportion to that work's hours (to its items when none carries an estimate), and the
//! budget of a channel without work is unattributed. The Strategy page and
//! `GET /api/v1/resource-allocation` both show `allocation`.

use crate::channel::ChannelStatus;
use crate::fit::{counted, round1, WorkLink};
use crate::health::Model;
use crate::priority::Status;
use serde::Serialize;
use std::collections::HashMap;

/// One row: a channel, a priority, or (id `None`) the work linked to none.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub id: Option<i64>,
    pub name: String,
    /// The channel's or the priority's status; `None` on the "none" row.
    pub status: Option<&'static str>,
    pub items: usize,
    /// Estimated hours of its work.
    pub hours: f64,
    /// Percent of all counted hours; `None` when no work carries an estimate.
    pub share: Option<f64>,
    /// Budget per month: an active or testing channel's own (0 when paused or stopped); a
    /// priority's attributed share of the channels'.
    pub monthly_budget: f64,
    /// A priority's planned hours a week (what its test reserved); `None` on channel rows.
    pub weekly_hours: Option<f64>,
}

impl Row {
    /// Worth a line in a summary: the row carries work or budget, is the work linked to
    /// nothing, or is a "now" priority (one with nothing allocated is itself a signal).
    pub fn in_summary(&self) -> bool {
        self.items > 0
            || self.monthly_budget > 0.0
            || self.id.is_none()
            || self.status == Some(Status::Now.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allocation {
    pub items: usize,
    pub hours: f64,
    /// The monthly budgets of the active and testing channels (paused and stopped ones spend
    /// nothing).
    pub monthly_budget: f64,
    /// Channels the most hours first, then the work in no channel.
    pub by_channel: Vec<Row>,
    /// Priorities by rank, then the work serving no priority (with unattributed budget).
    pub by_priority: Vec<Row>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

#[derive(Default, Clone, Copy)]
struct Sum {
    items: usize,
    hours: f64,
}

impl Sum {
    fn add(&mut self, hours: f64) {
        self.items += 1;
        self.hours += hours;
    }
}

/// Where hours and budget go in `m`.
pub fn allocation(m: &Model) -> Allocation {
    let links: HashMap<i64, &WorkLink> = m.work_links.iter().map(|l| (l.work_id, l)).collect();
    let mut total = Sum::default();
    let mut by_channel: HashMap<Option<i64>, Sum> = HashMap::new();
    let mut by_priority: HashMap<Option<i64>, Sum> = HashMap::new();
    // (channel, priority) → work, to split each channel's budget.
    let mut pairs: HashMap<(i64, Option<i64>), Sum> = HashMap::new();
    let known_channel = |id: Option<i64>| id.filter(|c| m.channels.iter().any(|x| x.id == *c));
    let known_priority = |id: Option<i64>| id.filter(|p| m.priorities.iter().any(|x| x.id == *p));
    for w in m.work.iter().filter(|w| counted(w)) {
        let l = links.get(&w.id);
        let channel = known_channel(l.and_then(|l| l.channel_id));
        let priority = known_priority(l.and_then(|l| l.priority_id));
        total.add(w.estimated_hours);
        by_channel
            .entry(channel)
            .or_default()
            .add(w.estimated_hours);
        by_priority
            .entry(priority)
            .or_default()
            .add(w.estimated_hours);
        if let Some(c) = channel {
            pairs
                .entry((c, priority))
                .or_default()
                .add(w.estimated_hours);
        }
    }
    let share = |h: f64| (total.hours > 0.0).then(|| round1(h * 100.0 / total.hours));
    // Like the computed "budget allocated" metric: active and testing channels spend.
    let spends = |s: ChannelStatus| matches!(s, ChannelStatus::Active | ChannelStatus::Testing);

    // Each channel's budget split among its work's priorities.
    let mut attributed: HashMap<Option<i64>, f64> = HashMap::new();
    for c in m.channels.iter().filter(|c| spends(c.status)) {
        let mine: Vec<(Option<i64>, Sum)> = pairs
            .iter()
            .filter(|((ch, _), _)| *ch == c.id)
            .map(|((_, p), s)| (*p, *s))
            .collect();
        let hours: f64 = mine.iter().map(|(_, s)| s.hours).sum();
        let items: usize = mine.iter().map(|(_, s)| s.items).sum();
        if items == 0 {
            *attributed.entry(None).or_default() += c.monthly_budget;
            continue;
        }
        for (p, s) in mine {
            let part = if hours > 0.0 {
                s.hours / hours
            } else {
                s.items as f64 / items as f64
            };
            *attributed.entry(p).or_default() += c.monthly_budget * part;
        }
    }

    let mut channels: Vec<Row> = m
        .channels
        .iter()
        .map(|c| {
            let s = by_channel.get(&Some(c.id)).copied().unwrap_or_default();
            Row {
                id: Some(c.id),
                name: c.name.clone(),
                status: Some(c.status.as_str()),
                items: s.items,
                hours: round1(s.hours),
                share: share(s.hours),
                monthly_budget: if spends(c.status) {
                    c.monthly_budget
                } else {
                    0.0
                },
                weekly_hours: None,
            }
        })
        .collect();
    channels.sort_by(|a, b| {
        b.hours
            .total_cmp(&a.hours)
            .then(b.monthly_budget.total_cmp(&a.monthly_budget))
            .then(a.name.cmp(&b.name))
    });
    if let Some(s) = by_channel.get(&None) {
        channels.push(none_row("In no channel", *s, share(s.hours), 0.0));
    }

    let mut ranked: Vec<_> = m.priorities.iter().collect();
    ranked.sort_by_key(|p| (p.rank, p.id));
    let mut priorities: Vec<Row> = ranked
        .into_iter()
        .filter(|p| {
            !matches!(p.status, Status::Done | Status::Stopped)
                || by_priority.contains_key(&Some(p.id))
        })
        .map(|p| {
            let s = by_priority.get(&Some(p.id)).copied().unwrap_or_default();
            Row {
                id: Some(p.id),
                name: p.title.clone(),
                status: Some(p.status.as_str()),
                items: s.items,
                hours: round1(s.hours),
                share: share(s.hours),
                monthly_budget: round2(attributed.get(&Some(p.id)).copied().unwrap_or(0.0)),
                weekly_hours: Some(p.weekly_hours),
            }
        })
        .collect();
    let unattributed = attributed.get(&None).copied().unwrap_or(0.0);
    let none = by_priority.get(&None).copied().unwrap_or_default();
    if none.items > 0 || unattributed > 0.0 {
        priorities.push(none_row(
            "Serving no priority",
            none,
            share(none.hours),
            round2(unattributed),
        ));
    }
    Allocation {
        items: total.items,
        hours: round1(total.hours),
        monthly_budget: round2(
            m.channels
                .iter()
                .filter(|c| spends(c.status))
                .map(|c| c.monthly_budget)
                .sum(),
        ),
        by_channel: channels,
        by_priority: priorities,
    }
}

fn none_row(name: &str, s: Sum, share: Option<f64>, budget: f64) -> Row {
    Row {
        id: None,
        name: name.into(),
        status: None,
        items: s.items,
        hours: round1(s.hours),
        share,
        monthly_budget: budget,
        weekly_hours: None,
    }
}

#[cfg(test)]
mod tests;

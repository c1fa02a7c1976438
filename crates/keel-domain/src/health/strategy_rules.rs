//! Rules about objectives and priorities: the SMART check, pausing when capacity is short,
//! and focus.

use super::{Finding, Model, Rule, Subject};
use crate::objective::{self, Objective};
use crate::priority::{Priority, Status, NOW_LIMIT};
use crate::{capacity, channel, fit};

fn objective_subject(o: &Objective) -> Subject {
    Subject {
        kind: "objective",
        id: o.id,
        label: o.outcome.clone(),
    }
}

fn priority_subject(p: &Priority) -> Subject {
    Subject {
        kind: "priority",
        id: p.id,
        label: p.title.clone(),
    }
}

pub(super) fn not_smart(m: &Model, r: &Rule) -> Vec<Finding> {
    m.objectives
        .iter()
        .filter_map(|o| {
            let missing: Vec<String> = objective::smart(o, m)
                .into_iter()
                .filter_map(|p| p.missing.map(|why| format!("{}: {why}", p.name)))
                .collect();
            (!missing.is_empty()).then(|| {
                r.finding(
                    objective_subject(o),
                    format!(
                        "\"{}\" is not an objective yet. {}",
                        o.outcome,
                        missing.join(" ")
                    ),
                    "Fill in what the SMART check names, or drop the objective.",
                )
            })
        })
        .collect()
}

/// Capacity is exceeded when the team's "now" priorities need more hours than it has free;
/// then every "now" priority that paused nothing is accumulating work.
pub(super) fn paused_nothing(m: &Model, r: &Rule) -> Vec<Finding> {
    let free = capacity::team_free(m, None);
    if free >= 0.0 {
        return vec![];
    }
    m.priorities
        .iter()
        .filter(|p| p.status == Status::Now && p.paused_id.is_none())
        .map(|p| {
            r.finding(
                priority_subject(p),
                format!(
                    "\"{}\" is a \"now\" priority that paused nothing, and the team's \"now\" priorities need {} h a week more than it has free.",
                    p.title,
                    -free
                ),
                "Pause a priority to make room, move this one to next, or lower its hours.",
            )
        })
        .collect()
}

pub(super) fn too_many_now(m: &Model, r: &Rule) -> Vec<Finding> {
    let mut now: Vec<&Priority> = m
        .priorities
        .iter()
        .filter(|p| p.status == Status::Now)
        .collect();
    if now.len() <= NOW_LIMIT {
        return vec![];
    }
    now.sort_by_key(|p| (p.rank, p.id));
    now[NOW_LIMIT..]
        .iter()
        .map(|p| {
            r.finding(
                priority_subject(p),
                format!(
                    "The team has {} \"now\" priorities; more than {NOW_LIMIT} is accumulating, not prioritising. \"{}\" ranks below the first {NOW_LIMIT}.",
                    now.len(),
                    p.title
                ),
                "Move it to next, or pause or finish one above it.",
            )
        })
        .collect()
}

pub(super) fn over_focus_limit(m: &Model, r: &Rule) -> Vec<Finding> {
    let over = channel::over_limit(m);
    let active = m
        .channels
        .iter()
        .filter(|c| c.status == channel::ChannelStatus::Active)
        .count();
    let limit = channel::focus_limit(m);
    over.into_iter()
        .map(|c| {
            r.finding(
                Subject {
                    kind: "channel",
                    id: c.id,
                    label: c.name.clone(),
                },
                format!(
                    "{active} channels are active; the workspace focuses on at most {limit}. {} has one of the smallest budgets ({} a month) beyond the limit.",
                    c.name, c.monthly_budget
                ),
                "Pause or stop a channel, set it to testing, or raise the limit on purpose.",
            )
        })
        .collect()
}

/// Random acts of marketing, counted: untraced work above the workspace's share.
pub(super) fn untraced_work(m: &Model, r: &Rule) -> Vec<Finding> {
    let f = fit::strategic_fit(m);
    if !f.over_limit() {
        return vec![];
    }
    let share = f.untraced_share().unwrap_or_default();
    let basis = if f.hour_share.is_some() {
        format!(
            "{share}% of the work's hours ({} of {} h)",
            (f.hours - f.traced_hours).max(0.0).round(),
            f.hours.round()
        )
    } else {
        format!("{share}% of the work items")
    };
    let named: Vec<String> = f
        .untraced
        .iter()
        .take(3)
        .map(|u| format!("\"{}\"", u.title))
        .collect();
    vec![r.finding(
        Subject {
            kind: "strategy",
            id: 0,
            label: "Strategic fit".into(),
        },
        format!(
            "{basis} trace to no objective or priority; the workspace accepts {}%. {} of {} items are untraced, the largest {}.",
            f.limit,
            f.untraced.len(),
            f.items,
            named.join(", ")
        ),
        "Link the work to the objective or priority it serves, stop what serves none, or raise the limit on purpose.",
    )]
}

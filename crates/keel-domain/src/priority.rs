//! Priorities: the few things the team works on now, ranked, each serving an objective, and
//! what each "now" priority paused to make room.
//!
//! The priority test: prioritising means pausing. A priority that becomes "now" must name the
//! priority it pauses, unless the hours it needs are free (`capacity::team_free`).

use crate::health::Model;
use crate::{capacity, objective, text, Invalid};
use serde::{Deserialize, Serialize};

pub mod check;
pub mod order;

/// More "now" priorities than this is accumulating, not prioritising.
pub const NOW_LIMIT: usize = 3;
pub const MAX_WEEKLY_HOURS: f64 = 400.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Now,
    Next,
    Later,
    Paused,
    Stopped,
    Done,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Now,
        Status::Next,
        Status::Later,
        Status::Paused,
        Status::Stopped,
        Status::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Now => "now",
            Status::Next => "next",
            Status::Later => "later",
            Status::Paused => "paused",
            Status::Stopped => "stopped",
            Status::Done => "done",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Now => "Now",
            Status::Next => "Next",
            Status::Later => "Later",
            Status::Paused => "Paused",
            Status::Stopped => "Stopped",
            Status::Done => "Done",
        }
    }

    pub fn parse(s: &str) -> Result<Status, String> {
        Status::ALL
            .into_iter()
            .find(|x| x.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| "Choose now, next, later, paused, stopped or done.".to_string())
    }

    /// Still planned: it can be paused to make room.
    pub fn is_planned(self) -> bool {
        matches!(self, Status::Now | Status::Next | Status::Later)
    }
}

/// A priority as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Priority {
    pub id: i64,
    pub title: String,
    pub objective_id: Option<i64>,
    pub owner_id: Option<i64>,
    /// 1 is the top.
    pub rank: i64,
    pub status: Status,
    pub weekly_hours: f64,
    /// The priority this one paused when it became "now".
    pub paused_id: Option<i64>,
    pub version: i64,
}

/// What a form or JSON body says about a priority, before it is parsed.
#[derive(Debug, Clone, Default)]
pub struct PriorityInput {
    pub title: String,
    pub objective_id: String,
    pub owner_id: String,
    /// Empty: after the last.
    pub rank: String,
    pub status: String,
    pub weekly_hours: String,
    /// The priority this one pauses, empty for none.
    pub paused_id: String,
    /// Why a "now" priority goes ahead without pausing anything while capacity is short (an
    /// override, kept in its status history); empty for none.
    pub override_reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PriorityDraft {
    pub title: String,
    pub objective_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub rank: i64,
    pub status: Status,
    pub weekly_hours: f64,
    pub paused_id: Option<i64>,
    /// The written reason of an override: set only when capacity is short and it pauses
    /// nothing.
    pub override_reason: Option<String>,
}

/// An override's reason must say something: at least this many characters.
pub const MIN_REASON_CHARS: usize = 15;

impl PriorityDraft {
    /// Parses a priority and runs the priority test. `m` is the part of the model the author
    /// sees (objectives, people and priorities to pick from; the team's capacity); `this` is
    /// the stored priority when editing.
    pub fn parse(
        i: &PriorityInput,
        m: &Model,
        this: Option<&Priority>,
    ) -> Result<PriorityDraft, Invalid> {
        let mut inv = Invalid::new();
        let title = inv.take("title", text::required(&i.title, "the priority", 200));
        let objective_id = match i.objective_id.trim() {
            "" => {
                inv.push(
                    "objective_id",
                    "Choose the objective this priority serves: that is how it will be measured.",
                );
                None
            }
            raw => inv.take(
                "objective_id",
                raw.parse::<i64>()
                    .ok()
                    .filter(|id| m.objectives.iter().any(|o| o.id == *id))
                    .ok_or_else(|| "Choose an objective from the list.".to_string()),
            ),
        };
        let owner_id = inv
            .take("owner_id", objective::owner(&i.owner_id, &m.people))
            .flatten();
        let rank = match i.rank.trim() {
            "" => Some(this.map(|p| p.rank).unwrap_or_else(|| next_rank(m))),
            raw => inv.take(
                "rank",
                raw.parse::<i64>()
                    .ok()
                    .filter(|r| (1..=10_000).contains(r))
                    .ok_or_else(|| "Enter the rank as a whole number from 1 (the top).".into()),
            ),
        };
        let status = inv.take("status", Status::parse(&i.status));
        let weekly_hours = inv.take(
            "weekly_hours",
            text::hours(
                &i.weekly_hours,
                "the hours it needs a week",
                MAX_WEEKLY_HOURS,
            ),
        );
        let paused_id = paused(i, m, this, status, &mut inv);
        let mut override_reason = None;
        if let (Some(Status::Now), Some(h), None) = (status, weekly_hours, paused_id) {
            if let Some(msg) = needs_a_pause(m, this, h) {
                match text::optional(&i.override_reason, "the reason", 1000) {
                    Ok(Some(r)) if r.chars().count() >= MIN_REASON_CHARS => {
                        override_reason = Some(r)
                    }
                    Ok(Some(_)) => inv.push(
                        "override_reason",
                        format!("Say in a sentence (at least {MIN_REASON_CHARS} characters) why it goes ahead without pausing anything."),
                    ),
                    Ok(None) => inv.push("paused_id", format!("{msg} Or write why it goes ahead anyway (an override, kept in its history).")),
                    Err(e) => inv.push("override_reason", e),
                }
            }
        }
        inv.into_result(|| PriorityDraft {
            title: title.unwrap_or_default(),
            objective_id,
            owner_id,
            rank: rank.unwrap_or(1),
            status: status.unwrap_or(Status::Next),
            weekly_hours: weekly_hours.unwrap_or_default(),
            paused_id,
            override_reason,
        })
    }
}

fn next_rank(m: &Model) -> i64 {
    m.priorities.iter().map(|p| p.rank).max().unwrap_or(0) + 1
}

/// The priority named to pause: another planned priority the author sees; the one already
/// paused by this priority stays accepted.
fn paused(
    i: &PriorityInput,
    m: &Model,
    this: Option<&Priority>,
    status: Option<Status>,
    inv: &mut Invalid,
) -> Option<i64> {
    let raw = i.paused_id.trim();
    if raw.is_empty() {
        return None;
    }
    let Some(p) = raw
        .parse::<i64>()
        .ok()
        .and_then(|id| m.priorities.iter().find(|p| p.id == id))
    else {
        inv.push("paused_id", "Choose a priority to pause from the list.");
        return None;
    };
    let kept = this.is_some_and(|t| t.paused_id == Some(p.id));
    if this.is_some_and(|t| t.id == p.id) {
        inv.push(
            "paused_id",
            "A priority cannot pause itself: choose another one, or none.",
        );
    } else if status.is_some_and(|s| s != Status::Now) && !kept {
        inv.push(
            "paused_id",
            "Only a \"now\" priority pauses another: set the status to now, or choose none.",
        );
    } else if !p.status.is_planned() && !kept {
        inv.push(
            "paused_id",
            format!(
                "\"{}\" is {} already: choose a priority that is now, next or later.",
                p.title,
                p.status.as_str()
            ),
        );
    } else {
        return Some(p.id);
    }
    None
}

/// The priority test for a "now" priority that pauses nothing: `None` when the hours it needs
/// (more than it already had, if it was "now") are free, else what to do.
pub fn needs_a_pause(m: &Model, this: Option<&Priority>, hours: f64) -> Option<String> {
    let had = this
        .filter(|t| t.status == Status::Now)
        .map_or(0.0, |t| t.weekly_hours);
    if hours <= had + 1e-9 {
        return None;
    }
    let free = capacity::team_free(m, this.map(|t| t.id));
    (hours > free + 1e-9).then(|| {
        format!(
            "This priority needs {hours} h a week, but the team has {} h free after its other \"now\" priorities. Choose the priority it pauses, or lower the hours.",
            free.max(0.0)
        )
    })
}

#[cfg(test)]
pub(crate) mod tests;

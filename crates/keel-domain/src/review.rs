//! Reviews and decisions: evidence is reviewed on a rhythm (weekly manages active work,
//! monthly diagnoses patterns, quarterly resets focus), every review ends in decisions, and
//! decisions are checked by a later review.
//!
//! - `schedule.rs`: when a cadence's next review is due.
//! - `parse.rs`: cadences, decisions, notes and ratings parsed from what was typed.
//! - `agenda.rs` (+ `agenda/`): the generated agenda per cadence, a pure function of the model.
//! - `recurring.rs`: topics that come back week after week with no decision closing them.
//! - `minutes.rs`: a review's minutes, for the printable page and the Markdown download.
//! - `retire.rs`: routines, metrics and SOPs no decision used in their last cycles.

use crate::Date;
use serde::{Deserialize, Serialize};

pub mod agenda;
#[cfg(test)]
mod agenda_tests;
pub mod log;
pub mod minutes;
mod parse;
pub mod recurring;
pub mod retire;
#[cfg(test)]
mod retire_tests;
mod schedule;
#[cfg(test)]
pub(crate) mod tests;

pub use parse::{
    close_refusal, sees, Act, CadenceDraft, CadenceInput, CloseInput, DecisionDraft, DecisionInput,
    NoteInput,
};
pub use schedule::{grace_days, WEEKDAYS};

/// A rating is a whole number from 1 to 10.
pub const MAX_RATING: u8 = 10;
/// A cadence may skip up to this many periods between reviews ("every 4 weeks").
pub const MAX_INTERVAL: i64 = 4;

macro_rules! choice {
    ($(#[$m:meta])* $name:ident { $($v:ident = $s:literal / $label:literal),+ $(,)? } $err:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $s)] $v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$v => $label),+ }
            }

            pub fn parse(s: &str) -> Result<$name, String> {
                let s = s.trim().to_lowercase().replace([' ', '_'], "-");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|x| x.as_str() == s)
                    .ok_or_else(|| $err.to_string())
            }
        }
    };
}

choice!(
    /// Which review: each has its own purpose and agenda.
    Kind {
        Weekly = "weekly" / "Weekly review",
        Monthly = "monthly" / "Monthly review",
        Quarterly = "quarterly" / "Quarterly review",
    } "Choose weekly, monthly or quarterly."
);

choice!(
    /// What a decision does.
    DecisionKind {
        Improve = "improve" / "Improve",
        Stop = "stop" / "Stop",
        Delegate = "delegate" / "Delegate",
        Automate = "automate" / "Automate",
        Fund = "fund" / "Fund",
        Scale = "scale" / "Scale",
        Fix = "fix" / "Fix",
        Hire = "hire" / "Hire",
        Pause = "pause" / "Pause",
        Start = "start" / "Start",
        NoChange = "no-change" / "No change",
    } "Choose what kind of decision this is: improve, stop, delegate, automate, fund, scale, fix, hire, pause, start or no change."
);

choice!(
    /// Where the cause of a weak signal lies: a cause, never a person.
    Category {
        Strategy = "strategy" / "Strategy",
        Process = "process" / "Process",
        Capacity = "capacity" / "Capacity",
        Skills = "skills" / "Skills",
        Tooling = "tooling" / "Tooling",
        Handoff = "handoff" / "Handoff",
        Measurement = "measurement" / "Measurement",
    } "Choose the cause: strategy, process, capacity, skills, tooling, handoff or measurement."
);

choice!(
    DecisionStatus {
        Open = "open" / "Open",
        Done = "done" / "Done",
        Reversed = "reversed" / "Reversed",
    } "Choose open, done or reversed."
);

choice!(
    ReviewStatus {
        Open = "open" / "Open",
        Closed = "closed" / "Closed",
    } "Choose open or closed."
);

choice!(
    /// What a decision's evidence points at.
    EvidenceKind {
        Metric = "metric" / "Metric",
        Work = "work" / "Work item",
        Workflow = "workflow" / "Workflow",
        Priority = "priority" / "Priority",
        Channel = "channel" / "Channel",
        Objective = "objective" / "Objective",
        Decision = "decision" / "Decision",
    } "Evidence is a metric, work item, workflow, priority, channel, objective or decision."
);

/// The question a weak signal is put to in the monthly review.
pub const DIAGNOSIS_QUESTION: &str =
    "Is the cause strategy, process, capacity, skills, tooling, handoff or measurement?";

impl Kind {
    /// What this review is for, in one line.
    pub fn purpose(self) -> &'static str {
        match self {
            Kind::Weekly => {
                "Manage active work: what is blocked, what changed, what decision is needed?"
            }
            Kind::Monthly => {
                "Diagnose patterns: which channel, offer, page or workflow needs improvement?"
            }
            Kind::Quarterly => "Reset focus: what should we scale, stop, fix or hire for?",
        }
    }

    /// "week", "month", "quarter".
    pub fn period_word(self) -> &'static str {
        match self {
            Kind::Weekly => "week",
            Kind::Monthly => "month",
            Kind::Quarterly => "quarter",
        }
    }
}

/// One object a decision or an agenda item points at ("metric 12").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub id: i64,
}

impl Evidence {
    pub fn new(kind: EvidenceKind, id: i64) -> Evidence {
        Evidence { kind, id }
    }

    /// Parses "metric:12" (the form's and the stored spelling).
    pub fn parse(s: &str) -> Result<Evidence, String> {
        let bad = || {
            format!(
                "'{}' is not evidence keel knows: use kind:id, like metric:12.",
                s.trim()
            )
        };
        let (k, id) = s.trim().split_once(':').ok_or_else(bad)?;
        let kind = EvidenceKind::parse(k)?;
        let id = id
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|i| *i > 0)
            .ok_or_else(bad)?;
        Ok(Evidence { kind, id })
    }
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.id)
    }
}

/// A review cadence: one per kind and workspace, which can be switched off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cadence {
    pub id: i64,
    pub kind: Kind,
    /// Every `interval` weeks, months or quarters (2 weekly = biweekly).
    pub interval: i64,
    /// 1 = Monday … 7 = Sunday. Monthly and quarterly reviews fall on the first such day of
    /// their month or quarter.
    pub weekday: u8,
    /// Minutes after midnight, in the workspace's time zone.
    pub time_minutes: u16,
    pub facilitator_id: Option<i64>,
    pub attendee_ids: Vec<i64>,
    pub active: bool,
    /// The day the cadence was set up: the first review is due on or after it.
    pub since: Date,
    pub version: i64,
}

/// A review as stored: held on a date, open while it runs, closed with outcomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub id: i64,
    pub kind: Kind,
    pub date: Date,
    pub status: ReviewStatus,
    pub facilitator_id: Option<i64>,
    pub attendee_ids: Vec<i64>,
    /// Notes per agenda section (section key, text).
    pub notes: Vec<(String, String)>,
    /// Ratings given at the close (person, 1–10).
    pub ratings: Vec<(i64, u8)>,
    /// What the agenda raised when the review closed (for recurring topics).
    pub topics: Vec<Evidence>,
    pub closed_at: Option<i64>,
    pub version: i64,
}

impl Review {
    /// The attendees' average rating, one decimal; `None` before anyone rated.
    pub fn average_rating(&self) -> Option<f64> {
        if self.ratings.is_empty() {
            return None;
        }
        let sum: f64 = self.ratings.iter().map(|(_, r)| *r as f64).sum();
        Some((sum / self.ratings.len() as f64 * 10.0).round() / 10.0)
    }

    pub fn note(&self, section: &str) -> Option<&str> {
        self.notes
            .iter()
            .find(|(k, _)| k == section)
            .map(|(_, t)| t.as_str())
    }
}

/// A decision as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub id: i64,
    pub what: String,
    pub kind: DecisionKind,
    pub category: Option<Category>,
    pub rationale: Option<String>,
    pub evidence: Vec<Evidence>,
    pub owner_id: Option<i64>,
    pub due: Option<Date>,
    pub status: DecisionStatus,
    /// The day it was decided.
    pub decided_on: Date,
    /// The day it was marked done.
    pub done_on: Option<Date>,
    pub review_id: Option<i64>,
    /// The later review that checked it.
    pub checked_by_review_id: Option<i64>,
    pub version: i64,
}

impl Decision {
    /// Open with its due date passed.
    pub fn is_past_due(&self, today: Date) -> bool {
        self.status == DecisionStatus::Open && self.due.is_some_and(|d| d < today)
    }

    pub fn refers_to(&self, e: Evidence) -> bool {
        self.evidence.contains(&e)
    }
}

/// The share (0..1) of decisions due before `today` that were done by their due date: the
/// team's follow-through rate. `None` when none was due yet.
pub fn follow_through(decisions: &[Decision], today: Date) -> Option<f64> {
    let due: Vec<&Decision> = decisions
        .iter()
        .filter(|d| d.kind != DecisionKind::NoChange && d.status != DecisionStatus::Reversed)
        .filter(|d| d.due.is_some_and(|due| due < today))
        .collect();
    if due.is_empty() {
        return None;
    }
    let kept = due
        .iter()
        .filter(|d| matches!((d.done_on, d.due), (Some(done), Some(due)) if done <= due))
        .count();
    Some((kept as f64 / due.len() as f64 * 100.0).round() / 100.0)
}

/// The average rating of the last closed reviews of a kind, oldest first: (date, average).
pub fn rating_trend(reviews: &[Review], kind: Kind, last: usize) -> Vec<(Date, f64)> {
    let mut closed: Vec<&Review> = reviews
        .iter()
        .filter(|r| r.kind == kind && r.status == ReviewStatus::Closed)
        .collect();
    closed.sort_by_key(|r| (r.date, r.id));
    closed
        .iter()
        .rev()
        .take(last)
        .rev()
        .filter_map(|r| Some((r.date, r.average_rating()?)))
        .collect()
}

/// Decisions that came from a review.
pub fn decisions_of(decisions: &[Decision], review_id: i64) -> Vec<&Decision> {
    decisions
        .iter()
        .filter(|d| d.review_id == Some(review_id))
        .collect()
}

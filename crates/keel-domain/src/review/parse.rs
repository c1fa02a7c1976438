//! Cadences, decisions, notes and ratings parsed from what a form or body says, with messages
//! a marketer reads. Ids are checked against the author's view of the model: evidence the
//! author cannot see (another workspace's, or hidden) is "not found", never a hint.

use super::{
    agenda, Category, DecisionKind, DecisionStatus, Evidence, EvidenceKind, Kind, Review,
    ReviewStatus, MAX_INTERVAL, MAX_RATING,
};
use crate::channel::ChannelStatus;
use crate::health::Model;
use crate::workflow::WorkflowStatus;
use crate::{objective, text, Date, Invalid, Person};

/// Evidence links one decision may carry.
pub const MAX_EVIDENCE: usize = 20;

#[derive(Debug, Clone, Default)]
pub struct CadenceInput {
    pub kind: String,
    pub interval: String,
    pub weekday: String,
    pub time: String,
    pub facilitator_id: String,
    pub attendee_ids: Vec<String>,
    /// "on"/"true" switches it on; anything else (or nothing) switches it off.
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CadenceDraft {
    pub kind: Kind,
    pub interval: i64,
    pub weekday: u8,
    pub time_minutes: u16,
    pub facilitator_id: Option<i64>,
    pub attendee_ids: Vec<i64>,
    pub active: bool,
}

fn interval(raw: &str) -> Result<i64, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(1);
    }
    t.parse::<i64>()
        .ok()
        .filter(|n| (1..=MAX_INTERVAL).contains(n))
        .ok_or_else(|| {
            format!("Enter how many periods apart the reviews are, from 1 to {MAX_INTERVAL} (2 weekly is biweekly).")
        })
}

fn weekday(raw: &str) -> Result<u8, String> {
    let t = raw.trim().to_lowercase();
    if let Ok(n) = t.parse::<u8>() {
        if (1..=7).contains(&n) {
            return Ok(n);
        }
    }
    super::schedule::WEEKDAYS
        .iter()
        .position(|d| d.to_lowercase() == t || (t.len() >= 3 && d.to_lowercase().starts_with(&t)))
        .map(|i| i as u8 + 1)
        .ok_or_else(|| "Choose the day of the week the review is held, Monday to Sunday.".into())
}

fn time(raw: &str) -> Result<u16, String> {
    let bad = || "Enter the time as HH:MM on a 24-hour clock, like 09:30.".to_string();
    let (h, m) = raw.trim().split_once(':').ok_or_else(bad)?;
    // Digits only ("9:30" or "09:30"): `u16::from_str` would also take "+9".
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return Err(bad());
    }
    let h: u16 = h.parse().map_err(|_| bad())?;
    let m: u16 = m.parse().map_err(|_| bad())?;
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// A person of the team (internal or not), picked from a list.
fn someone(raw: &str, people: &[Person]) -> Result<i64, String> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| people.iter().any(|p| p.id == *id))
        .ok_or_else(|| "Choose people from the team.".to_string())
}

impl CadenceDraft {
    pub fn parse(i: &CadenceInput, people: &[Person]) -> Result<CadenceDraft, Invalid> {
        let mut inv = Invalid::new();
        let kind = inv.take("kind", Kind::parse(&i.kind));
        let interval = inv.take("interval", interval(&i.interval));
        let weekday = inv.take("weekday", weekday(&i.weekday));
        let time = inv.take("time", time(&i.time));
        let facilitator_id = inv
            .take(
                "facilitator_id",
                objective::owner(&i.facilitator_id, people),
            )
            .flatten();
        if facilitator_id.is_none() && inv.message_for("facilitator_id").is_none() {
            inv.push(
                "facilitator_id",
                "Name who runs the review: one internal person facilitates it.",
            );
        }
        let mut attendee_ids = Vec::new();
        for raw in i.attendee_ids.iter().filter(|r| !r.trim().is_empty()) {
            match someone(raw, people) {
                Ok(id) if !attendee_ids.contains(&id) => attendee_ids.push(id),
                Ok(_) => {}
                Err(e) => {
                    inv.push("attendee_ids", e);
                    break;
                }
            }
        }
        inv.into_result(|| CadenceDraft {
            kind: kind.unwrap_or(Kind::Weekly),
            interval: interval.unwrap_or(1),
            weekday: weekday.unwrap_or(1),
            time_minutes: time.unwrap_or(0),
            facilitator_id,
            attendee_ids,
            active: i.active,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct DecisionInput {
    pub what: String,
    pub kind: String,
    pub category: String,
    pub rationale: String,
    /// "metric:12", "priority:3"…
    pub evidence: Vec<String>,
    pub owner_id: String,
    pub due: String,
    /// Empty on a new decision (open).
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecisionDraft {
    pub what: String,
    pub kind: DecisionKind,
    pub category: Option<Category>,
    pub rationale: Option<String>,
    pub evidence: Vec<Evidence>,
    pub owner_id: i64,
    pub due: Option<Date>,
    pub status: DecisionStatus,
}

/// Whether the author sees the object a piece of evidence points at.
pub fn sees(m: &Model, e: Evidence) -> bool {
    match e.kind {
        EvidenceKind::Metric => m.metrics.iter().any(|x| x.id == e.id),
        EvidenceKind::Work => m.work.iter().any(|x| x.id == e.id),
        EvidenceKind::Workflow => m.workflows.iter().any(|x| x.id == e.id),
        EvidenceKind::Priority => m.priorities.iter().any(|x| x.id == e.id),
        EvidenceKind::Channel => m.channels.iter().any(|x| x.id == e.id),
        EvidenceKind::Objective => m.objectives.iter().any(|x| x.id == e.id),
        EvidenceKind::Decision => m.decisions.iter().any(|x| x.id == e.id),
    }
}

impl DecisionDraft {
    /// Parses a decision against the author's view. `decided_on` is the day of the review it
    /// comes from (or today for one made outside a review): it may not be due before that.
    pub fn parse(i: &DecisionInput, m: &Model, decided_on: Date) -> Result<DecisionDraft, Invalid> {
        let mut inv = Invalid::new();
        let what = inv.take("what", text::required(&i.what, "what was decided", 300));
        let kind = if i.kind.trim().is_empty() {
            inv.push("kind", "A decision needs a kind: improve, stop, delegate, automate, fund, scale, fix, hire, pause, start or no change.");
            None
        } else {
            inv.take("kind", DecisionKind::parse(&i.kind))
        };
        let category = if i.category.trim().is_empty() {
            None
        } else {
            inv.take("category", Category::parse(&i.category))
        };
        let rationale = inv
            .take(
                "rationale",
                text::optional(&i.rationale, "the rationale", 4000),
            )
            .flatten();
        if kind == Some(DecisionKind::NoChange) && rationale.is_none() {
            inv.push(
                "rationale",
                "\"No change\" is a decision too: say why nothing changes.",
            );
        }
        let owner_id = inv
            .take("owner_id", objective::owner(&i.owner_id, &m.people))
            .flatten();
        if owner_id.is_none() && inv.message_for("owner_id").is_none() {
            inv.push(
                "owner_id",
                "A decision needs one owner: choose the internal person who sees it through.",
            );
        }
        let due = if i.due.trim().is_empty() {
            None
        } else {
            inv.take("due", Date::parse(&i.due))
        };
        match (kind, due) {
            (Some(k), None) if k != DecisionKind::NoChange && inv.message_for("due").is_none() => {
                inv.push("due", "Give the decision a due date, so the next review can check it.")
            }
            (_, Some(d)) if d < decided_on => inv.push(
                "due",
                format!(
                    "The due date {d} is before the day it was decided ({decided_on}); choose {decided_on} or later."
                ),
            ),
            _ => {}
        }
        let mut evidence: Vec<Evidence> = Vec::new();
        for raw in i.evidence.iter().filter(|r| !r.trim().is_empty()) {
            match Evidence::parse(raw) {
                Ok(e) if !sees(m, e) => {
                    inv.push(
                        "evidence",
                        format!(
                            "There is no {} {} here to link to.",
                            e.kind.label().to_lowercase(),
                            e.id
                        ),
                    );
                    break;
                }
                Ok(e) if !evidence.contains(&e) => evidence.push(e),
                Ok(_) => {}
                Err(msg) => {
                    inv.push("evidence", msg);
                    break;
                }
            }
        }
        if evidence.len() > MAX_EVIDENCE {
            inv.push(
                "evidence",
                format!("Link at most {MAX_EVIDENCE} pieces of evidence."),
            );
        }
        let status = if i.status.trim().is_empty() {
            Some(DecisionStatus::Open)
        } else {
            inv.take("status", DecisionStatus::parse(&i.status))
        };
        inv.into_result(|| DecisionDraft {
            what: what.unwrap_or_default(),
            kind: kind.unwrap_or(DecisionKind::NoChange),
            category,
            rationale,
            evidence,
            owner_id: owner_id.unwrap_or_default(),
            due,
            status: status.unwrap_or(DecisionStatus::Open),
        })
    }

    /// The workflows a "stop" decision would retire (a confirmation lists them).
    pub fn stops(&self) -> Vec<Evidence> {
        if self.kind != DecisionKind::Stop {
            return vec![];
        }
        self.evidence
            .iter()
            .copied()
            .filter(|e| e.kind == EvidenceKind::Workflow)
            .collect()
    }

    /// What this decision would change once confirmed, as the model stands: a "pause" pauses
    /// its linked priorities still planned and channels active or testing; a "stop" retires
    /// its linked workflows not retired yet. Empty when it changes nothing (no confirmation).
    pub fn acts(&self, m: &Model) -> Vec<Act> {
        let pauses = self.pauses().into_iter().filter(|e| match e.kind {
            EvidenceKind::Priority => m
                .priorities
                .iter()
                .any(|p| p.id == e.id && p.status.is_planned()),
            _ => m.channels.iter().any(|c| {
                c.id == e.id && matches!(c.status, ChannelStatus::Active | ChannelStatus::Testing)
            }),
        });
        let stops = self.stops().into_iter().filter(|e| {
            m.workflows
                .iter()
                .any(|w| w.id == e.id && w.spec.status != WorkflowStatus::Retired)
        });
        pauses
            .map(Act::Pause)
            .chain(stops.map(Act::Retire))
            .collect()
    }

    /// What confirming this decision changes, as (verb, what) lines ("pauses", "the priority
    /// Webinar series"): its acts, then the routine it would switch off. The page asks to
    /// confirm these lines and the API's refusal names them.
    pub fn changes(&self, m: &Model, retire: Option<Kind>) -> Vec<(&'static str, String)> {
        let mut v: Vec<(&'static str, String)> = self
            .acts(m)
            .iter()
            .map(|a| {
                let e = a.evidence();
                (
                    a.verb(),
                    format!(
                        "the {} {}",
                        e.kind.label().to_lowercase(),
                        super::agenda::label(m, e)
                    ),
                )
            })
            .collect();
        if let Some(k) = retire {
            v.push(("switches off", format!("the {}", k.label().to_lowercase())));
        }
        v
    }

    /// The review routine (typed as weekly, monthly or quarterly) this decision may switch
    /// off: only a "stop" retires a routine, and only one that is on. The error says why not.
    pub fn routine_to_retire(&self, m: &Model, typed: &str) -> Result<Kind, String> {
        let k = Kind::parse(typed)
            .map_err(|_| "Choose the routine to switch off: weekly, monthly or quarterly.")?;
        if self.kind != DecisionKind::Stop {
            return Err("Only a \"stop\" decision switches a review routine off; choose the kind stop, or leave the routine out.".into());
        }
        if !m.review_cadences.iter().any(|c| c.kind == k && c.active) {
            return Err(format!("The {} is already off.", k.label().to_lowercase()));
        }
        Ok(k)
    }

    /// The priorities and channels a "pause" decision would pause (a confirmation lists them).
    pub fn pauses(&self) -> Vec<Evidence> {
        if self.kind != DecisionKind::Pause {
            return vec![];
        }
        self.evidence
            .iter()
            .copied()
            .filter(|e| matches!(e.kind, EvidenceKind::Priority | EvidenceKind::Channel))
            .collect()
    }
}

/// One change a decision makes to the operating model after a confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Pause a priority or a channel.
    Pause(Evidence),
    /// Retire a workflow: it leaves the board and the new-work pickers, its history stays.
    Retire(Evidence),
}

impl Act {
    pub fn evidence(self) -> Evidence {
        match self {
            Act::Pause(e) | Act::Retire(e) => e,
        }
    }

    /// "pauses", "retires": what the confirmation says it does.
    pub fn verb(self) -> &'static str {
        match self {
            Act::Pause(_) => "pauses",
            Act::Retire(_) => "retires",
        }
    }
}

/// Notes on one agenda section.
#[derive(Debug, Clone, Default)]
pub struct NoteInput {
    pub section: String,
    pub text: String,
}

impl NoteInput {
    pub fn parse(&self) -> Result<(String, String), Invalid> {
        let mut inv = Invalid::new();
        let section = self.section.trim();
        if !agenda::SECTION_KEYS.contains(&section) {
            inv.push("section", "Choose an agenda item to add notes to.");
        }
        let text = inv
            .take("text", text::optional(&self.text, "the notes", 8000))
            .flatten();
        inv.into_result(|| (section.to_string(), text.unwrap_or_default()))
    }
}

/// The attendees' ratings at the close: (person id, rating) as typed; empty ones are skipped.
#[derive(Debug, Clone, Default)]
pub struct CloseInput {
    pub ratings: Vec<(String, String)>,
}

impl CloseInput {
    /// Ratings from the review's attendees, each a whole number from 1 to 10.
    pub fn parse(&self, review: &Review) -> Result<Vec<(i64, u8)>, Invalid> {
        let mut inv = Invalid::new();
        let mut out: Vec<(i64, u8)> = Vec::new();
        for (who, raw) in &self.ratings {
            if raw.trim().is_empty() {
                continue;
            }
            let Some(id) = who
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| review.attendee_ids.contains(id))
            else {
                inv.push("ratings", "Only the review's attendees rate it.");
                break;
            };
            match raw
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|r| (1..=MAX_RATING).contains(r))
            {
                Some(r) if !out.iter().any(|(p, _)| *p == id) => out.push((id, r)),
                Some(_) => {}
                None => {
                    inv.push(
                        &format!("rating_{id}"),
                        "Rate the review with a whole number from 1 (wasted time) to 10 (changed what we do).",
                    );
                }
            }
        }
        inv.into_result(|| out)
    }
}

/// Why a review cannot be closed now, in words for the facilitator; `None` when it can.
pub fn close_refusal(review: &Review, outcomes: usize) -> Option<String> {
    if review.status == ReviewStatus::Closed {
        return Some("This review is already closed.".into());
    }
    (outcomes == 0).then(|| {
        "A review ends in decisions: record at least one outcome before closing. If nothing needs to change, record \"no change\" with the reason.".to_string()
    })
}

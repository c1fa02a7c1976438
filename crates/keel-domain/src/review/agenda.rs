//! The generated agenda of a review: a pure function of the operating model and the review's
//! day. Each cadence has its own sections (`weekly.rs`, `monthly.rs`, `quarterly.rs`); a
//! section with nothing in it is left out, so a quiet week gives a short agenda. Anything
//! that went off track (a metric past its target the wrong way, a decision past due) enters
//! by itself; every item links to its evidence.

use super::{recurring, Decision, DecisionStatus, Evidence, EvidenceKind, Kind, ReviewStatus};
use crate::health::Model;
use crate::metric::{self, trend};
use crate::Date;
use serde::Serialize;

mod monthly;
mod quarterly;
mod weekly;

/// Every section key an agenda may have (notes are kept per section).
pub const SECTION_KEYS: &[&str] = &[
    "blocked",
    "changed",
    "launches",
    "late",
    "approvals",
    "decisions",
    "off-track",
    "recurring",
    "metrics",
    "workflows",
    "weak-signals",
    "capacity",
    "objectives",
    "concentration",
    "retire",
    "add-people",
];

/// Sections whose evidence counts as the review's topics (for recurring topics).
pub const TOPIC_SECTIONS: &[&str] = &["blocked", "late", "off-track"];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub text: String,
    /// What the item is about, to link to.
    pub evidence: Vec<Evidence>,
    /// The question the review should answer about it (the diagnosis question).
    pub question: Option<&'static str>,
    /// A short badge: "past due", "new", "off target".
    pub flag: Option<&'static str>,
    /// What the item proposes to retire (the quarterly agenda's candidates).
    pub retire: Option<super::retire::Retirable>,
}

/// Evidence an item links to at most, the first given (an item about "412 late items"
/// links to the first few and says how many in its text).
pub const EVIDENCE_SHOWN: usize = 10;

impl Item {
    pub(crate) fn new(text: String, mut evidence: Vec<Evidence>) -> Item {
        evidence.truncate(EVIDENCE_SHOWN);
        Item {
            text,
            evidence,
            question: None,
            flag: None,
            retire: None,
        }
    }

    pub(crate) fn flag(mut self, flag: &'static str) -> Item {
        self.flag = Some(flag);
        self
    }

    pub(crate) fn ask(mut self, q: &'static str) -> Item {
        self.question = Some(q);
        self
    }
}

/// Items a section lists at most, worst first in the section's own order (longest blocked,
/// latest, past due); the rest are counted in `Section::more` and read in full where they live
/// (the work list, the decision log). A meeting reads twenty lines, not twenty thousand.
pub const SHOWN: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub key: &'static str,
    pub title: &'static str,
    /// A line under the title, when the section needs one.
    pub intro: Option<&'static str>,
    /// The first `SHOWN` items.
    pub items: Vec<Item>,
    /// How many more the section holds beyond `items`.
    pub more: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agenda {
    pub kind: Kind,
    pub on: Date,
    /// The day of the previous review of this kind (what "since" means), if any.
    pub since: Option<Date>,
    pub sections: Vec<Section>,
}

impl Agenda {
    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// The evidence of the topic sections, each once: what this review raised.
    pub fn topics(&self) -> Vec<Evidence> {
        let mut out: Vec<Evidence> = self
            .sections
            .iter()
            .filter(|s| TOPIC_SECTIONS.contains(&s.key))
            .flat_map(|s| s.items.iter().flat_map(|i| i.evidence.iter().copied()))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The open decisions this agenda lists as due: the ones its review checks.
    pub fn decisions_checked(&self) -> Vec<i64> {
        self.section("decisions")
            .map(|s| {
                s.items
                    .iter()
                    .flat_map(|i| i.evidence.iter())
                    .filter(|e| e.kind == EvidenceKind::Decision)
                    .map(|e| e.id)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Adds a section only when it has items, keeping the first `SHOWN`.
pub(crate) fn push(
    out: &mut Vec<Section>,
    key: &'static str,
    title: &'static str,
    intro: Option<&'static str>,
    items: Vec<Item>,
) {
    let total = items.len();
    push_counted(out, key, title, intro, items, total);
}

/// `push` for a section whose caller made only the first items of `total` (a long list is
/// cut before its lines are written).
pub(crate) fn push_counted(
    out: &mut Vec<Section>,
    key: &'static str,
    title: &'static str,
    intro: Option<&'static str>,
    mut items: Vec<Item>,
    total: usize,
) {
    items.truncate(SHOWN);
    if !items.is_empty() {
        out.push(Section {
            key,
            title,
            intro,
            more: total.max(items.len()) - items.len(),
            items,
        });
    }
}

/// The first `SHOWN` of a sorted list, and how many it held.
pub(crate) fn first<T>(mut xs: Vec<T>) -> (Vec<T>, usize) {
    let total = xs.len();
    xs.truncate(SHOWN);
    (xs, total)
}

/// The agenda of a review of `kind` held on `on`.
pub fn agenda(kind: Kind, m: &Model, on: Date) -> Agenda {
    let since = m
        .reviews
        .iter()
        .filter(|r| r.kind == kind && r.date < on && r.status == ReviewStatus::Closed)
        .map(|r| r.date)
        .max();
    let mut sections = match kind {
        Kind::Weekly => weekly::sections(m, on, since),
        Kind::Monthly => monthly::sections(m),
        Kind::Quarterly => quarterly::sections(m, on),
    };
    let end = match kind {
        Kind::Weekly => on.week_start().add_days(6),
        Kind::Monthly => on.add_months(1).month_start().add_days(-1),
        Kind::Quarterly => on.add_months(3).add_days(-1),
    };
    let (due, total) = decisions_due(m, on, end);
    push_counted(
        &mut sections,
        "decisions",
        "Decisions due",
        Some("Open decisions due by the end of this period; past due ones first."),
        due,
        total,
    );
    let mut a = Agenda {
        kind,
        on,
        since,
        sections,
    };
    if kind == Kind::Weekly {
        let items = recurring::topics(m, &a.topics(), on)
            .into_iter()
            .map(|e| {
                Item::new(
                    format!(
                        "{} came up in three of the last four weekly reviews and no decision closed it.",
                        label(m, e)
                    ),
                    vec![e],
                )
                .ask("Who owns this, or which SOP step needs to change?")
            })
            .collect();
        push(
            &mut a.sections,
            "recurring",
            "Topics that keep coming back",
            Some("A topic that appears every week points to a workflow without a real owner."),
            items,
        );
    }
    a
}

/// Open decisions due on or before `end`: past due first, then by due date (the first
/// `SHOWN`, and how many there are).
fn decisions_due(m: &Model, on: Date, end: Date) -> (Vec<Item>, usize) {
    let mut due: Vec<&Decision> = m
        .decisions
        .iter()
        .filter(|d| d.status == DecisionStatus::Open && d.due.is_some_and(|x| x <= end))
        .collect();
    due.sort_by_key(|d| (d.due, d.id));
    let (due, total) = first(due);
    let items = due
        .into_iter()
        .map(|d| {
            let due = d.due.unwrap_or(on);
            let owner = person(m, d.owner_id);
            let mut evidence = vec![Evidence::new(EvidenceKind::Decision, d.id)];
            evidence.extend(d.evidence.iter().copied());
            let item = Item::new(
                format!(
                    "{} ({}; {owner}, due {})",
                    d.what,
                    d.kind.label(),
                    due.day_month()
                ),
                evidence,
            );
            if due < on {
                item.flag("past due")
            } else {
                item
            }
        })
        .collect();
    (items, total)
}

/// Metrics whose latest value is on the wrong side of their target, worst trend first, and
/// whether they just went off track (the value before was on target, or there was none).
pub(crate) fn off_target(m: &Model) -> Vec<(&metric::Metric, f64, Option<trend::Trend>, bool)> {
    let mut out: Vec<_> = m
        .metrics
        .iter()
        .filter_map(|x| {
            let ms = metric::measurements_of(m, x.id);
            let last = trend::latest(ms)?;
            let before = ms
                .iter()
                .filter(|v| v.period < last.period)
                .max_by_key(|v| v.period);
            let newly = before.is_none_or(|b| trend::off_target(x, b.value) == Some(false));
            trend::off_target(x, last.value)?.then(|| (x, last.value, trend::trend(x, ms), newly))
        })
        .collect();
    out.sort_by_key(|(x, _, t, _)| (t.and_then(|t| t.better) == Some(true), x.id));
    out
}

/// A person's name, or words that say nobody is named.
pub(crate) fn person(m: &Model, id: Option<i64>) -> String {
    id.and_then(|id| m.people.iter().find(|p| p.id == id))
        .map(|p| p.display())
        .unwrap_or_else(|| "no owner".into())
}

/// The name of what a piece of evidence points at, as the author sees it.
pub fn label(m: &Model, e: Evidence) -> String {
    let found = match e.kind {
        EvidenceKind::Metric => m
            .metrics
            .iter()
            .find(|x| x.id == e.id)
            .map(|x| x.name.clone()),
        EvidenceKind::Work => m.work_item(e.id).map(|x| x.title.clone()),
        EvidenceKind::Workflow => m
            .workflows
            .iter()
            .find(|x| x.id == e.id)
            .map(|x| x.spec.name.clone()),
        EvidenceKind::Priority => m
            .priorities
            .iter()
            .find(|x| x.id == e.id)
            .map(|x| x.title.clone()),
        EvidenceKind::Channel => m
            .channels
            .iter()
            .find(|x| x.id == e.id)
            .map(|x| x.name.clone()),
        EvidenceKind::Objective => m
            .objectives
            .iter()
            .find(|x| x.id == e.id)
            .map(|x| x.outcome.clone()),
        EvidenceKind::Decision => m
            .decisions
            .iter()
            .find(|x| x.id == e.id)
            .map(|x| x.what.clone()),
    };
    found.unwrap_or_else(|| format!("{} {} (no longer here)", e.kind.label(), e.id))
}

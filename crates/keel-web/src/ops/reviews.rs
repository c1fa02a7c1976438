//! What pages (and later the API) do with reviews and decisions: read them through the
//! caller's view (a partner's holds none, so every review route answers it 404), generate
//! the agenda with the domain, and link evidence to its page.

use keel_domain::health::Model;
use keel_domain::review::{agenda, Decision, Evidence, EvidenceKind, Kind, Review, ReviewStatus};
use keel_domain::Date;

pub fn review(m: &Model, id: i64) -> Option<Review> {
    m.reviews.iter().find(|r| r.id == id).cloned()
}

pub fn decision(m: &Model, id: i64) -> Option<Decision> {
    m.decisions.iter().find(|d| d.id == id).cloned()
}

/// The open review of `kind` in the week (weekly), month or quarter of `today`, if any.
pub fn current(m: &Model, kind: Kind, today: Date) -> Option<&Review> {
    let start = match kind {
        Kind::Weekly => today.week_start(),
        Kind::Monthly => today.month_start(),
        Kind::Quarterly => today.add_months(-2).month_start(),
    };
    m.reviews
        .iter()
        .filter(|r| r.kind == kind && r.status == ReviewStatus::Open && r.date >= start)
        .max_by_key(|r| (r.date, r.id))
}

/// Where an evidence link leads, after `/w/{slug}`.
pub fn href(e: Evidence) -> String {
    match e.kind {
        EvidenceKind::Metric => format!("/metrics/{}", e.id),
        EvidenceKind::Work => format!("/work/{}", e.id),
        EvidenceKind::Workflow => format!("/workflows/{}", e.id),
        EvidenceKind::Priority => format!("/priorities/{}", e.id),
        EvidenceKind::Channel => format!("/channels/{}", e.id),
        EvidenceKind::Objective => format!("/objectives/{}", e.id),
        EvidenceKind::Decision => format!("/decisions#decision-{}", e.id),
    }
}

/// An evidence link as a page shows it.
pub struct Link {
    pub href: String,
    pub label: String,
    pub kind: &'static str,
    /// "metric:12", the form's value.
    pub value: String,
}

pub fn link(m: &Model, e: Evidence) -> Link {
    Link {
        href: href(e),
        label: agenda::label(m, e),
        kind: e.kind.label(),
        value: e.to_string(),
    }
}

/// A person's name, or "nobody".
pub fn name(m: &Model, id: Option<i64>) -> String {
    id.and_then(|id| m.people.iter().find(|p| p.id == id))
        .map(|p| p.display())
        .unwrap_or_else(|| "nobody".into())
}

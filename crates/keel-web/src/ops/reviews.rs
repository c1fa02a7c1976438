//! What pages and the API do with reviews and decisions: read them through the
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

/// A stored decision as the decision parser reads it, so a change to one field (a status
/// from the log's buttons) goes through the same rules as a new decision.
pub fn input_of(d: &Decision) -> keel_domain::review::DecisionInput {
    keel_domain::review::DecisionInput {
        what: d.what.clone(),
        kind: d.kind.as_str().into(),
        category: d
            .category
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        rationale: d.rationale.clone().unwrap_or_default(),
        evidence: d.evidence.iter().map(|e| e.to_string()).collect(),
        owner_id: d.owner_id.map(|o| o.to_string()).unwrap_or_default(),
        due: d.due.map(|x| x.to_string()).unwrap_or_default(),
        status: d.status.as_str().into(),
    }
}

/// Starts a review of `kind` on `day` with its cadence's facilitator and attendees (the
/// caller facilitates when no cadence names anyone). An open review of the same kind in
/// the same period is returned instead, with `false`: one review per period.
pub async fn start(
    store: &keel_store::Store,
    ws: keel_store::WorkspaceId,
    m: &Model,
    kind: Kind,
    day: Date,
    caller: Option<i64>,
) -> Result<(Review, bool), keel_store::StoreError> {
    if let Some(r) = current(m, kind, day) {
        return Ok((r.clone(), false));
    }
    let cadence = m.review_cadences.iter().find(|c| c.kind == kind);
    let facilitator = cadence
        .and_then(|c| c.facilitator_id)
        .or(caller.filter(|p| m.people.iter().any(|x| x.id == *p)));
    let attendees: Vec<i64> = cadence
        .map(|c| c.attendee_ids.clone())
        .unwrap_or_else(|| facilitator.into_iter().collect());
    let r = store
        .open_review(ws, kind, day, facilitator, &attendees)
        .await?;
    Ok((r, true))
}

/// The decisions a log filter keeps, in the log's order: open ones past due first, then the
/// newest. The log page, its CSV and XLSX downloads and the API all list through this.
pub fn matching<'a>(
    m: &'a Model,
    f: &keel_domain::review::log::Filter,
    day: Date,
) -> Vec<&'a Decision> {
    let mut hits: Vec<&Decision> = m.decisions.iter().filter(|d| f.matches(d)).collect();
    hits.sort_by_key(|d| (!d.is_past_due(day), std::cmp::Reverse((d.decided_on, d.id))));
    hits
}

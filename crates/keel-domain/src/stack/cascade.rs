//! Feedback cascades down the stack: what the faster layers above a layer learned since that
//! layer's last review, so a tactic's result can change a persona or a segment.
//!
//! A metric belongs to the layer of the objective it is the KPI of; a metric of a channel or a
//! workflow belongs to tactics. What was learned is a metric of a faster layer whose latest
//! value, measured since the layer's last review, is off target (per `metric::trend`).

use super::Layer;
use crate::health::Model;
use crate::metric::{self, trend, Metric};
use crate::Date;
use serde::Serialize;

/// The layers in stack order, slowest first.
pub fn rank(l: Layer) -> usize {
    match l {
        Layer::Market => 0,
        Layer::Business => 1,
        Layer::Buyer => 2,
        Layer::Tactics => 3,
    }
}

/// The layer a metric reports on, if it is linked to anything that has one.
pub fn metric_layer(m: &Model, x: &Metric) -> Option<Layer> {
    if let Some(l) = x.layer {
        return Some(l);
    }
    if let Some(o) = x
        .objective_id
        .and_then(|id| m.objectives.iter().find(|o| o.id == id))
    {
        return Some(o.layer);
    }
    (x.channel_id.is_some() || x.workflow_id.is_some()).then_some(Layer::Tactics)
}

/// One thing a faster layer learned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Learned {
    pub metric_id: i64,
    pub metric: String,
    /// The layer the metric reports on.
    pub from: Layer,
    pub period: Date,
    pub value: f64,
    pub target: f64,
}

/// Off-target metrics of the layers above `l`, measured since `l`'s last review (all of them
/// while it was never reviewed), fastest layer first.
pub fn learned(m: &Model, l: Layer) -> Vec<Learned> {
    let since = m.stack.layer(l).last_reviewed;
    let mut out: Vec<Learned> = m
        .metrics
        .iter()
        .filter_map(|x| {
            let from = metric_layer(m, x)?;
            if rank(from) <= rank(l) {
                return None;
            }
            // The model keeps each metric's values oldest first: the last is the latest.
            let last = metric::measurements_of(m, x.id).last()?;
            if since.is_some_and(|s| last.period < s) {
                return None;
            }
            trend::off_target(x, last.value)
                .filter(|off| *off)
                .map(|_| Learned {
                    metric_id: x.id,
                    metric: x.name.clone(),
                    from,
                    period: last.period,
                    value: last.value,
                    target: x.target.unwrap_or_default(),
                })
        })
        .collect();
    out.sort_by_key(|x| (std::cmp::Reverse(rank(x.from)), x.metric.to_lowercase()));
    out
}

/// The layer a piece of decision evidence belongs to: a metric's (`metric_layer`), an
/// objective's own, a priority's objective's; channels, workflows and work are tactics.
pub fn evidence_layer(m: &Model, e: crate::review::Evidence) -> Option<Layer> {
    use crate::review::EvidenceKind as K;
    let objective = |id: i64| m.objectives.iter().find(|o| o.id == id).map(|o| o.layer);
    match e.kind {
        K::Metric => m
            .metrics
            .iter()
            .find(|x| x.id == e.id)
            .and_then(|x| metric_layer(m, x)),
        K::Objective => objective(e.id),
        K::Priority => m
            .priorities
            .iter()
            .find(|p| p.id == e.id)
            .and_then(|p| p.objective_id)
            .and_then(objective),
        K::Channel | K::Workflow | K::Work => Some(Layer::Tactics),
        K::Decision => None,
    }
}

/// A decision about something of a faster layer, taken since a layer's last review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LearnedDecision {
    pub decision_id: i64,
    pub what: String,
    pub kind: crate::review::DecisionKind,
    /// The fastest layer its evidence is on.
    pub from: Layer,
    pub decided_on: Date,
}

/// Decisions shown per layer at most, newest first.
pub const DECISIONS_SHOWN: usize = 10;

/// Decisions taken since `l`'s last review (all, while it was never reviewed) whose evidence
/// is on a faster layer: what a review of tactics or buyer tools concluded that may change a
/// persona or a segment. "No change" teaches nothing and is left out. Newest first, the
/// first `DECISIONS_SHOWN`, and how many there are.
pub fn decisions_learned(m: &Model, l: Layer) -> (Vec<LearnedDecision>, usize) {
    let since = m.stack.layer(l).last_reviewed;
    let mut out: Vec<LearnedDecision> = m
        .decisions
        .iter()
        .filter(|d| d.kind != crate::review::DecisionKind::NoChange)
        .filter(|d| since.is_none_or(|s| d.decided_on >= s))
        .filter_map(|d| {
            let from = d
                .evidence
                .iter()
                .filter_map(|e| evidence_layer(m, *e))
                .filter(|from| rank(*from) > rank(l))
                .max_by_key(|from| rank(*from))?;
            Some(LearnedDecision {
                decision_id: d.id,
                what: d.what.clone(),
                kind: d.kind,
                from,
                decided_on: d.decided_on,
            })
        })
        .collect();
    out.sort_by_key(|d| std::cmp::Reverse((d.decided_on, d.decision_id)));
    let total = out.len();
    out.truncate(DECISIONS_SHOWN);
    (out, total)
}

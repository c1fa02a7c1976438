//! Rules about the strategy stack: a layer past its planning cycle, and a primary persona whose
//! message map has empty cells.

use super::{Finding, Model, Rule, Subject};
use crate::stack::{message, Layer};

fn layer_subject(l: Layer) -> Subject {
    Subject {
        kind: "strategy-layer",
        id: crate::stack::cascade::rank(l) as i64,
        label: l.label().to_string(),
    }
}

/// A layer is overdue when its next review (last review + cycle) has passed, or when it was
/// never reviewed but holds something to review.
pub(super) fn layer_review_overdue(m: &Model, r: &Rule) -> Vec<Finding> {
    let today = m.today();
    Layer::ALL
        .into_iter()
        .filter_map(|l| {
            let s = m.stack.layer(l);
            let evidence = match (s.last_reviewed, s.review_due()) {
                (Some(last), Some(due)) if due < today => format!(
                    "{} was last reviewed on {} and plans {}; its review was due on {}.",
                    l.label(),
                    last.long(),
                    s.cycle.as_str(),
                    due.long()
                ),
                (None, _) if m.stack.holds_anything(l) => format!(
                    "{} holds plans but has never been reviewed (it plans {}).",
                    l.label(),
                    s.cycle.as_str()
                ),
                _ => return None,
            };
            Some(r.finding(
                layer_subject(l),
                evidence,
                "Review the layer with what the faster layers learned, then record the review date on the strategy page.",
            ))
        })
        .collect()
}

pub(super) fn message_map_gaps(m: &Model, r: &Rule) -> Vec<Finding> {
    m.stack
        .personas
        .iter()
        .filter(|p| p.primary)
        .filter_map(|p| {
            let empty = message::empty_stages(&m.stack, p.id);
            (!empty.is_empty()).then(|| {
                r.finding(
                    Subject {
                        kind: "persona",
                        id: p.id,
                        label: p.name.clone(),
                    },
                    format!(
                        "{}, a primary persona, has no message for {} of {} buying stages: {}.",
                        p.name,
                        empty.len(),
                        m.stack.stages().len(),
                        empty.join(", ")
                    ),
                    "Write the message, proof point and asset for each empty stage in the message map.",
                )
            })
        })
        .collect()
}

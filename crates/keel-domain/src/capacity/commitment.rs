//! Recurring commitments: the hours a week a person gives to something other than one-off
//! work (running a function, deciding for a workflow, meetings, managing, anything else).

use crate::person::MAX_WEEKLY_HOURS;
use crate::{text, Invalid};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentKind {
    Executing,
    Deciding,
    Meetings,
    Managing,
    Other,
}

impl CommitmentKind {
    pub const ALL: [CommitmentKind; 5] = [
        CommitmentKind::Executing,
        CommitmentKind::Deciding,
        CommitmentKind::Meetings,
        CommitmentKind::Managing,
        CommitmentKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentKind::Executing => "executing",
            CommitmentKind::Deciding => "deciding",
            CommitmentKind::Meetings => "meetings",
            CommitmentKind::Managing => "managing",
            CommitmentKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CommitmentKind::Executing => "Executing a function",
            CommitmentKind::Deciding => "Deciding for a workflow",
            CommitmentKind::Meetings => "Meetings",
            CommitmentKind::Managing => "Managing people or partners",
            CommitmentKind::Other => "Other",
        }
    }

    pub fn parse(s: &str) -> Result<CommitmentKind, String> {
        CommitmentKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| "Choose executing, deciding, meetings, managing or other.".to_string())
    }
}

/// A recurring commitment as stored. One linked to a workflow (`workflow_id`, kind deciding)
/// belongs to that workflow's decision owner and moves with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub id: i64,
    pub person_id: i64,
    pub label: String,
    pub kind: CommitmentKind,
    pub hours: f64,
    pub workflow_id: Option<i64>,
    pub version: i64,
}

/// What a form or body says about a commitment.
#[derive(Debug, Clone, Default)]
pub struct CommitmentInput {
    pub label: String,
    pub kind: String,
    pub hours: String,
    /// The workflow a "deciding" commitment is for, empty for none.
    pub workflow_id: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentDraft {
    pub label: String,
    pub kind: CommitmentKind,
    pub hours: f64,
    pub workflow_id: Option<i64>,
}

impl CommitmentDraft {
    /// Parses a commitment for `person_id`; `workflows` are (id, decision owner) of the
    /// workflows it may be linked to.
    pub fn parse(
        i: &CommitmentInput,
        person_id: i64,
        workflows: &[(i64, Option<i64>)],
    ) -> Result<CommitmentDraft, Invalid> {
        let mut inv = Invalid::new();
        let label = inv.take(
            "label",
            text::required(&i.label, "what the time is for", 120),
        );
        let kind = inv.take("kind", CommitmentKind::parse(&i.kind));
        let hours = inv.take(
            "hours",
            text::hours(&i.hours, "a commitment", MAX_WEEKLY_HOURS),
        );
        if hours == Some(0.0) {
            inv.push(
                "hours",
                "Enter the hours a week this takes, like 2 or 1.5 (more than 0).",
            );
        }
        let workflow_id = match i.workflow_id.trim() {
            "" => None,
            raw => match raw
                .parse::<i64>()
                .ok()
                .and_then(|id| workflows.iter().find(|(w, _)| *w == id))
            {
                None => {
                    inv.push("workflow_id", "Choose a workflow of this workspace.");
                    None
                }
                Some((id, owner)) => {
                    if kind.is_some_and(|k| k != CommitmentKind::Deciding) {
                        inv.push(
                            "workflow_id",
                            "Only a deciding commitment is linked to a workflow; it follows the workflow's decision owner.",
                        );
                    } else if *owner != Some(person_id) {
                        inv.push(
                            "workflow_id",
                            "This person is not the decision owner of that workflow; add the time to the person who decides.",
                        );
                    }
                    Some(*id)
                }
            },
        };
        inv.into_result(|| CommitmentDraft {
            label: label.unwrap_or_default(),
            kind: kind.unwrap_or(CommitmentKind::Other),
            hours: hours.unwrap_or_default(),
            workflow_id,
        })
    }
}

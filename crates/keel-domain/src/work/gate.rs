//! Gates: work leaves a stage only when its checklist is complete and, where the stage needs
//! it, the decision owner approved. The decision owner may override with a recorded reason.

use super::WorkStatus;
use crate::workflow::WorkflowSpec;

/// What has been done at the current stage, and what the item waits for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GateState {
    /// Indexes of the stage's checklist items that are ticked.
    pub checked: Vec<usize>,
    pub approved: bool,
    /// The items this one waits for ("waits for"), whatever their state: launching checks them.
    pub waits_for: Vec<Waiting>,
}

/// An item another one waits for, as far as the launch rule cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub id: i64,
    /// Its title, or words that stand for it when the reader may not see it.
    pub title: String,
    pub status: WorkStatus,
}

impl Waiting {
    /// What it waits for has happened: the item launched or is done.
    pub fn is_finished(&self) -> bool {
        matches!(self.status, WorkStatus::Launched | WorkStatus::Done)
    }
}

impl GateState {
    /// The items this one waits for that are neither launched nor done.
    pub fn unfinished(&self) -> Vec<&Waiting> {
        self.waits_for.iter().filter(|w| !w.is_finished()).collect()
    }
}

/// The answer to "may this item leave its stage?"
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Why not, in plain sentences.
    Closed(Vec<String>),
}

pub fn check_gate(spec: &WorkflowSpec, stage: usize, state: &GateState) -> Gate {
    let Some(s) = spec.stages.get(stage) else {
        return Gate::Closed(vec![
            "This item is past the last stage of its workflow.".into()
        ]);
    };
    let mut why = Vec::new();
    let open: Vec<&str> = s
        .checklist
        .iter()
        .enumerate()
        .filter(|(i, _)| !state.checked.contains(i))
        .map(|(_, c)| c.as_str())
        .collect();
    if !open.is_empty() {
        why.push(format!(
            "{} of {} checklist items are still open: {}.",
            open.len(),
            s.checklist.len(),
            open.join("; ")
        ));
    }
    if s.needs_approval && !state.approved {
        why.push(format!(
            "'{}' needs the decision owner's approval before the work moves on.",
            s.name
        ));
    }
    if why.is_empty() {
        Gate::Open
    } else {
        Gate::Closed(why)
    }
}

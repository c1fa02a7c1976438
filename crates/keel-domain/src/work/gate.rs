//! Gates: work leaves a stage only when its checklist is complete and, where the stage needs
//! it, the decision owner approved. The decision owner may override with a recorded reason.

use crate::workflow::WorkflowSpec;

/// What has been done at the current stage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GateState {
    /// Indexes of the stage's checklist items that are ticked.
    pub checked: Vec<usize>,
    pub approved: bool,
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

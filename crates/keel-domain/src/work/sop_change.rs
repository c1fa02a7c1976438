//! What a saved SOP changes for work already under way. Moves read the SOP as it is now, but
//! a status set by an earlier move says what the SOP said then: when a stage starts or stops
//! needing the decision owner's approval, the work sitting at that stage would keep saying
//! "In progress" while the gate waits for an approval (and never reach its decision owner's
//! My work), or "Waiting for approval" when nobody needs to approve anything. `restated`
//! says what such an item's status becomes; the store applies it, with a history line, in
//! the transaction that saves the SOP.
//!
//! The rule:
//! - Only work moving through its stages and not blocked is restated. Blocked and cancelled
//!   work takes the SOP as it is when it is unblocked or reopened (`transition::apply`
//!   resumes it under the current SOP); launched and done work is past its stages.
//! - An approval already given at the stage counts: it is the decision owner's decision on
//!   record, kept like every other, so a stage that needs approval again does not ask twice.
//! - An item whose stage the SOP no longer has is left as it is: its gate says so.

use super::transition::{awaits_approval, resumed};
use super::{WorkItem, WorkStatus};
use crate::workflow::WorkflowSpec;

/// An item's new status under a changed SOP, and the history line that says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restated {
    pub status: WorkStatus,
    pub note: String,
}

/// What `item` becomes under `spec`, given whether its current stage is approved; `None`
/// when its status already fits the SOP.
pub fn restated(item: &WorkItem, spec: &WorkflowSpec, approved: bool) -> Option<Restated> {
    if !matches!(
        item.status,
        WorkStatus::Intake | WorkStatus::InProgress | WorkStatus::AwaitingApproval
    ) {
        return None;
    }
    let stage = spec.stages.get(item.stage)?;
    let waits = awaits_approval(spec, item.stage, approved);
    let status = match (waits, item.status) {
        (true, WorkStatus::AwaitingApproval)
        | (false, WorkStatus::Intake | WorkStatus::InProgress) => return None,
        (true, _) => WorkStatus::AwaitingApproval,
        (false, _) => resumed(item, spec, true),
    };
    let note = if waits {
        format!(
            "The SOP now asks the decision owner to approve '{}' before the work moves on.",
            stage.name
        )
    } else if stage.needs_approval {
        // Waiting although approved: an approval recorded at the stage earlier counts.
        format!(
            "'{}' was already approved by the decision owner.",
            stage.name
        )
    } else {
        format!(
            "The SOP no longer asks for the decision owner's approval at '{}'.",
            stage.name
        )
    };
    Some(Restated { status, note })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::tests::{item_at, spec};

    fn at(stage: usize, status: WorkStatus) -> WorkItem {
        WorkItem {
            status,
            ..item_at(stage)
        }
    }

    /// `spec()` with the approval of each stage as given (Brief, Launch).
    fn needing(brief: bool, launch: bool) -> WorkflowSpec {
        let mut s = spec();
        s.stages[0].needs_approval = brief;
        s.stages[1].needs_approval = launch;
        s
    }

    #[test]
    fn work_at_a_stage_that_now_needs_approval_waits_for_it() {
        let s = needing(true, true);
        for status in [WorkStatus::Intake, WorkStatus::InProgress] {
            let r = restated(&at(0, status), &s, false).unwrap();
            assert_eq!(r.status, WorkStatus::AwaitingApproval, "{status:?}");
            assert_eq!(
                r.note,
                "The SOP now asks the decision owner to approve 'Brief' before the work moves on."
            );
        }
        // Already approved at that stage: the approval counts, nothing changes.
        assert_eq!(restated(&at(0, WorkStatus::InProgress), &s, true), None);
        // Already waiting: nothing to say.
        assert_eq!(
            restated(&at(1, WorkStatus::AwaitingApproval), &s, false),
            None
        );
    }

    #[test]
    fn work_waiting_at_a_stage_that_no_longer_needs_approval_goes_on() {
        let s = needing(false, false);
        // At the first stage, never sent back: intake, as new work starts.
        let r = restated(&at(0, WorkStatus::AwaitingApproval), &s, false).unwrap();
        assert_eq!(r.status, WorkStatus::Intake);
        assert_eq!(
            r.note,
            "The SOP no longer asks for the decision owner's approval at 'Brief'."
        );
        // Sent back to it once, or at a later stage: in progress.
        let mut again = at(0, WorkStatus::AwaitingApproval);
        again.revisions = 1;
        assert_eq!(
            restated(&again, &s, false).unwrap().status,
            WorkStatus::InProgress
        );
        assert_eq!(
            restated(&at(1, WorkStatus::AwaitingApproval), &s, false)
                .unwrap()
                .status,
            WorkStatus::InProgress
        );
        // Open work that never waited stays as it is.
        assert_eq!(restated(&at(1, WorkStatus::InProgress), &s, false), None);
        assert_eq!(restated(&at(0, WorkStatus::Intake), &s, false), None);
    }

    #[test]
    fn waiting_work_whose_stage_is_approved_goes_on() {
        let s = needing(false, true);
        let r = restated(&at(1, WorkStatus::AwaitingApproval), &s, true).unwrap();
        assert_eq!(r.status, WorkStatus::InProgress);
        assert_eq!(
            r.note,
            "'Launch' was already approved by the decision owner."
        );
    }

    #[test]
    fn blocked_finished_and_cancelled_work_and_lost_stages_are_left_alone() {
        let s = needing(true, true);
        for status in [
            WorkStatus::Blocked,
            WorkStatus::Launched,
            WorkStatus::Done,
            WorkStatus::Cancelled,
        ] {
            assert_eq!(restated(&at(0, status), &s, false), None, "{status:?}");
        }
        // A stage the SOP no longer has: its gate says so, the status is not guessed.
        assert_eq!(restated(&at(5, WorkStatus::InProgress), &s, false), None);
        // The same items resume under the SOP as it is when they move again.
        let unblocked = crate::work::transition::apply(
            &at(0, WorkStatus::Blocked),
            &s,
            &Default::default(),
            &crate::work::transition::Action::Unblock,
            crate::work::transition::Actor {
                is_decision_owner: false,
            },
            0,
            &crate::Zone::utc(),
        )
        .unwrap();
        assert_eq!(unblocked.next.status, WorkStatus::AwaitingApproval);
    }
}

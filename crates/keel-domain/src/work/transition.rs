//! How a work item moves: through its gates, back for a revision, into and out of a block,
//! to launch, done or cancelled. Each move returns the item's next state, or says why not.

use super::{check_gate, Gate, GateState, WorkItem, WorkStatus};
use crate::workflow::WorkflowSpec;
use crate::Date;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Pass the current stage's gate. An override (decision owner only) needs a reason.
    Advance {
        override_reason: Option<String>,
    },
    /// Return the work to an earlier stage from a review gate: counts a revision.
    SendBack {
        to: usize,
        reason: String,
    },
    Block {
        reason: String,
    },
    Unblock,
    /// Launched work whose first review happened.
    Done,
    Cancel,
}

impl Action {
    /// The word kept in the item's history.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Advance {
                override_reason: Some(_),
            } => "overridden",
            Action::Advance { .. } => "advanced",
            Action::SendBack { .. } => "sent_back",
            Action::Block { .. } => "blocked",
            Action::Unblock => "unblocked",
            Action::Done => "done",
            Action::Cancel => "cancelled",
        }
    }

    pub fn note(&self) -> Option<&str> {
        match self {
            Action::Advance { override_reason } => override_reason.as_deref(),
            Action::SendBack { reason, .. } | Action::Block { reason } => Some(reason),
            _ => None,
        }
    }
}

/// Who is acting, as far as the rules care.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    /// The acting user is the workflow's decision owner.
    pub is_decision_owner: bool,
}

fn reason(r: &str, what: &str) -> Result<(), String> {
    if r.trim().is_empty() {
        Err(format!("Say why {what}."))
    } else {
        Ok(())
    }
}

fn end_block(item: &mut WorkItem, now: i64) {
    if let Some(since) = item.blocked_since.take() {
        item.blocked_seconds += (now - since).max(0);
    }
    item.blocked_reason = None;
}

/// The next state of `item` after `action`, checked against the workflow's gates.
pub fn apply(
    item: &WorkItem,
    spec: &WorkflowSpec,
    gate: &GateState,
    action: &Action,
    actor: Actor,
    now: i64,
) -> Result<WorkItem, String> {
    let mut next = item.clone();
    let last = spec.stages.len().saturating_sub(1);
    match action {
        Action::Advance { override_reason } => {
            if item.status == WorkStatus::Blocked {
                return Err("This item is blocked. Unblock it before moving it on.".into());
            }
            if !item.status.is_open() {
                return Err(format!(
                    "This item is {}; it no longer moves through stages.",
                    item.status.label().to_lowercase()
                ));
            }
            if let Gate::Closed(why) = check_gate(spec, item.stage, gate) {
                match override_reason {
                    Some(r) if actor.is_decision_owner => reason(r, "you override the gate")?,
                    Some(_) => {
                        return Err("Only the workflow's decision owner can override a gate.".into())
                    }
                    None => return Err(why.join(" ")),
                }
            }
            if item.stage >= last {
                next.status = WorkStatus::Launched;
                next.actual_launch = Some(Date::from_unix(now));
                next.launched_at = Some(now);
            } else {
                next.stage = item.stage + 1;
                next.status = WorkStatus::InProgress;
            }
        }
        Action::SendBack { to, reason: r } => {
            reason(r, "the work goes back")?;
            if !item.status.is_open() || item.status == WorkStatus::Blocked {
                return Err("Only open, unblocked work can be sent back.".into());
            }
            if *to >= item.stage {
                return Err("Work can only be sent back to an earlier stage.".into());
            }
            next.stage = *to;
            next.status = WorkStatus::InProgress;
            next.revisions += 1;
        }
        Action::Block { reason: r } => {
            reason(r, "the work is blocked")?;
            if !item.status.is_open() || item.status == WorkStatus::Blocked {
                return Err("Only open, unblocked work can be blocked.".into());
            }
            next.status = WorkStatus::Blocked;
            next.blocked_since = Some(now);
            next.blocked_reason = Some(r.trim().to_string());
        }
        Action::Unblock => {
            if item.status != WorkStatus::Blocked {
                return Err("This item is not blocked.".into());
            }
            end_block(&mut next, now);
            next.status = if item.stage == 0 && item.revisions == 0 {
                WorkStatus::Intake
            } else {
                WorkStatus::InProgress
            };
        }
        Action::Done => {
            if item.status != WorkStatus::Launched {
                return Err("Only launched work can be marked done.".into());
            }
            next.status = WorkStatus::Done;
        }
        Action::Cancel => {
            if !item.status.is_open() {
                return Err("Only open work can be cancelled.".into());
            }
            end_block(&mut next, now);
            next.status = WorkStatus::Cancelled;
        }
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::tests::spec;

    fn item() -> WorkItem {
        WorkItem {
            id: 1,
            workflow_id: 1,
            title: "Webinar".into(),
            execution_owner_id: Some(2),
            contributor_ids: vec![],
            stage: 0,
            status: WorkStatus::Intake,
            estimated_hours: 4.0,
            start_date: None,
            planned_launch: None,
            actual_launch: None,
            first_review: None,
            blocked_reason: None,
            blocked_since: None,
            blocked_seconds: 0,
            revisions: 0,
            created_at: 0,
            launched_at: None,
            version: 1,
        }
    }

    const ANYONE: Actor = Actor {
        is_decision_owner: false,
    };
    const DECIDER: Actor = Actor {
        is_decision_owner: true,
    };

    fn advance() -> Action {
        Action::Advance {
            override_reason: None,
        }
    }

    #[test]
    fn an_open_checklist_keeps_the_gate_shut_and_says_why() {
        let e = apply(
            &item(),
            &spec(),
            &GateState::default(),
            &advance(),
            ANYONE,
            100,
        )
        .unwrap_err();
        assert!(e.contains("Audience named"), "{e}");
        let n = apply(
            &item(),
            &spec(),
            &GateState {
                checked: vec![0],
                approved: false,
            },
            &advance(),
            ANYONE,
            100,
        )
        .unwrap();
        assert_eq!((n.stage, n.status), (1, WorkStatus::InProgress));
    }

    #[test]
    fn passing_the_last_gate_launches_the_work() {
        let mut i = item();
        i.stage = 1;
        let n = apply(
            &i,
            &spec(),
            &GateState {
                checked: vec![0],
                approved: true,
            },
            &advance(),
            ANYONE,
            86_400 * 3,
        )
        .unwrap();
        assert_eq!(
            (n.status, n.actual_launch, n.launched_at),
            (WorkStatus::Launched, Some(Date(3)), Some(86_400 * 3))
        );
        assert_eq!(
            apply(&n, &spec(), &GateState::default(), &Action::Done, ANYONE, 0)
                .unwrap()
                .status,
            WorkStatus::Done
        );
    }

    #[test]
    fn only_the_decision_owner_overrides_and_only_with_a_reason() {
        let o = |r: &str| Action::Advance {
            override_reason: Some(r.into()),
        };
        assert!(apply(
            &item(),
            &spec(),
            &GateState::default(),
            &o("Urgent"),
            ANYONE,
            0
        )
        .unwrap_err()
        .contains("Only the workflow's decision owner"));
        assert!(
            apply(&item(), &spec(), &GateState::default(), &o(" "), DECIDER, 0)
                .unwrap_err()
                .contains("Say why")
        );
        assert_eq!(
            apply(
                &item(),
                &spec(),
                &GateState::default(),
                &o("Launch date fixed by event"),
                DECIDER,
                0
            )
            .unwrap()
            .stage,
            1
        );
    }

    #[test]
    fn sending_back_counts_a_revision() {
        let mut i = item();
        i.stage = 1;
        let back = Action::SendBack {
            to: 0,
            reason: "Brief unclear".into(),
        };
        let n = apply(&i, &spec(), &GateState::default(), &back, ANYONE, 0).unwrap();
        assert_eq!((n.stage, n.revisions), (0, 1));
        assert!(apply(&item(), &spec(), &GateState::default(), &back, ANYONE, 0).is_err());
        assert!(apply(
            &i,
            &spec(),
            &GateState::default(),
            &Action::SendBack {
                to: 0,
                reason: "".into()
            },
            ANYONE,
            0
        )
        .is_err());
    }

    #[test]
    fn blocking_keeps_time_and_reason_and_stops_moves() {
        let b = apply(
            &item(),
            &spec(),
            &GateState::default(),
            &Action::Block {
                reason: "Waiting for legal".into(),
            },
            ANYONE,
            1_000,
        )
        .unwrap();
        assert_eq!(
            (b.status, b.blocked_since),
            (WorkStatus::Blocked, Some(1_000))
        );
        assert!(apply(
            &b,
            &spec(),
            &GateState {
                checked: vec![0],
                approved: true
            },
            &advance(),
            ANYONE,
            0
        )
        .unwrap_err()
        .contains("blocked"));
        let u = apply(
            &b,
            &spec(),
            &GateState::default(),
            &Action::Unblock,
            ANYONE,
            1_000 + 86_400,
        )
        .unwrap();
        assert_eq!(
            (u.status, u.blocked_seconds, u.blocked_since),
            (WorkStatus::Intake, 86_400, None)
        );
        assert!(apply(
            &item(),
            &spec(),
            &GateState::default(),
            &Action::Block { reason: " ".into() },
            ANYONE,
            0
        )
        .is_err());
    }

    #[test]
    fn cancelled_work_stops() {
        let c = apply(
            &item(),
            &spec(),
            &GateState::default(),
            &Action::Cancel,
            ANYONE,
            0,
        )
        .unwrap();
        assert_eq!(c.status, WorkStatus::Cancelled);
        assert!(apply(&c, &spec(), &GateState::default(), &advance(), ANYONE, 0).is_err());
        assert!(apply(
            &c,
            &spec(),
            &GateState::default(),
            &Action::Cancel,
            ANYONE,
            0
        )
        .is_err());
    }
}

//! How a work item moves: through its gates, back for a revision, into and out of a block,
//! to launch, done or cancelled. A move is parsed once (`Action::parse`, for pages and API
//! alike) and `apply` returns everything the move records — the item's next state, the lines
//! of its history and the approval it leaves — or a refusal that says why. The store writes
//! an `Outcome` in one transaction with the version check, so a refused or stale move leaves
//! nothing behind.

use super::{check_gate, Gate, GateState, WorkItem, WorkStatus};
use crate::workflow::WorkflowSpec;
use crate::{Date, Invalid};

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Pass the current stage's gate, which must be open.
    Advance,
    /// The decision owner passes a gate that is still shut, saying why.
    Override {
        reason: String,
    },
    /// The decision owner approves the current stage (its gate may still need ticks).
    Approve,
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

/// The words a form or body uses for each action.
pub const ACTION_WORDS: &str =
    "advance, override, approve, send_back, block, unblock, done or cancel";

impl Action {
    /// What a form or a JSON body asks for: the action's word, a reason and the stage to send
    /// work back to (as typed). Errors name the field.
    pub fn parse(kind: &str, reason: Option<&str>, to: Option<&str>) -> Result<Action, Invalid> {
        let reason = reason.unwrap_or_default().trim().to_string();
        crate::text::plain(&reason, "the reason").map_err(|m| Invalid::one("reason", m))?;
        if reason.chars().count() > 1000 {
            return Err(Invalid::one(
                "reason",
                "Keep the reason under 1000 characters.",
            ));
        }
        Ok(match kind.trim() {
            "advance" => Action::Advance,
            "override" => Action::Override { reason },
            "approve" => Action::Approve,
            "send_back" => {
                let to = to.map(str::trim).unwrap_or_default();
                let to = to.parse::<usize>().map_err(|_| {
                    Invalid::one(
                        "to",
                        "Choose the stage (numbered from 0) the work goes back to.",
                    )
                })?;
                Action::SendBack { to, reason }
            }
            "block" => Action::Block { reason },
            "unblock" => Action::Unblock,
            "done" => Action::Done,
            "cancel" => Action::Cancel,
            _ => {
                return Err(Invalid::one(
                    "action",
                    format!("Choose what to do with the item: {ACTION_WORDS}."),
                ))
            }
        })
    }
}

/// A line of an item's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Advanced,
    Overridden,
    Approved,
    SentBack,
    Blocked,
    Unblocked,
    Done,
    Cancelled,
}

impl EventKind {
    pub const ALL: [EventKind; 9] = [
        EventKind::Created,
        EventKind::Advanced,
        EventKind::Overridden,
        EventKind::Approved,
        EventKind::SentBack,
        EventKind::Blocked,
        EventKind::Unblocked,
        EventKind::Done,
        EventKind::Cancelled,
    ];

    /// The word kept in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Advanced => "advanced",
            EventKind::Overridden => "overridden",
            EventKind::Approved => "approved",
            EventKind::SentBack => "sent_back",
            EventKind::Blocked => "blocked",
            EventKind::Unblocked => "unblocked",
            EventKind::Done => "done",
            EventKind::Cancelled => "cancelled",
        }
    }

    /// Reads a stored word; "override" is how histories before one outcome per move spelled it.
    pub fn parse(s: &str) -> Option<EventKind> {
        if s == "override" {
            return Some(EventKind::Overridden);
        }
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The line a person reads in the history.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Created => "Started",
            EventKind::Advanced => "Passed the gate",
            EventKind::Overridden => "Gate overridden by the decision owner",
            EventKind::Approved => "Approved by the decision owner",
            EventKind::SentBack => "Sent back for a revision",
            EventKind::Blocked => "Blocked",
            EventKind::Unblocked => "Unblocked",
            EventKind::Done => "Marked done",
            EventKind::Cancelled => "Cancelled",
        }
    }
}

/// The approval a move leaves at a stage: the decision owner's, with the reason when it
/// overrode a shut gate.
#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub stage: usize,
    pub override_reason: Option<String>,
}

/// Everything one move records, written together or not at all.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub next: WorkItem,
    /// The one line of history this move writes.
    pub event: EventKind,
    pub note: Option<String>,
    /// The stage the history line names (the stage approved, or the stage reached).
    pub stage: usize,
    pub approval: Option<Approval>,
    /// Approvals of this stage and later ones are withdrawn (work sent back).
    pub clear_approvals_from: Option<usize>,
}

/// Who is acting, as far as the rules care.
#[derive(Debug, Clone, Copy)]
pub struct Actor {
    /// The acting user is the workflow's decision owner.
    pub is_decision_owner: bool,
}

/// Why a move was refused, in words for the person who tried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The move is the decision owner's to make (approve, override), and the actor is not.
    NotDecisionOwner(&'static str),
    /// The workflow's rules or the item's state do not allow it now.
    Rule(String),
}

impl Refusal {
    pub fn message(&self) -> &str {
        match self {
            Refusal::NotDecisionOwner(m) => m,
            Refusal::Rule(m) => m,
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

fn refuse<T>(why: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal::Rule(why.into()))
}

fn reason(r: &str, what: &str) -> Result<(), Refusal> {
    if r.trim().is_empty() {
        refuse(format!("Say why {what}."))
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

fn open_and_unblocked(item: &WorkItem) -> Result<(), Refusal> {
    if item.status == WorkStatus::Blocked {
        return refuse("This item is blocked. Unblock it before moving it on.");
    }
    if !item.status.is_open() {
        return refuse(format!(
            "This item is {}; it no longer moves through stages.",
            item.status.label().to_lowercase()
        ));
    }
    Ok(())
}

/// Moves the item past its current stage: the next stage, or launch after the last.
fn pass(next: &mut WorkItem, spec: &WorkflowSpec, now: i64) {
    if next.stage + 1 >= spec.stages.len() {
        next.status = WorkStatus::Launched;
        next.actual_launch = Some(Date::from_unix(now));
        next.launched_at = Some(now);
    } else {
        next.stage += 1;
        next.status = WorkStatus::InProgress;
    }
}

/// What `action` does to `item`, checked against the workflow's gates and the actor's rights.
pub fn apply(
    item: &WorkItem,
    spec: &WorkflowSpec,
    gate: &GateState,
    action: &Action,
    actor: Actor,
    now: i64,
) -> Result<Outcome, Refusal> {
    let mut next = item.clone();
    let out = |event: EventKind, next: WorkItem, note: Option<&str>| Outcome {
        stage: next.stage,
        next,
        event,
        note: note.map(|n| n.trim().to_string()),
        approval: None,
        clear_approvals_from: None,
    };
    Ok(match action {
        Action::Advance => {
            open_and_unblocked(item)?;
            if let Gate::Closed(why) = check_gate(spec, item.stage, gate) {
                return refuse(why.join(" "));
            }
            pass(&mut next, spec, now);
            out(EventKind::Advanced, next, None)
        }
        Action::Override { reason: r } => {
            if !actor.is_decision_owner {
                return Err(Refusal::NotDecisionOwner(
                    "Only the workflow's decision owner can override a gate.",
                ));
            }
            open_and_unblocked(item)?;
            if check_gate(spec, item.stage, gate) == Gate::Open {
                return refuse("This gate is open: pass it without an override.");
            }
            reason(r, "you override the gate")?;
            pass(&mut next, spec, now);
            let mut o = out(EventKind::Overridden, next, Some(r));
            o.stage = item.stage;
            o.approval = Some(Approval {
                stage: item.stage,
                override_reason: Some(r.trim().to_string()),
            });
            o
        }
        Action::Approve => {
            if !actor.is_decision_owner {
                return Err(Refusal::NotDecisionOwner(
                    "Only the workflow's decision owner approves its gates.",
                ));
            }
            if !item.status.is_open() {
                return refuse("Only open work needs approval.");
            }
            if gate.approved {
                return refuse("This stage is already approved.");
            }
            let mut o = out(EventKind::Approved, next, None);
            o.approval = Some(Approval {
                stage: item.stage,
                override_reason: None,
            });
            o
        }
        Action::SendBack { to, reason: r } => {
            reason(r, "the work goes back")?;
            if !item.status.is_open() || item.status == WorkStatus::Blocked {
                return refuse("Only open, unblocked work can be sent back.");
            }
            if *to >= item.stage {
                return refuse("Work can only be sent back to an earlier stage.");
            }
            next.stage = *to;
            next.status = WorkStatus::InProgress;
            next.revisions += 1;
            let mut o = out(EventKind::SentBack, next, Some(r));
            o.clear_approvals_from = Some(*to);
            o
        }
        Action::Block { reason: r } => {
            reason(r, "the work is blocked")?;
            if !item.status.is_open() || item.status == WorkStatus::Blocked {
                return refuse("Only open, unblocked work can be blocked.");
            }
            next.status = WorkStatus::Blocked;
            next.blocked_since = Some(now);
            next.blocked_reason = Some(r.trim().to_string());
            out(EventKind::Blocked, next, Some(r))
        }
        Action::Unblock => {
            if item.status != WorkStatus::Blocked {
                return refuse("This item is not blocked.");
            }
            end_block(&mut next, now);
            next.status = if item.stage == 0 && item.revisions == 0 {
                WorkStatus::Intake
            } else {
                WorkStatus::InProgress
            };
            out(EventKind::Unblocked, next, None)
        }
        Action::Done => {
            if item.status != WorkStatus::Launched {
                return refuse("Only launched work can be marked done.");
            }
            next.status = WorkStatus::Done;
            out(EventKind::Done, next, None)
        }
        Action::Cancel => {
            if !item.status.is_open() {
                return refuse("Only open work can be cancelled.");
            }
            end_block(&mut next, now);
            next.status = WorkStatus::Cancelled;
            out(EventKind::Cancelled, next, None)
        }
    })
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
        Action::Advance
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
        assert!(e.message().contains("Audience named"), "{e}");
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
        .unwrap()
        .next;
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
        .unwrap()
        .next;
        assert_eq!(
            (n.status, n.actual_launch, n.launched_at),
            (WorkStatus::Launched, Some(Date(3)), Some(86_400 * 3))
        );
        assert_eq!(
            apply(&n, &spec(), &GateState::default(), &Action::Done, ANYONE, 0)
                .unwrap()
                .next
                .status,
            WorkStatus::Done
        );
    }

    #[test]
    fn only_the_decision_owner_overrides_and_only_with_a_reason() {
        let o = |r: &str| Action::Override { reason: r.into() };
        assert!(apply(
            &item(),
            &spec(),
            &GateState::default(),
            &o("Urgent"),
            ANYONE,
            0
        )
        .unwrap_err()
        .message()
        .contains("Only the workflow's decision owner"));
        assert!(
            apply(&item(), &spec(), &GateState::default(), &o(" "), DECIDER, 0)
                .unwrap_err()
                .message()
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
            .next
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
        let n = apply(&i, &spec(), &GateState::default(), &back, ANYONE, 0)
            .unwrap()
            .next;
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
        .unwrap()
        .next;
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
        .message()
        .contains("blocked"));
        let u = apply(
            &b,
            &spec(),
            &GateState::default(),
            &Action::Unblock,
            ANYONE,
            1_000 + 86_400,
        )
        .unwrap()
        .next;
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
        .unwrap()
        .next;
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

    #[test]
    fn an_override_records_one_line_and_the_approval_it_leaves() {
        let o = apply(
            &item(),
            &spec(),
            &GateState::default(),
            &Action::Override {
                reason: " Launch date fixed by event ".into(),
            },
            DECIDER,
            0,
        )
        .unwrap();
        assert_eq!(
            (o.event, o.stage, o.next.stage),
            (EventKind::Overridden, 0, 1)
        );
        assert_eq!(o.note.as_deref(), Some("Launch date fixed by event"));
        assert_eq!(
            o.approval,
            Some(Approval {
                stage: 0,
                override_reason: Some("Launch date fixed by event".into())
            })
        );
    }

    #[test]
    fn an_open_gate_cannot_be_overridden_by_anyone() {
        let open = GateState {
            checked: vec![0],
            approved: false,
        };
        let o = Action::Override {
            reason: "Because".into(),
        };
        for who in [ANYONE, DECIDER] {
            let e = apply(&item(), &spec(), &open, &o, who, 0).unwrap_err();
            assert!(
                e.message().contains("decision owner") || e.message().contains("gate is open"),
                "{e}"
            );
        }
        assert!(apply(&item(), &spec(), &open, &o, DECIDER, 0)
            .unwrap_err()
            .message()
            .contains("pass it without an override"));
    }

    #[test]
    fn approving_leaves_an_approval_and_moves_nothing() {
        let mut i = item();
        i.stage = 1;
        let o = apply(
            &i,
            &spec(),
            &GateState::default(),
            &Action::Approve,
            DECIDER,
            0,
        )
        .unwrap();
        assert_eq!(
            (o.event, o.next.stage, o.next.status),
            (EventKind::Approved, 1, i.status)
        );
        assert_eq!(o.approval.map(|a| a.stage), Some(1));
        assert!(apply(
            &i,
            &spec(),
            &GateState::default(),
            &Action::Approve,
            ANYONE,
            0
        )
        .is_err());
        let approved = GateState {
            checked: vec![],
            approved: true,
        };
        assert!(apply(&i, &spec(), &approved, &Action::Approve, DECIDER, 0).is_err());
    }

    #[test]
    fn sending_back_withdraws_the_approvals_from_that_stage_on() {
        let mut i = item();
        i.stage = 1;
        let o = apply(
            &i,
            &spec(),
            &GateState::default(),
            &Action::SendBack {
                to: 0,
                reason: "Brief unclear".into(),
            },
            ANYONE,
            0,
        )
        .unwrap();
        assert_eq!(
            (o.event, o.clear_approvals_from),
            (EventKind::SentBack, Some(0))
        );
    }

    #[test]
    fn actions_parse_once_with_errors_that_name_the_field() {
        assert_eq!(
            Action::parse("advance", None, None).unwrap(),
            Action::Advance
        );
        assert_eq!(
            Action::parse("override", Some("  late  "), None).unwrap(),
            Action::Override {
                reason: "late".into()
            }
        );
        assert_eq!(
            Action::parse("send_back", Some("x"), Some(" 0 ")).unwrap(),
            Action::SendBack {
                to: 0,
                reason: "x".into()
            }
        );
        let e = Action::parse("send_back", Some("x"), Some("-1")).unwrap_err();
        assert_eq!(e.errors[0].field, "to");
        let e = Action::parse("launch!", None, None).unwrap_err();
        assert_eq!(e.errors[0].field, "action");
    }

    #[test]
    fn event_words_read_back_including_the_old_spelling() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(EventKind::parse("override"), Some(EventKind::Overridden));
        assert_eq!(EventKind::parse("teleported"), None);
    }
}

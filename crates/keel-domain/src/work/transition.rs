//! How a work item moves: through its gates, back for a revision, into and out of a block,
//! to launch, done or cancelled. A move is parsed once (`Action::parse`, for pages and API
//! alike) and `apply` returns everything the move records — the item's next state, the lines
//! of its history and the approval it leaves — or a refusal that says why. The store writes
//! an `Outcome` in one transaction with the version check, so a refused or stale move leaves
//! nothing behind.

use super::{check_gate, Gate, GateState, WorkItem, WorkStatus};
use crate::workflow::WorkflowSpec;
use crate::{Invalid, Zone};

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Pass the current stage's gate, which must be open. The reason is read only when the
    /// move launches work that still waits for unfinished items: launching anyway needs one,
    /// and the history keeps it.
    Advance {
        reason: String,
    },
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
    /// Cancelled work taken up again where it stopped (the undo of a cancel).
    Reopen,
}

/// The words a form or body uses for each action.
pub const ACTION_WORDS: &str =
    "advance, override, approve, send_back, block, unblock, done, cancel or reopen";

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
            "advance" => Action::Advance { reason },
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
            "reopen" => Action::Reopen,
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
    Reopened,
    /// The SOP changed whether the item's stage needs the decision owner's approval, and the
    /// item's status with it (`work::sop_change`).
    SopChanged,
}

impl EventKind {
    pub const ALL: [EventKind; 11] = [
        EventKind::Created,
        EventKind::Advanced,
        EventKind::Overridden,
        EventKind::Approved,
        EventKind::SentBack,
        EventKind::Blocked,
        EventKind::Unblocked,
        EventKind::Done,
        EventKind::Cancelled,
        EventKind::Reopened,
        EventKind::SopChanged,
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
            EventKind::Reopened => "reopened",
            EventKind::SopChanged => "sop_changed",
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
            EventKind::Reopened => "Reopened",
            EventKind::SopChanged => "The SOP changed",
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
    /// When the move happened (unix seconds): its history line, approval and block are
    /// dated by this one moment.
    pub at: i64,
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

/// The move passes the last stage: it launches the work.
fn launches(item: &WorkItem, spec: &WorkflowSpec) -> bool {
    item.stage + 1 >= spec.stages.len()
}

/// Work does not launch while an item it waits for is neither launched nor done, unless the
/// move says why it goes ahead anyway. Answers the history line such a launch keeps (naming
/// what it did not wait for), or `None` when nothing was waited for.
fn launch_despite_waiting(
    item: &WorkItem,
    spec: &WorkflowSpec,
    gate: &GateState,
    reason: &str,
) -> Result<Option<String>, Refusal> {
    let unfinished = gate.unfinished();
    if !launches(item, spec) || unfinished.is_empty() {
        return Ok(None);
    }
    let named = unfinished
        .iter()
        .map(|w| format!("'{}' ({})", w.title, w.status.label().to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ");
    if reason.trim().is_empty() {
        let (it, is) = if unfinished.len() == 1 {
            ("it", "is")
        } else {
            ("they", "are")
        };
        return refuse(format!(
            "This item waits for {named}, which {is} neither launched nor done. Launch when {it} {is}, remove the dependency, or give a reason to launch anyway."
        ));
    }
    Ok(Some(format!(
        "Launched without waiting for {named}: {}",
        reason.trim()
    )))
}

/// Whether the stage waits for the decision owner: it needs an approval not given yet.
pub(crate) fn awaits_approval(spec: &WorkflowSpec, stage: usize, approved: bool) -> bool {
    !approved && spec.stages.get(stage).is_some_and(|s| s.needs_approval)
}

/// The status of work arriving at `stage` (passed to it or sent back to it): waiting for the
/// decision owner where the stage needs an approval (a stage's approval is never there yet
/// on arrival: a send-back withdraws it), else in progress.
pub fn arrival(spec: &WorkflowSpec, stage: usize) -> WorkStatus {
    if awaits_approval(spec, stage, false) {
        WorkStatus::AwaitingApproval
    } else {
        WorkStatus::InProgress
    }
}

/// The status new work starts in: intake, or waiting for approval if its first stage needs one.
pub fn first_status(spec: &WorkflowSpec) -> WorkStatus {
    if awaits_approval(spec, 0, false) {
        WorkStatus::AwaitingApproval
    } else {
        WorkStatus::Intake
    }
}

/// The status of work taking up its current stage again (after a block, a cancel or an
/// approval): still waiting for the decision owner if the stage's approval is missing, else
/// intake when it never left the first stage, else in progress.
pub(crate) fn resumed(item: &WorkItem, spec: &WorkflowSpec, approved: bool) -> WorkStatus {
    if awaits_approval(spec, item.stage, approved) {
        WorkStatus::AwaitingApproval
    } else if item.stage == 0 && item.revisions == 0 {
        WorkStatus::Intake
    } else {
        WorkStatus::InProgress
    }
}

/// Moves the item past its current stage: the next stage, or launch after the last.
fn pass(next: &mut WorkItem, spec: &WorkflowSpec, now: i64, zone: &Zone) {
    if launches(next, spec) {
        next.status = WorkStatus::Launched;
        // The day it launched where the team is, not in UTC.
        next.actual_launch = Some(zone.date_of(now));
        next.launched_at = Some(now);
    } else {
        next.stage += 1;
        next.status = arrival(spec, next.stage);
    }
}

/// What `action` does to `item` at `now`, checked against the workflow's gates and the actor's
/// rights; `zone` is the workspace's time zone (the day a launch is recorded on).
pub fn apply(
    item: &WorkItem,
    spec: &WorkflowSpec,
    gate: &GateState,
    action: &Action,
    actor: Actor,
    now: i64,
    zone: &Zone,
) -> Result<Outcome, Refusal> {
    let mut next = item.clone();
    let out = |event: EventKind, next: WorkItem, note: Option<&str>| Outcome {
        at: now,
        stage: next.stage,
        next,
        event,
        note: note.map(|n| n.trim().to_string()),
        approval: None,
        clear_approvals_from: None,
    };
    Ok(match action {
        Action::Advance { reason: r } => {
            open_and_unblocked(item)?;
            if let Gate::Closed(why) = check_gate(spec, item.stage, gate) {
                return refuse(why.join(" "));
            }
            let note = launch_despite_waiting(item, spec, gate, r)?;
            pass(&mut next, spec, now, zone);
            out(EventKind::Advanced, next, note.as_deref())
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
            let note = launch_despite_waiting(item, spec, gate, r)?;
            pass(&mut next, spec, now, zone);
            let mut o = out(
                EventKind::Overridden,
                next,
                Some(note.as_deref().unwrap_or(r)),
            );
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
            if item.status == WorkStatus::AwaitingApproval {
                next.status = resumed(item, spec, true);
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
            next.status = arrival(spec, *to);
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
            next.status = resumed(item, spec, gate.approved);
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
        Action::Reopen => {
            if item.status != WorkStatus::Cancelled {
                return refuse("Only cancelled work can be reopened.");
            }
            // A cancel keeps the stage, ticks and approvals, so the work resumes where it was.
            next.status = resumed(item, spec, gate.approved);
            out(EventKind::Reopened, next, None)
        }
    })
}

#[cfg(test)]
mod tests;

//! The board: which column a work item sits in, and what dropping a card on another column
//! asks of the item. A drop is only another way to ask for a move: it becomes one of the
//! transition's `Action`s (or a refusal that says how to make the move instead), and the
//! transition's own rules still decide.

use super::transition::{Action, Refusal};
use super::{WorkItem, WorkStatus};
use crate::workflow::WorkflowSpec;
use crate::Invalid;

/// How the board groups its cards: by the stages of one workflow, or by status across all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Stage,
    Status,
}

/// The statuses the board shows, in column order. Done and cancelled work leaves the board;
/// launched work stays until it is marked done.
pub const STATUS_COLUMNS: [WorkStatus; 5] = [
    WorkStatus::Intake,
    WorkStatus::InProgress,
    WorkStatus::AwaitingApproval,
    WorkStatus::Blocked,
    WorkStatus::Launched,
];

/// A column of the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// A stage of the workflow (its index), holding the open work at that stage.
    Stage(usize),
    /// After the last stage: launched work, until it is marked done.
    Launched,
    /// One status, across workflows.
    Status(WorkStatus),
}

impl Column {
    /// The column's key in a page or a form: `stage:2`, `launched`, `status:blocked`.
    pub fn key(self) -> String {
        match self {
            Column::Stage(i) => format!("stage:{i}"),
            Column::Launched => "launched".into(),
            Column::Status(s) => format!("status:{}", s.as_str()),
        }
    }

    /// Reads a key back; anything else is a clear error on the field `to`.
    pub fn parse(key: &str) -> Result<Column, Invalid> {
        let bad = || {
            Invalid::one(
                "to",
                "Choose a column of the board: stage:N, launched or status:NAME.",
            )
        };
        let key = key.trim();
        if key == "launched" {
            return Ok(Column::Launched);
        }
        if let Some(i) = key.strip_prefix("stage:") {
            return i.parse().map(Column::Stage).map_err(|_| bad());
        }
        if let Some(s) = key.strip_prefix("status:") {
            let s = WorkStatus::parse(s).map_err(|_| bad())?;
            return if STATUS_COLUMNS.contains(&s) {
                Ok(Column::Status(s))
            } else {
                Err(bad())
            };
        }
        Err(bad())
    }
}

/// Whether the board shows this item at all: open or launched work.
pub fn on_board(item: &WorkItem) -> bool {
    item.status.is_open() || item.status == WorkStatus::Launched
}

/// The column an item on the board sits in.
pub fn column_of(item: &WorkItem, grouping: Grouping) -> Column {
    match grouping {
        Grouping::Stage if item.status == WorkStatus::Launched => Column::Launched,
        Grouping::Stage => Column::Stage(item.stage),
        Grouping::Status => Column::Status(item.status),
    }
}

fn refuse<T>(why: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal::Rule(why.into()))
}

fn stage_name(spec: &WorkflowSpec, i: usize) -> &str {
    spec.stages.get(i).map(|s| s.name.as_str()).unwrap_or("?")
}

/// A card dropped on `to`: the move it asks for, or why it is not a move. `reason` is what the
/// person typed when the board asked (a block or a send-back needs one; the transition checks).
pub fn drop_action(
    item: &WorkItem,
    spec: &WorkflowSpec,
    to: Column,
    reason: &str,
) -> Result<Action, Refusal> {
    let reason = reason.to_string();
    let last = spec.stages.len().saturating_sub(1);
    let launch = || -> Result<Action, Refusal> {
        if item.status == WorkStatus::Launched {
            return refuse("This item is already launched.");
        }
        if item.stage < last {
            return refuse(format!(
                "Work launches when it passes the gate of its last stage, '{}'; this item is at '{}'.",
                stage_name(spec, last),
                stage_name(spec, item.stage)
            ));
        }
        Ok(Action::Advance {
            reason: reason.clone(),
        })
    };
    match to {
        Column::Launched => launch(),
        Column::Status(WorkStatus::Launched) => launch(),
        Column::Stage(t) if t >= spec.stages.len() => {
            refuse("That workflow has no such stage.")
        }
        Column::Stage(_) if item.status == WorkStatus::Launched => refuse(
            "Launched work stays launched. Mark it done from its page once its first review is held.",
        ),
        Column::Stage(t) if t == item.stage => refuse(format!(
            "This item is already at '{}'.",
            stage_name(spec, t)
        )),
        Column::Stage(t) if t == item.stage + 1 => Ok(Action::Advance { reason }),
        Column::Stage(t) if t > item.stage => refuse(format!(
            "Work passes one gate at a time: move it to '{}' first.",
            stage_name(spec, item.stage + 1)
        )),
        Column::Stage(t) => Ok(Action::SendBack { to: t, reason }),
        Column::Status(WorkStatus::Blocked) => Ok(Action::Block { reason }),
        Column::Status(s) if item.status == WorkStatus::Blocked => {
            let _ = s;
            Ok(Action::Unblock)
        }
        Column::Status(s) if s == item.status => refuse(format!(
            "This item is already {}.",
            s.label().to_lowercase()
        )),
        Column::Status(_) => refuse(
            "A status follows from the work's stage and gate: open the item to tick its checklist, approve or pass its gate.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work::tests::{item_at, spec};

    /// Brief, Build, Launch.
    fn spec3() -> WorkflowSpec {
        let mut s = spec();
        let mut build = s.stages[0].clone();
        build.name = "Build".into();
        s.stages.insert(1, build);
        s
    }

    fn at(stage: usize, status: WorkStatus) -> WorkItem {
        let mut i = item_at(stage);
        i.status = status;
        i
    }

    #[test]
    fn keys_read_back_and_nonsense_is_named() {
        for c in [
            Column::Stage(2),
            Column::Launched,
            Column::Status(WorkStatus::Blocked),
        ] {
            assert_eq!(Column::parse(&c.key()).unwrap(), c);
        }
        for bad in ["", "stage:x", "status:done", "status:nope", "column"] {
            let e = Column::parse(bad).unwrap_err();
            assert!(e.to_string().contains("Choose a column"), "{bad}: {e}");
        }
    }

    #[test]
    fn launched_work_stays_on_the_board_in_its_own_column() {
        let launched = at(3, WorkStatus::Launched);
        assert!(on_board(&launched));
        assert_eq!(column_of(&launched, Grouping::Stage), Column::Launched);
        assert!(!on_board(&at(3, WorkStatus::Done)));
        assert!(!on_board(&at(1, WorkStatus::Cancelled)));
        assert_eq!(
            column_of(&at(1, WorkStatus::InProgress), Grouping::Stage),
            Column::Stage(1)
        );
    }

    #[test]
    fn the_next_column_passes_the_gate_and_an_earlier_one_sends_back() {
        let s = spec3();
        let e = drop_action(&at(0, WorkStatus::Intake), &s, Column::Stage(2), "").unwrap_err();
        assert!(e.message().contains("move it to 'Build' first"), "{e}");
        let i = at(1, WorkStatus::InProgress);
        assert!(matches!(
            drop_action(&i, &s, Column::Stage(2), ""),
            Ok(Action::Advance { .. })
        ));
        assert_eq!(
            drop_action(&i, &s, Column::Stage(0), "copy is off"),
            Ok(Action::SendBack {
                to: 0,
                reason: "copy is off".into()
            })
        );
        let e = drop_action(&i, &s, Column::Stage(3), "").unwrap_err();
        assert!(e.message().contains("no such stage"), "{e}");
        let e = drop_action(&i, &s, Column::Launched, "").unwrap_err();
        assert!(
            e.message()
                .contains("last stage, 'Launch'; this item is at 'Build'"),
            "{e}"
        );
        let last = at(s.stages.len() - 1, WorkStatus::InProgress);
        assert!(matches!(
            drop_action(&last, &s, Column::Launched, ""),
            Ok(Action::Advance { .. })
        ));
    }

    #[test]
    fn statuses_block_and_unblock_but_do_not_skip_the_gates() {
        let s = spec();
        let open = at(1, WorkStatus::InProgress);
        assert_eq!(
            drop_action(&open, &s, Column::Status(WorkStatus::Blocked), "legal"),
            Ok(Action::Block {
                reason: "legal".into()
            })
        );
        let blocked = at(1, WorkStatus::Blocked);
        assert_eq!(
            drop_action(&blocked, &s, Column::Status(WorkStatus::InProgress), ""),
            Ok(Action::Unblock)
        );
        let e =
            drop_action(&open, &s, Column::Status(WorkStatus::AwaitingApproval), "").unwrap_err();
        assert!(e.message().contains("follows from the work's stage"), "{e}");
        let e = drop_action(&at(1, WorkStatus::Launched), &s, Column::Stage(0), "").unwrap_err();
        assert!(e.message().contains("stays launched"), "{e}");
    }
}

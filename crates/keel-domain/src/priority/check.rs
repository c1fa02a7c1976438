//! The priority test, answered for a stored priority: does it support the revenue goal, is
//! there capacity, how will it be measured, what must be paused. The capacity answer comes
//! from the capacity model (`capacity::team_free`), the same figure the form's test uses.

use super::{Priority, Status};
use crate::health::Model;
use crate::metric::{kpi_of, with_unit};
use serde::Serialize;

/// The test's four questions, in the order they are answered.
pub const SUPPORTS: &str = "Does it support the revenue goal?";
pub const CAPACITY: &str = "Is there capacity?";
pub const MEASURED: &str = "How will it be measured?";
pub const PAUSED: &str = "What must be paused?";

/// One question of the test and its answer; `holds` is false where something is missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub question: &'static str,
    pub answer: String,
    pub holds: bool,
}

fn answer(question: &'static str, holds: bool, answer: String) -> Answer {
    Answer {
        question,
        answer,
        holds,
    }
}

pub fn priority_test(p: &Priority, m: &Model) -> Vec<Answer> {
    let objective = p
        .objective_id
        .and_then(|id| m.objectives.iter().find(|o| o.id == id));
    let supports = match objective {
        None => answer(
            SUPPORTS,
            false,
            "It serves no objective: choose the objective it moves.".into(),
        ),
        Some(o) => match &o.serves {
            Some(s) => answer(
                SUPPORTS,
                true,
                format!("Through \"{}\", which serves {s}.", o.outcome),
            ),
            None => answer(
                SUPPORTS,
                false,
                format!(
                    "Its objective \"{}\" does not say what it serves{}.",
                    o.outcome,
                    crate::stack::revenue_goal(m)
                        .map(|g| format!(": name {g} or a company initiative"))
                        .unwrap_or_default()
                ),
            ),
        },
    };

    let free = crate::capacity::team_free(m, Some(p.id));
    let short = p.weekly_hours - free.max(0.0);
    let capacity = if p.status == Status::Now {
        if short <= 1e-9 {
            answer(CAPACITY, true, format!("It needs {} h a week; the team has {} h free after its other \"now\" priorities.", p.weekly_hours, free.max(0.0)))
        } else {
            answer(CAPACITY, p.paused_id.is_some(), format!("It needs {} h a week, {} h more than the team has free after its other \"now\" priorities.", p.weekly_hours, crate::fit::round1(short)))
        }
    } else if matches!(p.status, Status::Next | Status::Later | Status::Paused) {
        let holds = short <= 1e-9;
        answer(
            CAPACITY,
            holds,
            if holds {
                format!(
                    "Today, yes: it would need {} h a week and the team has {} h free.",
                    p.weekly_hours,
                    free.max(0.0)
                )
            } else {
                format!("Not today: it would need {} h a week and the team has {} h free, so starting it means pausing something.", p.weekly_hours, free.max(0.0))
            },
        )
    } else {
        answer(
            CAPACITY,
            true,
            format!("It is {} and needs no hours.", p.status.as_str()),
        )
    };

    let measured = match objective {
        None => answer(
            MEASURED,
            false,
            "Through its objective's metric, once it serves one.".into(),
        ),
        Some(o) => {
            let kpi = kpi_of(m, o.id);
            let name = o.metric.clone().or(kpi.map(|k| k.name.clone()));
            let unit = kpi.and_then(|k| k.unit.as_deref());
            match (name, o.target, o.deadline) {
                (Some(n), Some(t), Some(d)) => answer(
                    MEASURED,
                    true,
                    format!(
                        "By {n}: {}to {} by {}.",
                        o.baseline
                            .map(|b| format!("from {} ", with_unit(b, unit)))
                            .unwrap_or_default(),
                        with_unit(t, unit),
                        d.long()
                    ),
                ),
                (Some(n), _, _) => answer(
                    MEASURED,
                    false,
                    format!("By {n}, but its objective has no target or no deadline yet."),
                ),
                (None, _, _) => answer(
                    MEASURED,
                    false,
                    format!("Its objective \"{}\" names no metric yet.", o.outcome),
                ),
            }
        }
    };

    let title_of = |id: i64| {
        m.priorities
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.title.clone())
    };
    let paused = match (p.status, p.paused_id.and_then(title_of)) {
        (_, Some(t)) => answer(PAUSED, true, format!("\"{t}\", paused to make room for it.")),
        (Status::Now, None) if short > 1e-9 => answer(PAUSED, false, "Nothing was paused though the team is short of hours: pause a priority, lower the hours, or keep the override's reason in its history.".into()),
        (Status::Now, None) => answer(PAUSED, true, "Nothing: the hours it needs are free.".into()),
        (Status::Next | Status::Later | Status::Paused, None) if short > 1e-9 => answer(PAUSED, true, "Decided when it becomes \"now\": it will have to name a priority to pause.".into()),
        _ => answer(PAUSED, true, "Nothing.".into()),
    };
    vec![supports, capacity, measured, paused]
}

//! The ranked list of priorities and how it is reordered: one priority up or down (the page's
//! buttons), or a whole new order (the API). Both answer the rank changes to store, each with
//! the version the priority was read at, so a list someone else changed meanwhile is refused
//! whole instead of mixed.

use super::Priority;
use crate::Invalid;
use serde::Serialize;

/// One row of a new order: a priority and the version it was read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderRow {
    pub id: i64,
    pub version: i64,
}

/// A rank to store: the priority, the version it must still have, its rank before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RankChange {
    pub id: i64,
    pub version: i64,
    pub from: i64,
    pub to: i64,
}

impl RankChange {
    /// The line its history keeps.
    pub fn note(&self) -> String {
        format!("Moved from rank {} to rank {}.", self.from, self.to)
    }
}

/// The priorities in list order: by rank, then id (as the store lists them).
pub fn ranked(ps: &[Priority]) -> Vec<&Priority> {
    let mut v: Vec<&Priority> = ps.iter().collect();
    v.sort_by_key(|p| (p.rank, p.id));
    v
}

/// Ranks 1, 2, 3… in the given order; only the priorities whose rank changes.
fn renumber(order: &[&Priority], version: impl Fn(&Priority) -> i64) -> Vec<RankChange> {
    order
        .iter()
        .enumerate()
        .map(|(i, p)| RankChange {
            id: p.id,
            version: version(p),
            from: p.rank,
            to: i as i64 + 1,
        })
        .filter(|c| c.from != c.to)
        .collect()
}

/// Which way one priority moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
}

impl Step {
    pub fn parse(s: &str) -> Result<Step, String> {
        match s.trim() {
            "up" => Ok(Step::Up),
            "down" => Ok(Step::Down),
            _ => Err("Choose up or down.".into()),
        }
    }
}

/// The part of the list a priority is shown in: "now", next and later, the rest.
fn group(s: super::Status) -> u8 {
    use super::Status::*;
    match s {
        Now => 0,
        Next | Later => 1,
        Paused | Stopped | Done => 2,
    }
}

/// Moves one priority a place up or down within its part of the list ("now", next and later,
/// or the rest), past the nearest priority of that part (`ps`: all the workspace's
/// priorities). `version` is the one the page showed; a different one means the list changed
/// since. Answers the ranks to store (the whole list renumbered from 1, so equal ranks left
/// by older saves are settled too), or why it cannot move.
pub fn step(ps: &[Priority], id: i64, version: i64, to: Step) -> Result<Vec<RankChange>, String> {
    let mut order = ranked(ps);
    let at = order
        .iter()
        .position(|p| p.id == id)
        .ok_or("This priority is not in the list any more.")?;
    if order[at].version != version {
        return Err(STALE.into());
    }
    let g = group(order[at].status);
    let other = match to {
        Step::Up => (0..at).rev().find(|&i| group(order[i].status) == g),
        Step::Down => (at + 1..order.len()).find(|&i| group(order[i].status) == g),
    };
    let Some(other) = other else {
        let end = if to == Step::Up { "top" } else { "bottom" };
        return Err(format!("\"{}\" is already at the {end}.", order[at].title));
    };
    order.swap(at, other);
    Ok(renumber(&order, |p| p.version))
}

/// What a refused reorder says when the list changed since it was read.
pub const STALE: &str =
    "Someone changed the priorities after you read them. Look at the list again, then reorder it.";

/// Parses a whole new order against all the workspace's priorities: each exactly once, with
/// the version it was read at (which the store checks). Errors are named `priorities[n].id`
/// (or `priorities` for one left out); answers the ranks to store.
pub fn parse_order(rows: &[OrderRow], ps: &[Priority]) -> Result<Vec<RankChange>, Invalid> {
    let mut inv = Invalid::new();
    let mut order: Vec<&Priority> = Vec::with_capacity(rows.len());
    let mut versions = Vec::with_capacity(rows.len());
    for (n, r) in rows.iter().enumerate() {
        let field = format!("priorities[{n}].id");
        match ps.iter().find(|p| p.id == r.id) {
            None => inv.push(&field, "Choose a priority from the list."),
            Some(p) if order.iter().any(|x| x.id == p.id) => inv.push(
                &field,
                format!(
                    "\"{}\" is in the order twice; list each priority once.",
                    p.title
                ),
            ),
            Some(p) => {
                order.push(p);
                versions.push((p.id, r.version));
            }
        }
    }
    let missing: Vec<&str> = ranked(ps)
        .into_iter()
        .filter(|p| !rows.iter().any(|r| r.id == p.id))
        .map(|p| p.title.as_str())
        .collect();
    if !missing.is_empty() {
        inv.push(
            "priorities",
            format!(
                "List every priority once, in the new order; missing: {}.",
                missing.join(", ")
            ),
        );
    }
    inv.into_result(|| ())?;
    let version = |p: &Priority| {
        versions
            .iter()
            .find(|(id, _)| *id == p.id)
            .map(|(_, v)| *v)
            .unwrap_or(p.version)
    };
    Ok(renumber(&order, version))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::priority::tests::priority;
    use crate::priority::Status;

    fn list() -> Vec<Priority> {
        let mut ps: Vec<Priority> = (1..=4).map(|i| priority(i, Status::Next, 2.0)).collect();
        ps[3].rank = 3; // equal ranks, as "after the last" may leave them: id decides
        ps
    }

    #[test]
    fn moving_up_swaps_with_the_one_above_and_renumbers_from_one() {
        let c = step(&list(), 3, 1, Step::Up).unwrap();
        assert_eq!(
            c,
            [
                RankChange {
                    id: 3,
                    version: 1,
                    from: 3,
                    to: 2
                },
                RankChange {
                    id: 2,
                    version: 1,
                    from: 2,
                    to: 3
                },
                RankChange {
                    id: 4,
                    version: 1,
                    from: 3,
                    to: 4
                },
            ]
        );
        assert_eq!(c[0].note(), "Moved from rank 3 to rank 2.");
    }

    #[test]
    fn a_priority_moves_within_its_part_of_the_list() {
        let mut ps = list();
        ps[0].status = Status::Now;
        ps[2].status = Status::Now;
        // 3 is "now": up passes the "next" 2 and swaps with the "now" 1.
        let c = step(&ps, 3, 1, Step::Up).unwrap();
        assert_eq!(
            c.iter().map(|c| (c.id, c.from, c.to)).collect::<Vec<_>>(),
            [(3, 3, 1), (1, 1, 3), (4, 3, 4)]
        );
        assert!(step(&ps, 2, 1, Step::Up)
            .unwrap_err()
            .contains("already at the top"));
    }

    #[test]
    fn the_top_does_not_go_up_nor_the_bottom_down() {
        assert!(step(&list(), 1, 1, Step::Up)
            .unwrap_err()
            .contains("already at the top"));
        assert!(step(&list(), 4, 1, Step::Down)
            .unwrap_err()
            .contains("already at the bottom"));
        assert_eq!(
            step(&list(), 9, 1, Step::Down).unwrap_err(),
            "This priority is not in the list any more."
        );
        assert_eq!(step(&list(), 2, 7, Step::Down).unwrap_err(), STALE);
        assert!(Step::parse("sideways").is_err());
    }

    #[test]
    fn a_whole_order_names_each_priority_once_with_its_version() {
        let rows = |ids: &[i64]| -> Vec<OrderRow> {
            ids.iter().map(|&id| OrderRow { id, version: 1 }).collect()
        };
        let c = parse_order(&rows(&[4, 1, 2, 3]), &list()).unwrap();
        assert_eq!(
            c.iter().map(|c| (c.id, c.to)).collect::<Vec<_>>(),
            [(4, 1), (1, 2), (2, 3), (3, 4)]
        );
        // The same order again changes nothing.
        let again: Vec<Priority> = list()
            .into_iter()
            .map(|mut p| {
                p.rank = c.iter().find(|c| c.id == p.id).unwrap().to;
                p
            })
            .collect();
        assert!(parse_order(&rows(&[4, 1, 2, 3]), &again)
            .unwrap()
            .is_empty());

        let e = parse_order(&rows(&[4, 1, 1, 99]), &list()).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(
            fields,
            ["priorities[2].id", "priorities[3].id", "priorities"]
        );
        assert!(
            e.errors[2].message.contains("Priority 2, Priority 3"),
            "{e:?}"
        );

        // The version sent is the one the store will check, not the one in the list.
        let read = vec![
            OrderRow { id: 2, version: 1 },
            OrderRow { id: 1, version: 0 },
        ];
        let two: Vec<Priority> = list().into_iter().take(2).collect();
        assert_eq!(
            parse_order(&read, &two).unwrap(),
            [
                RankChange {
                    id: 2,
                    version: 1,
                    from: 2,
                    to: 1
                },
                RankChange {
                    id: 1,
                    version: 0,
                    from: 1,
                    to: 2
                },
            ]
        );
    }
}

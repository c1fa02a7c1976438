//! Who decides and who executes each function, and changing the owners of many functions at
//! once (the ownership grid, `PUT /api/v1/ownership`). A person's load is `capacity`'s.

use crate::function::parse_owners;
use crate::{Function, Invalid, Person};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Responsibility {
    Decides,
    Executes,
    DecidesAndExecutes,
}

impl Responsibility {
    pub fn label(self) -> &'static str {
        match self {
            Responsibility::Decides => "Decides",
            Responsibility::Executes => "Executes",
            Responsibility::DecidesAndExecutes => "Decides and executes",
        }
    }
}

pub fn responsibility(f: &Function, person_id: i64) -> Option<Responsibility> {
    match (
        f.business_owner_id == Some(person_id),
        f.execution_owner_id == Some(person_id),
    ) {
        (true, true) => Some(Responsibility::DecidesAndExecutes),
        (true, false) => Some(Responsibility::Decides),
        (false, true) => Some(Responsibility::Executes),
        (false, false) => None,
    }
}

/// One row of the ownership grid or API as sent: the function, the version it was read at,
/// and its two owners (person ids as text, empty for nobody).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OwnersInput {
    pub function_id: String,
    pub version: String,
    pub business_owner_id: String,
    pub execution_owner_id: String,
}

/// A checked row: set these owners on this function if it is still at `version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnersChange {
    pub function_id: i64,
    pub version: i64,
    pub business_owner_id: Option<i64>,
    pub execution_owner_id: Option<i64>,
}

/// The most rows one save takes.
pub const MAX_CHANGES: usize = 500;

pub const NO_SUCH_FUNCTION: &str = "There is no such function in this workspace.";
pub const NO_VERSION: &str =
    "This row does not say which version of the function it changes; reload the page and choose again.";

/// Parses the rows of a grid save, all or nothing. `functions` and `people` are what the
/// author may see: a hidden function is refused like a missing one, and owners follow
/// `function::parse_owners`. Errors name the row, counted from 0: `owners[2].business_owner_id`.
pub fn parse_changes(
    rows: &[OwnersInput],
    functions: &[Function],
    people: &[Person],
) -> Result<Vec<OwnersChange>, Invalid> {
    if rows.is_empty() {
        return Err(Invalid::one(
            "owners",
            "Change the owners of at least one function.",
        ));
    }
    if rows.len() > MAX_CHANGES {
        return Err(Invalid::one(
            "owners",
            format!("Change at most {MAX_CHANGES} functions at once."),
        ));
    }
    let mut inv = Invalid::new();
    let mut out: Vec<OwnersChange> = Vec::with_capacity(rows.len());
    let mut seen: Vec<i64> = Vec::with_capacity(rows.len());
    for (n, row) in rows.iter().enumerate() {
        let at = |field: &str| format!("owners[{n}].{field}");
        let function = row
            .function_id
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|id| functions.iter().find(|f| f.id == id));
        let Some(function) = function else {
            inv.push(&at("function_id"), NO_SUCH_FUNCTION);
            continue;
        };
        if seen.contains(&function.id) {
            inv.push(
                &at("function_id"),
                format!(
                    "{} is in an earlier row too; change it once.",
                    function.name
                ),
            );
            continue;
        }
        seen.push(function.id);
        let version = row.version.trim().parse::<i64>().ok().filter(|v| *v >= 1);
        if version.is_none() {
            inv.push(&at("version"), NO_VERSION);
        }
        match parse_owners(
            &format!("owners[{n}]."),
            &row.business_owner_id,
            &row.execution_owner_id,
            people,
        ) {
            Ok((business, execution)) => {
                if let Some(version) = version {
                    out.push(OwnersChange {
                        function_id: function.id,
                        version,
                        business_owner_id: business,
                        execution_owner_id: execution,
                    });
                }
            }
            Err(e) => inv.errors.extend(e.errors),
        }
    }
    inv.into_result(|| out)
}

/// What a refused stale row says: the function changed since it was read, and how it is now.
pub fn stale_message(now: &Function, people: &[Person]) -> String {
    let name = |id: Option<i64>| {
        id.and_then(|id| people.iter().find(|p| p.id == id))
            .map(|p| p.name.clone())
            .unwrap_or_else(|| "nobody".into())
    };
    format!(
        "Someone else changed {} since you opened this page; nothing was saved. It is now: business owner {}, execution owner {} (version {}).",
        now.name,
        name(now.business_owner_id),
        name(now.execution_owner_id),
        now.version
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Sourcing;

    #[test]
    fn responsibility_names_deciding_and_executing() {
        let f = Function {
            id: 1,
            name: "F1".into(),
            description: None,
            sourcing: Sourcing::Internal,
            business_owner_id: Some(7),
            execution_owner_id: Some(7),
            weekly_hours: 6.0,
            version: 1,
        };
        assert_eq!(
            responsibility(&f, 7),
            Some(Responsibility::DecidesAndExecutes)
        );
        let g = Function {
            execution_owner_id: None,
            ..f
        };
        assert_eq!(responsibility(&g, 7), Some(Responsibility::Decides));
        assert_eq!(responsibility(&g, 8), None);
    }

    fn function(id: i64, name: &str) -> Function {
        Function {
            id,
            name: name.into(),
            description: None,
            sourcing: Sourcing::Internal,
            business_owner_id: None,
            execution_owner_id: None,
            weekly_hours: 0.0,
            version: 3,
        }
    }

    fn row(f: &str, v: &str, b: &str, e: &str) -> OwnersInput {
        OwnersInput {
            function_id: f.into(),
            version: v.into(),
            business_owner_id: b.into(),
            execution_owner_id: e.into(),
        }
    }

    fn people() -> Vec<Person> {
        use crate::PersonKind;
        let p = |id: i64, kind: PersonKind| Person {
            id,
            name: format!("P{id}"),
            kind,
            organization: None,
            title: None,
            email: None,
            weekly_capacity: 40.0,
            user_id: None,
            version: 1,
        };
        vec![p(1, PersonKind::Internal), p(2, PersonKind::Agency)]
    }

    #[test]
    fn rows_become_changes_with_their_versions() {
        let fs = [function(10, "Content"), function(11, "Events")];
        let c = parse_changes(
            &[row("10", "3", "1", "2"), row("11", "4", "", "1")],
            &fs,
            &people(),
        )
        .unwrap();
        assert_eq!(
            c,
            [
                OwnersChange {
                    function_id: 10,
                    version: 3,
                    business_owner_id: Some(1),
                    execution_owner_id: Some(2)
                },
                OwnersChange {
                    function_id: 11,
                    version: 4,
                    business_owner_id: None,
                    execution_owner_id: Some(1)
                }
            ]
        );
    }

    #[test]
    fn every_bad_row_is_named_and_nothing_passes() {
        let fs = [function(10, "Content"), function(11, "Events")];
        let e = parse_changes(
            &[
                row("10", "3", "1", "2"),
                row("99", "1", "1", "1"),
                row("11", "", "2", "7"),
                row("10", "3", "1", "1"),
            ],
            &fs,
            &people(),
        )
        .unwrap_err();
        assert_eq!(
            e.message_for("owners[1].function_id"),
            Some(NO_SUCH_FUNCTION)
        );
        assert_eq!(e.message_for("owners[2].version"), Some(NO_VERSION));
        assert_eq!(
            e.message_for("owners[2].business_owner_id"),
            Some(crate::function::EXTERNAL_BUSINESS_OWNER)
        );
        assert!(e.message_for("owners[2].execution_owner_id").is_some());
        assert!(e
            .message_for("owners[3].function_id")
            .unwrap()
            .contains("earlier row"));
        assert!(e.message_for("owners[0].function_id").is_none());
        assert!(parse_changes(&[], &fs, &people()).is_err());
    }

    #[test]
    fn a_stale_row_says_how_the_function_is_now() {
        let mut f = function(10, "Content");
        f.business_owner_id = Some(1);
        let m = stale_message(&f, &people());
        assert!(
            m.contains("business owner P1, execution owner nobody (version 3)"),
            "{m}"
        );
    }
}

//! Several people at once (the bulk form, `POST /api/v1/people/bulk`): all or nothing.
//! Each row is parsed like one person, against the workspace's people and the rows before it,
//! so two rows with one email are refused too. Errors name the row: `people[2].email`
//! (counted from 0), which the form turns back into its row.

use crate::person::{PersonDraft, PersonInput};
use crate::{Invalid, Person};

/// The most rows taken at once.
pub const MAX_ROWS: usize = 100;

/// A row left entirely blank is no person (the form shows a few empty rows).
pub fn is_blank(i: &PersonInput) -> bool {
    [
        &i.name,
        &i.organization,
        &i.title,
        &i.email,
        &i.weekly_capacity,
    ]
    .iter()
    .all(|s| s.trim().is_empty())
}

/// Parses every row; `Ok` only when all pass. `existing` are the workspace's people.
pub fn parse_many(
    rows: &[PersonInput],
    members: &[i64],
    existing: &[Person],
) -> Result<Vec<PersonDraft>, Invalid> {
    if rows.is_empty() {
        return Err(Invalid::one("people", "Add at least one person."));
    }
    if rows.len() > MAX_ROWS {
        return Err(Invalid::one(
            "people",
            format!("Add at most {MAX_ROWS} people at once."),
        ));
    }
    let mut inv = Invalid::new();
    let mut seen: Vec<Person> = existing.to_vec();
    let mut out = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        match PersonDraft::parse(row, members, &seen) {
            Ok(d) => {
                // Later rows compare their email with this one (id 0: not stored yet).
                seen.push(Person {
                    id: 0,
                    name: d.name.clone(),
                    kind: d.kind,
                    organization: d.organization.clone(),
                    title: d.title.clone(),
                    email: d.email.clone(),
                    weekly_capacity: d.weekly_capacity,
                    user_id: d.user_id,
                    version: 0,
                });
                out.push(d);
            }
            Err(e) => {
                for fe in e.errors {
                    inv.push(&format!("people[{n}].{}", fe.field), fe.message);
                }
            }
        }
    }
    inv.into_result(|| out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, email: &str, hours: &str) -> PersonInput {
        PersonInput {
            name: name.into(),
            kind: "internal".into(),
            email: email.into(),
            weekly_capacity: hours.into(),
            ..Default::default()
        }
    }

    #[test]
    fn all_rows_pass_or_every_mistake_is_named_by_row() {
        let ok = parse_many(
            &[row("Ana", "ana@a.test", "40"), row("Sam", "", "32")],
            &[],
            &[],
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        let e = parse_many(
            &[
                row("Ana", "ana@a.test", "40"),
                row("", "x", "32"),
                row("Ann", "ANA@a.test", "500"),
            ],
            &[],
            &[],
        )
        .unwrap_err();
        assert!(e.message_for("people[1].name").is_some(), "{e}");
        assert!(e.message_for("people[1].email").is_some(), "{e}");
        assert!(e
            .message_for("people[2].email")
            .unwrap()
            .contains("already has the email"));
        assert!(e.message_for("people[2].weekly_capacity").is_some(), "{e}");
        assert!(e.message_for("people[0].name").is_none());
    }

    #[test]
    fn blank_rows_and_empty_or_huge_batches() {
        assert!(is_blank(&PersonInput {
            kind: "internal".into(),
            ..Default::default()
        }));
        assert!(parse_many(&[], &[], &[]).is_err());
        let many = vec![row("A", "", "1"); MAX_ROWS + 1];
        assert!(parse_many(&many, &[], &[])
            .unwrap_err()
            .to_string()
            .contains("at most 100"));
    }
}

//! Marketing functions that must be owned: one internal business owner who decides, one
//! execution owner who may be external.

use crate::{text, Invalid, Person};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sourcing {
    Internal,
    External,
    Hybrid,
}

impl Sourcing {
    pub const ALL: [Sourcing; 3] = [Sourcing::Internal, Sourcing::External, Sourcing::Hybrid];

    pub fn as_str(self) -> &'static str {
        match self {
            Sourcing::Internal => "internal",
            Sourcing::External => "external",
            Sourcing::Hybrid => "hybrid",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sourcing::Internal => "Internal: done by staff",
            Sourcing::External => "External: done by a partner",
            Sourcing::Hybrid => "Hybrid: staff and partners",
        }
    }

    pub fn parse(s: &str) -> Result<Sourcing, String> {
        Sourcing::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| "Choose internal, external or hybrid sourcing.".to_string())
    }
}

/// A function as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Function {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub sourcing: Sourcing,
    pub business_owner_id: Option<i64>,
    pub execution_owner_id: Option<i64>,
    /// Estimated execution effort per week, carried by the execution owner.
    pub weekly_hours: f64,
    pub version: i64,
}

/// What a form or JSON body says about a function, before it is parsed. Owner fields hold a
/// person id as text, empty for none.
#[derive(Debug, Clone, Default)]
pub struct FunctionInput {
    pub name: String,
    pub description: String,
    pub sourcing: String,
    pub business_owner_id: String,
    pub execution_owner_id: String,
    pub weekly_hours: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDraft {
    pub name: String,
    pub description: Option<String>,
    pub sourcing: Sourcing,
    pub business_owner_id: Option<i64>,
    pub execution_owner_id: Option<i64>,
    pub weekly_hours: f64,
}

pub const EXTERNAL_BUSINESS_OWNER: &str =
    "The business owner decides for the company, so they must be an internal person. An agency or contractor can be the execution owner instead.";

fn owner(field: &str, raw: &str, people: &[Person], inv: &mut Invalid) -> Option<Option<i64>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(None);
    }
    match raw
        .parse::<i64>()
        .ok()
        .and_then(|id| people.iter().find(|p| p.id == id))
    {
        Some(p) => Some(Some(p.id)),
        None => {
            inv.push(field, "Choose a person from this workspace's team.");
            None
        }
    }
}

/// A function's two owners from what was typed (person ids as text, empty for nobody),
/// checked against the people the author may see: each must be one of them, and the
/// business owner must be internal. `prefix` goes before each field name in the errors
/// (`owners[2].` in the ownership grid, empty for one function). The one rule for owners,
/// used by `FunctionDraft::parse` and `ownership::parse_changes`.
pub fn parse_owners(
    prefix: &str,
    business: &str,
    execution: &str,
    people: &[Person],
) -> Result<(Option<i64>, Option<i64>), Invalid> {
    let mut inv = Invalid::new();
    let b_field = format!("{prefix}business_owner_id");
    let e_field = format!("{prefix}execution_owner_id");
    let b = owner(&b_field, business, people, &mut inv);
    let e = owner(&e_field, execution, people, &mut inv);
    if let Some(Some(id)) = b {
        if people.iter().any(|p| p.id == id && p.is_external()) {
            inv.push(&b_field, EXTERNAL_BUSINESS_OWNER);
        }
    }
    inv.into_result(|| (b.flatten(), e.flatten()))
}

impl FunctionDraft {
    /// Parses and checks a function against the workspace's people: owners must exist and the
    /// business owner must be internal (principle: business ownership stays inside).
    pub fn parse(i: &FunctionInput, people: &[Person]) -> Result<FunctionDraft, Invalid> {
        let mut inv = Invalid::new();
        let name = inv.take("name", text::required(&i.name, "a name", 120));
        let description = inv.take(
            "description",
            text::optional(&i.description, "the description", 2000),
        );
        let sourcing = inv.take("sourcing", Sourcing::parse(&i.sourcing));
        let owners = match parse_owners("", &i.business_owner_id, &i.execution_owner_id, people) {
            Ok(o) => Some(o),
            Err(e) => {
                inv.errors.extend(e.errors);
                None
            }
        };
        let hours = inv.take(
            "weekly_hours",
            text::hours(
                &i.weekly_hours,
                "weekly effort",
                crate::person::MAX_WEEKLY_HOURS,
            ),
        );
        let (business, execution) = owners.unwrap_or_default();
        inv.into_result(|| FunctionDraft {
            name: name.unwrap_or_default(),
            description: description.flatten(),
            sourcing: sourcing.unwrap_or(Sourcing::Internal),
            business_owner_id: business,
            execution_owner_id: execution,
            weekly_hours: hours.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PersonKind;

    pub(crate) fn person(id: i64, kind: PersonKind) -> Person {
        Person {
            id,
            name: format!("P{id}"),
            kind,
            organization: kind.is_external().then(|| "Agency".to_string()),
            title: None,
            email: None,
            weekly_capacity: 40.0,
            user_id: None,
            version: 1,
        }
    }

    fn input(business: &str, execution: &str) -> FunctionInput {
        FunctionInput {
            name: "Acquisition".into(),
            sourcing: "hybrid".into(),
            business_owner_id: business.into(),
            execution_owner_id: execution.into(),
            weekly_hours: "10".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_internal_decider_and_an_external_executor_are_fine() {
        let people = [
            person(1, PersonKind::Internal),
            person(2, PersonKind::Agency),
        ];
        let d = FunctionDraft::parse(&input("1", "2"), &people).unwrap();
        assert_eq!(d.business_owner_id, Some(1));
        assert_eq!(d.execution_owner_id, Some(2));
    }

    #[test]
    fn an_external_business_owner_is_refused_with_the_reason() {
        let people = [
            person(1, PersonKind::Internal),
            person(2, PersonKind::Agency),
        ];
        let e = FunctionDraft::parse(&input("2", "2"), &people).unwrap_err();
        assert_eq!(
            e.message_for("business_owner_id"),
            Some(EXTERNAL_BUSINESS_OWNER)
        );
    }

    #[test]
    fn an_owner_from_elsewhere_is_refused() {
        let people = [person(1, PersonKind::Internal)];
        let e = FunctionDraft::parse(&input("99", "abc"), &people).unwrap_err();
        assert!(e.message_for("business_owner_id").is_some());
        assert!(e.message_for("execution_owner_id").is_some());
    }

    #[test]
    fn owners_may_be_left_empty() {
        let d = FunctionDraft::parse(&input("", ""), &[]).unwrap();
        assert_eq!(d.business_owner_id, None);
    }
}

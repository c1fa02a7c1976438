//! People of the team: internal staff and external partners, with their weekly capacity.

use crate::{text, Invalid};
use serde::{Deserialize, Serialize};

pub const MAX_WEEKLY_HOURS: f64 = 80.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonKind {
    Internal,
    Agency,
    Contractor,
    Freelancer,
}

impl PersonKind {
    pub const ALL: [PersonKind; 4] = [
        PersonKind::Internal,
        PersonKind::Agency,
        PersonKind::Contractor,
        PersonKind::Freelancer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PersonKind::Internal => "internal",
            PersonKind::Agency => "agency",
            PersonKind::Contractor => "contractor",
            PersonKind::Freelancer => "freelancer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PersonKind::Internal => "Internal (on staff)",
            PersonKind::Agency => "Agency",
            PersonKind::Contractor => "Contractor",
            PersonKind::Freelancer => "Freelancer",
        }
    }

    pub fn parse(s: &str) -> Result<PersonKind, String> {
        PersonKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| "Choose internal, agency, contractor or freelancer.".to_string())
    }

    pub fn is_external(self) -> bool {
        self != PersonKind::Internal
    }
}

/// A person as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub kind: PersonKind,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub email: Option<String>,
    pub weekly_capacity: f64,
    pub user_id: Option<i64>,
    pub version: i64,
}

impl Person {
    pub fn is_external(&self) -> bool {
        self.kind.is_external()
    }

    /// "Lena Ortiz (Northwind Ads)" for externals, the plain name for staff.
    pub fn display(&self) -> String {
        match (&self.organization, self.is_external()) {
            (Some(o), true) => format!("{} ({o})", self.name),
            _ => self.name.clone(),
        }
    }
}

/// What a form or JSON body says about a person, before it is parsed.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub name: String,
    pub kind: String,
    pub organization: String,
    pub title: String,
    pub email: String,
    pub weekly_capacity: String,
    /// The id of the workspace member this person signs in as, empty for none.
    pub user_id: String,
}

/// A person that passed every rule, ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonDraft {
    pub name: String,
    pub kind: PersonKind,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub email: Option<String>,
    pub weekly_capacity: f64,
    pub user_id: Option<i64>,
}

impl PersonDraft {
    /// Parses a person; `members` are the user ids a person may be linked to, `others` the
    /// workspace's other people (all of them but the one being edited): an email is one
    /// person's, compared without regard to case.
    pub fn parse(
        i: &PersonInput,
        members: &[i64],
        others: &[Person],
    ) -> Result<PersonDraft, Invalid> {
        let mut inv = Invalid::new();
        let name = inv.take("name", text::required(&i.name, "a name", 120));
        let kind = inv.take("kind", PersonKind::parse(&i.kind));
        let organization = inv.take(
            "organization",
            text::optional(&i.organization, "the organization", 120),
        );
        let title = inv.take("title", text::optional(&i.title, "the title", 120));
        let email = if i.email.trim().is_empty() {
            Some(None)
        } else {
            inv.take("email", text::email(&i.email).map(Some))
        };
        if let Some(Some(e)) = &email {
            if let Some(o) = email_holder(e, others) {
                inv.push(
                    "email",
                    format!(
                        "{} already has the email {e} in this workspace. Use another address, or edit {} instead of adding them twice.",
                        o.display(),
                        o.name
                    ),
                );
            }
        }
        let cap = inv.take(
            "weekly_capacity",
            text::hours(&i.weekly_capacity, "weekly capacity", MAX_WEEKLY_HOURS),
        );
        let user_id = match i.user_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>().ok().filter(|id| members.contains(id)) {
                Some(id) => Some(id),
                None => {
                    inv.push(
                        "user_id",
                        "Choose an account that is a member of this workspace.",
                    );
                    None
                }
            },
        };
        if let (Some(k), Some(None)) = (kind, &organization) {
            if k.is_external() {
                inv.push(
                    "organization",
                    "Name the agency or company this external person works for.",
                );
            }
        }
        inv.into_result(|| PersonDraft {
            name: name.unwrap_or_default(),
            kind: kind.unwrap_or(PersonKind::Internal),
            organization: organization.flatten(),
            title: title.flatten(),
            email: email.flatten(),
            weekly_capacity: cap.unwrap_or_default(),
            user_id,
        })
    }
}

/// What an erased person is called from then on: their id keeps them apart from others.
pub fn erased_name(id: i64) -> String {
    format!("Erased person #{id}")
}

/// The texts to remove from notes, titles and leads when a person is erased: their email and
/// their name, when it is long enough (at least four characters) not to be part of other
/// words by chance.
pub fn erasure_terms(name: &str, email: Option<&str>) -> Vec<String> {
    let mut terms = Vec::new();
    let name = name.trim();
    if name.chars().count() >= 4 {
        terms.push(name.to_string());
    }
    if let Some(e) = email.map(str::trim).filter(|e| !e.is_empty()) {
        terms.push(e.to_string());
    }
    // The longer first, so an email holding the name is removed whole.
    terms.sort_by_key(|t| std::cmp::Reverse(t.len()));
    terms
}

/// The person among `people` whose email is `email`, whatever the case of either.
pub fn email_holder<'a>(email: &str, people: &'a [Person]) -> Option<&'a Person> {
    let e = email.trim().to_lowercase();
    people.iter().find(|p| {
        p.email
            .as_deref()
            .is_some_and(|x| x.trim().to_lowercase() == e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PersonInput {
        PersonInput {
            name: "Lena Ortiz".into(),
            kind: "agency".into(),
            organization: "Northwind Ads".into(),
            title: "Paid media lead".into(),
            email: "".into(),
            weekly_capacity: "12".into(),
            user_id: "".into(),
        }
    }

    #[test]
    fn a_valid_external_person_parses() {
        let d = PersonDraft::parse(&input(), &[], &[]).unwrap();
        assert_eq!(d.kind, PersonKind::Agency);
        assert_eq!(d.organization.as_deref(), Some("Northwind Ads"));
        assert_eq!(d.email, None);
        assert_eq!(d.weekly_capacity, 12.0);
    }

    #[test]
    fn an_external_person_needs_an_organization() {
        let mut i = input();
        i.organization = " ".into();
        let e = PersonDraft::parse(&i, &[], &[]).unwrap_err();
        assert!(e
            .message_for("organization")
            .unwrap()
            .contains("agency or company"));
    }

    #[test]
    fn every_mistake_is_reported_at_once() {
        let i = PersonInput {
            name: "".into(),
            kind: "robot".into(),
            email: "nope".into(),
            weekly_capacity: "many".into(),
            ..Default::default()
        };
        let e = PersonDraft::parse(&i, &[], &[]).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "kind", "email", "weekly_capacity"]);
    }

    #[test]
    fn a_person_links_only_to_a_member_account() {
        let mut i = input();
        i.user_id = "5".into();
        assert_eq!(PersonDraft::parse(&i, &[5], &[]).unwrap().user_id, Some(5));
        assert!(PersonDraft::parse(&i, &[6], &[])
            .unwrap_err()
            .message_for("user_id")
            .is_some());
    }

    #[test]
    fn an_email_another_person_has_is_refused_naming_them() {
        let lena = PersonDraft::parse(
            &PersonInput {
                email: "Lena@Northwind.test".into(),
                ..input()
            },
            &[],
            &[],
        )
        .unwrap();
        let existing = Person {
            id: 7,
            name: lena.name.clone(),
            kind: lena.kind,
            organization: lena.organization.clone(),
            title: None,
            email: Some("LENA@northwind.test".into()),
            weekly_capacity: 12.0,
            user_id: None,
            version: 1,
        };
        let twin = PersonInput {
            name: "Lena O.".into(),
            email: " lena@NORTHWIND.test ".into(),
            ..input()
        };
        let e = PersonDraft::parse(&twin, &[], std::slice::from_ref(&existing)).unwrap_err();
        assert_eq!(
            e.message_for("email").unwrap(),
            "Lena Ortiz (Northwind Ads) already has the email lena@northwind.test in this workspace. Use another address, or edit Lena Ortiz instead of adding them twice."
        );
        // Editing Lena herself (she is not among the others), or another address, is fine.
        assert!(PersonDraft::parse(&twin, &[], &[]).is_ok());
        let other = PersonInput {
            email: "ops@northwind.test".into(),
            ..twin
        };
        assert!(PersonDraft::parse(&other, &[], &[existing]).is_ok());
    }
}

#[cfg(test)]
mod erasure_tests {
    use super::*;

    #[test]
    fn an_erased_person_is_named_by_id_and_their_name_and_email_are_the_terms_removed() {
        assert_eq!(erased_name(7), "Erased person #7");
        assert_eq!(
            erasure_terms(" Lena Ortiz ", Some("lena.ortiz@acme.test")),
            vec!["lena.ortiz@acme.test".to_string(), "Lena Ortiz".to_string()]
        );
        // A name this short would be found inside other words: only the email goes.
        assert_eq!(erasure_terms("Al", None), Vec::<String>::new());
        assert_eq!(
            erasure_terms("Al", Some("al@x.io")),
            vec!["al@x.io".to_string()]
        );
    }
}

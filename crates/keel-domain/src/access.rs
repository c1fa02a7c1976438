//! Who may see what. Everyone but a partner sees the whole workspace; a partner (an agency
//! or contractor) sees only the functions its person executes, and the people on them.

use crate::work::WorkItem;
use crate::workflow::WorkflowSpec;
use crate::{Function, Person, Role};

/// The reader of some data: their role and, for a partner, the person record they act as.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    pub role: Role,
    pub person_id: Option<i64>,
}

impl Reader {
    /// A member reads as their role; only a partner reads through its linked person (no
    /// linked person: a partner sees nothing of others').
    pub fn new(role: Role, linked_person: Option<i64>) -> Reader {
        Reader {
            role,
            person_id: if role.sees_everything() {
                None
            } else {
                linked_person
            },
        }
    }

    /// A partner sees the workflows its person has a role in.
    pub fn can_see_workflow(&self, w: &WorkflowSpec) -> bool {
        self.role.sees_everything() || self.person_id.is_some_and(|p| w.has_role(p))
    }

    /// A partner sees the work its person executes or contributes to.
    pub fn can_see_work(&self, w: &WorkItem) -> bool {
        self.role.sees_everything() || self.person_id.is_some_and(|p| w.involves(p))
    }

    pub fn can_see_function(&self, f: &Function) -> bool {
        self.role.sees_everything()
            || (self.person_id.is_some() && f.execution_owner_id == self.person_id)
    }

    /// A partner sees itself and the people who decide or execute its functions.
    pub fn can_see_person(&self, p: &Person, functions: &[Function]) -> bool {
        if self.role.sees_everything() || Some(p.id) == self.person_id {
            return true;
        }
        functions
            .iter()
            .filter(|f| self.can_see_function(f))
            .any(|f| f.business_owner_id == Some(p.id) || f.execution_owner_id == Some(p.id))
    }

    pub fn functions(&self, fs: Vec<Function>) -> Vec<Function> {
        fs.into_iter()
            .filter(|f| self.can_see_function(f))
            .collect()
    }

    pub fn people(&self, people: Vec<Person>, functions: &[Function]) -> Vec<Person> {
        people
            .into_iter()
            .filter(|p| self.can_see_person(p, functions))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PersonKind, Sourcing};

    fn p(id: i64) -> Person {
        Person {
            id,
            name: format!("P{id}"),
            kind: PersonKind::Internal,
            organization: None,
            title: None,
            email: None,
            weekly_capacity: 0.0,
            user_id: None,
            version: 1,
        }
    }

    fn f(id: i64, b: i64, e: i64) -> Function {
        Function {
            id,
            name: format!("F{id}"),
            description: None,
            sourcing: Sourcing::Hybrid,
            business_owner_id: Some(b),
            execution_owner_id: Some(e),
            weekly_hours: 1.0,
            version: 1,
        }
    }

    #[test]
    fn a_partner_sees_only_its_functions_and_the_people_on_them() {
        let fs = vec![f(1, 10, 20), f(2, 11, 12)];
        let people = vec![p(10), p(11), p(12), p(20)];
        let partner = Reader {
            role: Role::Partner,
            person_id: Some(20),
        };
        assert_eq!(
            partner
                .functions(fs.clone())
                .iter()
                .map(|f| f.id)
                .collect::<Vec<_>>(),
            [1]
        );
        let seen: Vec<i64> = partner
            .people(people.clone(), &fs)
            .iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(seen, [10, 20]);
        let unlinked = Reader {
            role: Role::Partner,
            person_id: None,
        };
        assert!(unlinked.functions(fs.clone()).is_empty());
        assert!(unlinked.people(people.clone(), &fs).is_empty());
        let viewer = Reader {
            role: Role::Viewer,
            person_id: None,
        };
        assert_eq!(viewer.people(people, &fs).len(), 4);
    }
}

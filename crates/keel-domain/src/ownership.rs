//! Who decides and who executes each function, and each person's load against capacity.

use crate::work::WorkItem;
use crate::{Function, Person};
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

/// A person's weekly load: execution effort of the functions they execute.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Load {
    pub person_id: i64,
    pub capacity: f64,
    pub hours: f64,
    pub decides: usize,
    pub executes: usize,
}

impl Load {
    /// Load as a share of capacity in percent; `None` when the person has no capacity set.
    pub fn percent(&self) -> Option<u32> {
        (self.capacity > 0.0).then(|| ((self.hours / self.capacity) * 100.0).round() as u32)
    }

    pub fn over_capacity(&self) -> bool {
        self.hours > self.capacity + 1e-9
    }
}

pub fn load(person: &Person, functions: &[Function]) -> Load {
    let decides = functions
        .iter()
        .filter(|f| f.business_owner_id == Some(person.id))
        .count();
    let executes: Vec<&Function> = functions
        .iter()
        .filter(|f| f.execution_owner_id == Some(person.id))
        .collect();
    load_of(person, decides, &executes)
}

/// The load of a person who decides `decides` functions and executes `executes`: executing
/// takes the function's weekly hours, deciding takes none.
pub fn load_of(person: &Person, decides: usize, executes: &[&Function]) -> Load {
    let hours: f64 = executes.iter().map(|f| f.weekly_hours).sum();
    Load {
        person_id: person.id,
        capacity: person.weekly_capacity,
        hours: (hours * 10.0).round() / 10.0,
        decides,
        executes: executes.len(),
    }
}

/// A person's load counting open work too: the estimated hours of the open work items they
/// execute are added to the weekly hours of the functions they execute.
pub fn load_with_work(person: &Person, functions: &[Function], work: &[WorkItem]) -> Load {
    let mut l = load(person, functions);
    let open: f64 = work
        .iter()
        .filter(|w| w.status.is_open() && w.execution_owner_id == Some(person.id))
        .map(|w| w.estimated_hours)
        .sum();
    l.hours = ((l.hours + open) * 10.0).round() / 10.0;
    l
}

pub fn loads(people: &[Person], functions: &[Function]) -> Vec<Load> {
    people.iter().map(|p| load(p, functions)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PersonKind, Sourcing};

    fn f(id: i64, b: Option<i64>, e: Option<i64>, h: f64) -> Function {
        Function {
            id,
            name: format!("F{id}"),
            description: None,
            sourcing: Sourcing::Internal,
            business_owner_id: b,
            execution_owner_id: e,
            weekly_hours: h,
            version: 1,
        }
    }

    #[test]
    fn load_counts_execution_hours_only() {
        let p = Person {
            id: 7,
            name: "Ana".into(),
            kind: PersonKind::Internal,
            organization: None,
            title: None,
            email: None,
            weekly_capacity: 10.0,
            user_id: None,
            version: 1,
        };
        let fs = [
            f(1, Some(7), Some(7), 6.0),
            f(2, Some(7), None, 30.0),
            f(3, None, Some(7), 6.5),
        ];
        let l = load(&p, &fs);
        assert_eq!((l.decides, l.executes, l.hours), (2, 2, 12.5));
        assert!(l.over_capacity());
        assert_eq!(l.percent(), Some(125));
        assert_eq!(
            responsibility(&fs[0], 7),
            Some(Responsibility::DecidesAndExecutes)
        );
        assert_eq!(responsibility(&fs[1], 7), Some(Responsibility::Decides));
        assert_eq!(responsibility(&fs[1], 8), None);
    }

    #[test]
    fn load_with_work_adds_the_open_items_the_person_executes() {
        use crate::work::{WorkItem, WorkStatus};
        let p = Person {
            id: 7,
            name: "Ana".into(),
            kind: PersonKind::Internal,
            organization: None,
            title: None,
            email: None,
            weekly_capacity: 10.0,
            user_id: None,
            version: 1,
        };
        let item = |owner, status, hours| WorkItem {
            id: 1,
            workflow_id: 1,
            title: "Webinar".into(),
            execution_owner_id: owner,
            contributor_ids: vec![7],
            stage: 0,
            status,
            estimated_hours: hours,
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
        };
        let fs = [f(1, None, Some(7), 6.0)];
        let work = [
            item(Some(7), WorkStatus::InProgress, 2.5),
            item(Some(7), WorkStatus::Blocked, 1.0),
            item(Some(7), WorkStatus::Done, 30.0),
            item(Some(8), WorkStatus::InProgress, 30.0),
        ];
        let l = load_with_work(&p, &fs, &work);
        assert_eq!((l.executes, l.hours), (1, 9.5));
        assert!(!l.over_capacity());
        assert_eq!(load_with_work(&p, &fs, &[]), load(&p, &fs));
        let more = [item(Some(7), WorkStatus::Intake, 4.5)];
        assert!(load_with_work(&p, &fs, &more).over_capacity());
    }
}

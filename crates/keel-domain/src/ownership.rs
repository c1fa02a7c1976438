//! Who decides and who executes each function. A person's load is `capacity`'s.

use crate::Function;
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
}

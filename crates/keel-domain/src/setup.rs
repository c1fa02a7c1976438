//! A new workspace's first steps: add the people, own the functions, make a first workflow.
//! Until they are done or the team runs its first work, the workspace is setting up: the
//! findings that only say "not set up yet" (functions without owners) are listed apart from
//! the findings about a model there is to judge. Once work exists there is something to
//! judge, and an unowned function is a finding like any other.

use crate::health::{Finding, Model};

/// One first step and whether it is done.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub key: &'static str,
    pub title: &'static str,
    /// Why it matters, in one line.
    pub why: &'static str,
    /// Where it stands, in words ("3 of 8 functions have a business owner").
    pub progress: String,
    pub done: bool,
}

/// Rules whose findings, on a workspace still setting up, are the open first steps.
pub const SETUP_RULES: &[&str] = &["function.no-business-owner", "function.no-execution-owner"];

/// The first steps of a workspace, in order.
pub fn first_steps(m: &Model) -> Vec<Step> {
    let people = m.people.len();
    let functions = m.functions.len();
    let owned = |id: Option<i64>| id.is_some_and(|id| m.people.iter().any(|p| p.id == id));
    let business = m
        .functions
        .iter()
        .filter(|f| owned(f.business_owner_id))
        .count();
    let execution = m
        .functions
        .iter()
        .filter(|f| owned(f.execution_owner_id))
        .count();
    vec![
        Step {
            key: "people",
            title: "Add the people who do the work",
            why: "Staff, agencies and freelancers, each with the hours they give to marketing.",
            progress: match people {
                0 => "Nobody yet.".into(),
                1 => "1 person so far.".into(),
                n => format!("{n} people."),
            },
            done: people >= 2,
        },
        Step {
            key: "owners",
            title: "Give every function its owners",
            why: "One internal business owner who decides, and who executes.",
            progress: format!(
                "{business} of {functions} functions have a business owner, {execution} an execution owner."
            ),
            done: people >= 1 && business == functions && execution == functions,
        },
        Step {
            key: "workflow",
            title: "Make a first workflow from a template",
            why: "A recurring process as an SOP: owners, stages, gates and a quality standard.",
            progress: match m.workflows.len() {
                0 => "No workflow yet.".into(),
                1 => "1 workflow.".into(),
                n => format!("{n} workflows."),
            },
            done: !m.workflows.is_empty(),
        },
    ]
}

/// Whether the workspace is still setting up: a first step is open and no work was run yet.
pub fn setting_up(m: &Model, steps: &[Step]) -> bool {
    m.work.is_empty() && steps.iter().any(|s| !s.done)
}

/// Splits findings into (setup, the rest): while setting up, unowned functions are setup;
/// afterwards every finding is a finding.
pub fn split(m: &Model, steps: &[Step], findings: Vec<Finding>) -> (Vec<Finding>, Vec<Finding>) {
    if !setting_up(m, steps) {
        return (vec![], findings);
    }
    findings
        .into_iter()
        .partition(|f| SETUP_RULES.contains(&f.rule))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Function, Person, PersonKind, Sourcing};

    fn person(id: i64) -> Person {
        Person {
            id,
            name: format!("P{id}"),
            kind: PersonKind::Internal,
            organization: None,
            title: None,
            email: None,
            weekly_capacity: 40.0,
            user_id: None,
            version: 1,
        }
    }

    fn function(id: i64, owner: Option<i64>) -> Function {
        Function {
            id,
            name: format!("F{id}"),
            description: None,
            sourcing: Sourcing::Internal,
            business_owner_id: owner,
            execution_owner_id: owner,
            weekly_hours: 0.0,
            version: 1,
        }
    }

    #[test]
    fn a_fresh_workspace_shows_first_steps_and_keeps_unowned_functions_as_setup() {
        let fresh = Model {
            people: vec![person(1)],
            functions: vec![function(1, None), function(2, None)],
            ..Default::default()
        };
        let steps = first_steps(&fresh);
        assert_eq!(
            steps.iter().map(|s| (s.key, s.done)).collect::<Vec<_>>(),
            [("people", false), ("owners", false), ("workflow", false)]
        );
        assert_eq!(
            steps[1].progress,
            "0 of 2 functions have a business owner, 0 an execution owner."
        );
        let findings = crate::health::check(&fresh);
        assert!(!findings.is_empty());
        let (setup, rest) = split(&fresh, &steps, findings);
        assert_eq!(setup.len(), 4, "{setup:?}");
        assert!(
            rest.iter().all(|f| !SETUP_RULES.contains(&f.rule)),
            "{rest:?}"
        );
    }

    #[test]
    fn once_work_runs_an_unowned_function_is_a_finding_again() {
        let t = crate::workflow::templates::find("campaign-launch").unwrap();
        let people = vec![person(1), person(2)];
        let spec =
            crate::workflow::WorkflowSpec::parse(&t.input(1, 2, 1, None), &people, &[]).unwrap();
        let mut m = Model {
            people,
            functions: vec![function(1, Some(1)), function(2, Some(2))],
            workflows: vec![crate::workflow::Workflow {
                id: 1,
                spec,
                created_at: 0,
                version: 1,
            }],
            ..Default::default()
        };
        let steps = first_steps(&m);
        assert!(steps.iter().all(|s| s.done), "{steps:?}");
        assert!(!setting_up(&m, &steps));
        // Before any work, an owner missing again is setup; once work runs, it is a finding.
        m.functions[1].business_owner_id = None;
        let steps = first_steps(&m);
        assert!(setting_up(&m, &steps));
        let (setup, _) = split(&m, &steps, crate::health::check(&m));
        assert_eq!(setup.len(), 1);
        m.work.push(crate::work::WorkItem {
            id: 1,
            workflow_id: 1,
            title: "Webinar".into(),
            execution_owner_id: Some(2),
            contributor_ids: vec![],
            stage: 0,
            status: crate::work::WorkStatus::Intake,
            estimated_hours: 4.0,
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
        });
        let (setup, rest) = split(&m, &steps, crate::health::check(&m));
        assert!(setup.is_empty());
        assert!(rest.iter().any(|f| f.rule == "function.no-business-owner"));
    }
}

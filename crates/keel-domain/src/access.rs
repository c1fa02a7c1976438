//! Who may see what. Everyone but a partner sees the whole workspace; a partner (an agency
//! or contractor) sees only what is assigned to its person: the functions it executes, the
//! work it executes or contributes to, the workflows it has a role or work in, and the people
//! on those; the objectives, priorities and channels its person owns; and the metrics it owns
//! or that measure something it sees.
//!
//! Architecture Invariant: lists, pickers, linked names and ids in request bodies all go
//! through `Reader::view`, so a hidden record is the same as a missing one everywhere.

use crate::health::Model;
use crate::stack::Stack;
use crate::work::WorkItem;
use crate::workflow::WorkflowSpec;
use crate::{Function, Role};
use std::collections::HashSet;

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

    /// A partner sees the workflows its person has a role in (and, through `view`, those it
    /// has work in).
    fn has_role_in(&self, w: &WorkflowSpec) -> bool {
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

    /// A partner sees no market knowledge, business strategy or buyer tools, and of the
    /// tactics only the programs its person owns or that a channel it sees carries, each
    /// listing only the channels, offers and workflows it sees.
    fn stack(
        &self,
        m: &Model,
        channels: &[crate::channel::Channel],
        offers: &[crate::offer::Offer],
        workflows: &[crate::workflow::Workflow],
    ) -> Stack {
        let programs = m
            .stack
            .programs
            .iter()
            .filter(|p| {
                (self.person_id.is_some() && p.owner_id == self.person_id)
                    || p.channel_ids
                        .iter()
                        .any(|id| channels.iter().any(|c| c.id == *id))
            })
            .cloned()
            .map(|mut p| {
                p.channel_ids
                    .retain(|id| channels.iter().any(|c| c.id == *id));
                p.offer_ids.retain(|id| offers.iter().any(|o| o.id == *id));
                p.workflow_ids
                    .retain(|id| workflows.iter().any(|w| w.id == *id));
                p
            })
            .collect();
        Stack {
            programs,
            ..Default::default()
        }
    }

    /// The part of the model this reader sees: the one filter behind every list, picker,
    /// linked name and id a request names.
    pub fn view(&self, m: &Model) -> Model {
        if self.role.sees_everything() {
            return m.clone();
        }
        let work: Vec<WorkItem> = m
            .work
            .iter()
            .filter(|w| self.can_see_work(w))
            .cloned()
            .collect();
        let workflows: Vec<_> = m
            .workflows
            .iter()
            .filter(|wf| self.has_role_in(&wf.spec) || work.iter().any(|w| w.workflow_id == wf.id))
            .cloned()
            .collect();
        let functions = self.functions(m.functions.clone());
        // A partner sees the priorities and objectives its person owns (owners are internal,
        // so usually none), and the objectives of the priorities it sees.
        let owns = |o: Option<i64>| self.person_id.is_some() && o == self.person_id;
        let priorities: Vec<_> = m
            .priorities
            .iter()
            .filter(|p| owns(p.owner_id))
            .cloned()
            .collect();
        let objectives: Vec<_> = m
            .objectives
            .iter()
            .filter(|o| owns(o.owner_id) || priorities.iter().any(|p| p.objective_id == Some(o.id)))
            .cloned()
            .collect();
        let channels: Vec<_> = m
            .channels
            .iter()
            .filter(|c| owns(c.owner_id))
            .cloned()
            .collect();
        // Metrics: those its person owns, and those that measure a function, objective,
        // channel or workflow it sees; with their measurements.
        let metrics: Vec<_> = m
            .metrics
            .iter()
            .filter(|x| {
                owns(x.owner_id)
                    || x.function_id
                        .is_some_and(|id| functions.iter().any(|f| f.id == id))
                    || x.objective_id
                        .is_some_and(|id| objectives.iter().any(|o| o.id == id))
                    || x.channel_id
                        .is_some_and(|id| channels.iter().any(|c| c.id == id))
                    || x.workflow_id
                        .is_some_and(|id| workflows.iter().any(|w| w.id == id))
            })
            .cloned()
            .collect();
        // Offers: those its person owns, and those a channel it sees carries.
        let offers: Vec<_> = m
            .offers
            .iter()
            .filter(|o| {
                owns(o.owner_id)
                    || o.channel_ids
                        .iter()
                        .any(|id| channels.iter().any(|c| c.id == *id))
            })
            .cloned()
            .map(|mut o| {
                o.channel_ids
                    .retain(|id| channels.iter().any(|c| c.id == *id));
                o
            })
            .collect();
        let stack = self.stack(m, &channels, &offers, &workflows);
        let seen: HashSet<i64> = metrics.iter().map(|x| x.id).collect();
        let measurements = m
            .measurements
            .iter()
            .filter(|v| seen.contains(&v.metric_id))
            .cloned()
            .collect();
        let mut people: HashSet<i64> = self.person_id.into_iter().collect();
        for f in &functions {
            people.extend(f.business_owner_id);
            people.extend(f.execution_owner_id);
        }
        for wf in &workflows {
            people.extend(wf.spec.assignments.iter().map(|a| a.person_id));
        }
        for w in &work {
            people.extend(w.execution_owner_id);
            people.extend(w.contributor_ids.iter().copied());
        }
        let sop_versions: Vec<_> = m
            .sop_versions
            .iter()
            .filter(|v| workflows.iter().any(|w| w.id == v.workflow_id))
            .cloned()
            .collect();
        // A block's reason belongs to its item: only the items the reader sees.
        let blocks: Vec<_> = m
            .blocks
            .iter()
            .filter(|b| work.iter().any(|w| w.id == b.item_id))
            .cloned()
            .collect();
        // The links of the work the reader sees, naming only what the reader sees too.
        let keep = |id: Option<i64>, seen: &dyn Fn(i64) -> bool| id.filter(|x| seen(*x));
        let work_links = m
            .work_links
            .iter()
            .filter(|l| work.iter().any(|w| w.id == l.work_id))
            .map(|l| crate::fit::WorkLink {
                work_id: l.work_id,
                objective_id: keep(l.objective_id, &|x| objectives.iter().any(|o| o.id == x)),
                priority_id: keep(l.priority_id, &|x| priorities.iter().any(|p| p.id == x)),
                channel_id: keep(l.channel_id, &|x| channels.iter().any(|c| c.id == x)),
                offer_id: keep(l.offer_id, &|x| offers.iter().any(|o| o.id == x)),
                version: l.version,
            })
            .collect();
        Model {
            people: m
                .people
                .iter()
                .filter(|p| people.contains(&p.id))
                .cloned()
                .collect(),
            commitments: m
                .commitments
                .iter()
                .filter(|c| people.contains(&c.person_id))
                .cloned()
                .collect(),
            functions,
            workflows,
            deps: m
                .deps
                .iter()
                .filter(|(a, b)| work.iter().any(|w| w.id == *a) && work.iter().any(|w| w.id == *b))
                .copied()
                .collect(),
            sop_versions,
            blocks,
            work,
            objectives,
            priorities,
            channels,
            channel_focus_limit: m.channel_focus_limit,
            metrics,
            measurements,
            offers,
            stack,
            now: m.now,
            zone: m.zone.clone(),
            leads: if self.role.sees_leads() {
                m.leads.clone()
            } else {
                Default::default()
            },
            // Reviews and decisions weigh the whole team's evidence: a partner sees none.
            review_cadences: vec![],
            reviews: vec![],
            decisions: vec![],
            work_links,
            untraced_limit: m.untraced_limit,
            untraced_limit_version: m.untraced_limit_version,
            work_positions: Default::default(),
            loads_memo: Default::default(),
            findings_memo: Default::default(),
        }
    }

    pub fn functions(&self, fs: Vec<Function>) -> Vec<Function> {
        fs.into_iter()
            .filter(|f| self.can_see_function(f))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Person, PersonKind, Sourcing};

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

    fn item(id: i64, workflow_id: i64, owner: i64, contributors: Vec<i64>) -> WorkItem {
        WorkItem {
            id,
            workflow_id,
            title: format!("W{id}"),
            execution_owner_id: Some(owner),
            contributor_ids: contributors,
            stage: 0,
            status: crate::work::WorkStatus::Intake,
            estimated_hours: 1.0,
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
        }
    }

    fn model() -> Model {
        let spec = crate::work::tests::spec(); // roles: 1 decides, 2 executes, 3 reviews
        let wf = |id| crate::workflow::Workflow {
            id,
            spec: spec.clone(),
            created_at: 0,
            version: 1,
        };
        Model {
            people: [1, 2, 3, 10, 11, 12, 20, 30].into_iter().map(p).collect(),
            functions: vec![f(1, 10, 20), f(2, 11, 12)],
            workflows: vec![wf(1), wf(2)],
            work: vec![item(100, 1, 20, vec![30]), item(101, 2, 2, vec![])],
            now: 0,
            ..Default::default()
        }
    }

    fn ids<T>(xs: &[T], id: impl Fn(&T) -> i64) -> Vec<i64> {
        xs.iter().map(id).collect()
    }

    #[test]
    fn a_partner_sees_its_functions_work_and_workflows_and_the_people_on_them() {
        let partner = Reader::new(Role::Partner, Some(20));
        let v = partner.view(&model());
        assert_eq!(ids(&v.functions, |f| f.id), [1]);
        assert_eq!(ids(&v.work, |w| w.id), [100]);
        // It has no role in workflow 1 but works in it, so it reads that SOP; not workflow 2.
        assert_eq!(ids(&v.workflows, |w| w.id), [1]);
        // Itself, its function's business owner, workflow 1's role holders, its contributor.
        assert_eq!(ids(&v.people, |p| p.id), [1, 2, 3, 10, 20, 30]);
    }

    #[test]
    fn a_partner_sees_the_metrics_of_what_it_sees_and_their_values_only() {
        let mut m = model();
        let metric = |id, function_id, owner_id| crate::metric::Metric {
            function_id,
            owner_id,
            ..crate::metric::tests::metric(id)
        };
        m.metrics = vec![
            metric(1, Some(1), Some(10)), // measures its function
            metric(2, Some(2), Some(11)), // another function's
            metric(3, None, Some(20)),    // owned by its person
        ];
        m.measurements = [1, 2, 3]
            .into_iter()
            .map(|id| crate::metric::tests::value(id, "2026-10-01", 5.0))
            .collect();
        let v = Reader::new(Role::Partner, Some(20)).view(&m);
        assert_eq!(ids(&v.metrics, |x| x.id), [1, 3]);
        assert_eq!(ids(&v.measurements, |x| x.metric_id), [1, 3]);
        let v = Reader::new(Role::Viewer, Some(20)).view(&m);
        assert_eq!(v.metrics.len(), 3);
    }

    #[test]
    fn a_partner_with_no_linked_person_sees_nothing_and_everyone_else_sees_all() {
        let unlinked = Reader::new(Role::Partner, None);
        let v = unlinked.view(&model());
        assert!(v.people.is_empty() && v.functions.is_empty());
        assert!(v.workflows.is_empty() && v.work.is_empty());
        for role in [Role::Viewer, Role::Member, Role::Admin, Role::Owner] {
            let v = Reader::new(role, Some(20)).view(&model());
            assert_eq!(v.people.len(), 8);
            assert_eq!(v.work.len(), 2);
            assert_eq!(v.workflows.len(), 2);
        }
    }
}

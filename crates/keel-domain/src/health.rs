//! Health checks: the operating model read like a linter. Each rule has a stable id, a
//! severity, and for every object it flags the evidence and a suggested action.
//!
//! Later capabilities add their rules to `RULES`; every rule is a pure function of `Model`.

use crate::capacity::{self, Commitment, PersonLoad};
use crate::channel::Channel;
use crate::metric::{Measurement, Metric};
use crate::offer::Offer;
use crate::work::WorkItem;
use crate::workflow::Workflow;
use crate::{Date, Function, Objective, Person, Priority, Sourcing, Zone};
use serde::Serialize;

mod decision_rules;
pub mod lead_rules;
mod metric_rules;
pub mod review_rules;
mod stack_rules;
mod strategy_rules;
mod work_rules;
mod workflow_rules;

/// An active workflow with no new work for this many days is reported as idle.
pub const IDLE_AFTER_DAYS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The object a finding is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subject {
    pub kind: &'static str,
    pub id: i64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub subject: Subject,
    pub evidence: String,
    pub action: String,
}

/// Everything the rules read: one workspace's operating model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub people: Vec<Person>,
    pub functions: Vec<Function>,
    pub workflows: Vec<Workflow>,
    /// Work items; rules about work look at open ones and recent history.
    pub work: Vec<WorkItem>,
    /// "Waits for" between work items: (item, the item it waits for).
    pub deps: Vec<(i64, i64)>,
    /// Every saved version of the workflows' owners, for the review triggers.
    pub sop_versions: Vec<review_rules::SopVersion>,
    /// Blocks recorded on work in the last weeks (`review_rules::RECURRING_BLOCK_DAYS`).
    pub blocks: Vec<review_rules::BlockEvent>,
    /// Objectives and priorities (the strategy the team works to).
    pub objectives: Vec<Objective>,
    pub priorities: Vec<Priority>,
    /// Channels, and how many may be active at once (`None`: the default).
    pub channels: Vec<Channel>,
    pub channel_focus_limit: Option<usize>,
    /// Metrics, and their measurements sorted by (metric, period) so
    /// `metric::measurements_of` finds one metric's values without a scan.
    pub metrics: Vec<Metric>,
    pub measurements: Vec<Measurement>,
    /// Offers and the channels that carry them.
    pub offers: Vec<Offer>,
    /// Recurring commitments of the people (meetings, deciding, managing, other).
    pub commitments: Vec<Commitment>,
    /// The strategy stack: layers, segments, personas, the message map, programs.
    pub stack: crate::stack::Stack,
    /// The moment the rules judge at (unix seconds), so "overdue" and "blocked for long"
    /// stay pure and testable.
    pub now: i64,
    /// The workspace's time zone: "today" and the day anything happened on are its.
    pub zone: Zone,
    /// What lead rollups say (empty for a role that does not see leads).
    pub leads: lead_rules::LeadFacts,
    /// Review cadences, reviews and decisions (empty for a partner: reviews weigh the whole
    /// team's evidence and are the company's).
    pub review_cadences: Vec<crate::review::Cadence>,
    pub reviews: Vec<crate::review::Review>,
    pub decisions: Vec<crate::review::Decision>,
    /// Each work item's links to an objective, priority, channel and offer (`fit.rs`).
    pub work_links: Vec<crate::fit::WorkLink>,
    /// The share of untraced work (percent of hours) the workspace accepts (`None`: the
    /// default).
    pub untraced_limit: Option<u32>,
    /// The version of that setting (0: never set), for the form and API that change it.
    pub untraced_limit_version: i64,
    /// Positions in `work` by id, built on first use by `work_item` (an agenda names hundreds
    /// of items of a workspace with tens of thousands).
    pub work_positions: std::sync::OnceLock<std::collections::HashMap<i64, usize>>,
    /// Everyone's load, computed on first use by `team_loads` (a page asks the team's free
    /// hours for every priority and objective it shows).
    pub loads_memo: Memo<Vec<PersonLoad>>,
    /// The health check's findings, computed on first use by `findings`.
    pub findings_memo: Memo<Vec<Finding>>,
}

/// A figure computed from a model on first use and kept with it. A copy of the model starts
/// without it (a reader's view or an edited copy computes its own); a model is not changed in
/// place once shared, so the kept figure stays true.
pub struct Memo<T>(std::sync::OnceLock<T>);

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo(std::sync::OnceLock::new())
    }
}

impl<T> Memo<T> {
    pub fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(f)
    }
}

impl<T> Clone for Memo<T> {
    fn clone(&self) -> Self {
        Memo::default()
    }
}

impl<T> std::fmt::Debug for Memo<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Memo(kept)"
        } else {
            "Memo(empty)"
        })
    }
}

impl Model {
    /// The work item with this id, if the model holds it. The index is built once; should
    /// `work` change after that, a position that no longer holds the id falls back to a scan.
    pub fn work_item(&self, id: i64) -> Option<&WorkItem> {
        let at = self.work_positions.get_or_init(|| {
            self.work
                .iter()
                .enumerate()
                .map(|(i, w)| (w.id, i))
                .collect()
        });
        match at.get(&id).and_then(|&i| self.work.get(i)) {
            Some(w) if w.id == id => Some(w),
            _ => self.work.iter().find(|w| w.id == id),
        }
    }
}

impl Model {
    /// The day the rules judge at.
    pub fn today(&self) -> Date {
        self.day_of(self.now)
    }

    /// The day a moment falls on, in the workspace's time zone.
    pub fn day_of(&self, unix: i64) -> Date {
        self.zone.date_of(unix)
    }

    /// Everyone's load, in the order of `people`: the one capacity model.
    pub fn loads(&self) -> Vec<PersonLoad> {
        capacity::team(
            &self.people,
            &self.functions,
            &self.commitments,
            &self.work,
            self.today(),
            &self.zone,
        )
    }

    /// Everyone's load as `loads` computes it, kept with the model after the first call.
    pub fn team_loads(&self) -> &[PersonLoad] {
        self.loads_memo.get_or_init(|| self.loads())
    }

    /// The health check's findings (`check`), kept with the model after the first call.
    pub fn findings(&self) -> &[Finding] {
        self.findings_memo.get_or_init(|| check(self))
    }

    /// One person's load.
    pub fn load_of(&self, person: &Person) -> PersonLoad {
        capacity::person_load(
            person,
            &self.functions,
            &self.commitments,
            &self.work,
            self.today(),
            &self.zone,
        )
    }

    fn person(&self, id: Option<i64>) -> Option<&Person> {
        id.and_then(|id| self.people.iter().find(|p| p.id == id))
    }
}

pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub check: fn(&Model, &Rule) -> Vec<Finding>,
}

impl Rule {
    fn finding(&self, subject: Subject, evidence: String, action: &str) -> Finding {
        Finding {
            rule: self.id,
            severity: self.severity,
            subject,
            evidence,
            action: action.to_string(),
        }
    }
}

fn function_subject(f: &Function) -> Subject {
    Subject {
        kind: "function",
        id: f.id,
        label: f.name.clone(),
    }
}

fn person_subject(p: &Person) -> Subject {
    Subject {
        kind: "person",
        id: p.id,
        label: p.display(),
    }
}

fn no_business_owner(m: &Model, r: &Rule) -> Vec<Finding> {
    m.functions
        .iter()
        .filter(|f| m.person(f.business_owner_id).is_none())
        .map(|f| {
            r.finding(
                function_subject(f),
                format!("Nobody is accountable for decisions in {}.", f.name),
                "Name one internal person as business owner.",
            )
        })
        .collect()
}

fn external_business_owner(m: &Model, r: &Rule) -> Vec<Finding> {
    m.functions
        .iter()
        .filter_map(|f| {
            let p = m.person(f.business_owner_id).filter(|p| p.is_external())?;
            Some(r.finding(
                function_subject(f),
                format!("{} decides for {}, but is external.", p.display(), f.name),
                "Move the business ownership to an internal person; the partner can stay execution owner.",
            ))
        })
        .collect()
}

fn no_execution_owner(m: &Model, r: &Rule) -> Vec<Finding> {
    m.functions
        .iter()
        .filter(|f| m.person(f.execution_owner_id).is_none())
        .map(|f| {
            r.finding(
                function_subject(f),
                format!("Nobody is named to do the work of {}.", f.name),
                "Name an execution owner, internal or external.",
            )
        })
        .collect()
}

fn sourcing_mismatch(m: &Model, r: &Rule) -> Vec<Finding> {
    m.functions
        .iter()
        .filter_map(|f| {
            let p = m.person(f.execution_owner_id)?;
            let clash = match f.sourcing {
                Sourcing::Internal => p.is_external(),
                Sourcing::External => !p.is_external(),
                Sourcing::Hybrid => false,
            };
            clash.then(|| {
                r.finding(
                    function_subject(f),
                    format!(
                        "{} is sourced {}, but {} ({}) executes it.",
                        f.name,
                        f.sourcing.as_str(),
                        p.display(),
                        if p.is_external() { "external" } else { "internal" }
                    ),
                    "Change the sourcing to what really happens, or hand execution to the right person.",
                )
            })
        })
        .collect()
}

fn over_capacity(m: &Model, r: &Rule) -> Vec<Finding> {
    m.people
        .iter()
        .zip(m.loads())
        .filter(|(_, l)| l.over_capacity())
        .map(|(p, l)| {
            let week = l.weeks[0];
            let mut evidence = format!(
                "{} carries {} h this week against a capacity of {} h: {} h of recurring commitments and {} h of one-off work.",
                p.display(),
                week.total,
                p.weekly_capacity,
                week.recurring,
                week.one_off
            );
            let over = l.weeks_over();
            if over > 1 {
                evidence.push_str(&format!(
                    " Over capacity in {over} of the {} weeks from this one.",
                    capacity::WEEKS_SHOWN
                ));
            }
            r.finding(
                person_subject(p),
                evidence,
                "Move a function, a commitment or work to someone with free capacity, or pause work.",
            )
        })
        .collect()
}

/// Every rule keel knows, in the order findings are listed.
pub const RULES: &[Rule] = &[
    Rule {
        id: "function.no-business-owner",
        severity: Severity::Error,
        title: "A function has no business owner",
        check: no_business_owner,
    },
    Rule {
        id: "function.external-business-owner",
        severity: Severity::Error,
        title: "A function's business owner is external",
        check: external_business_owner,
    },
    Rule {
        id: "function.no-execution-owner",
        severity: Severity::Warning,
        title: "A function has no execution owner",
        check: no_execution_owner,
    },
    Rule {
        id: "function.sourcing-mismatch",
        severity: Severity::Warning,
        title: "A function's sourcing does not match who executes it",
        check: sourcing_mismatch,
    },
    Rule {
        id: "person.over-capacity",
        severity: Severity::Warning,
        title: "A person is loaded beyond their weekly capacity",
        check: over_capacity,
    },
    Rule {
        id: "workflow.decision-owner-count",
        severity: Severity::Error,
        title: "A workflow has no decision owner, or several",
        check: workflow_rules::decision_owner_count,
    },
    Rule {
        id: "workflow.external-decision-owner",
        severity: Severity::Error,
        title: "A workflow's decision owner is external",
        check: workflow_rules::external_decision_owner,
    },
    Rule {
        id: "workflow.too-many-approvers",
        severity: Severity::Warning,
        title: "A workflow has more approvers than its process level needs",
        check: workflow_rules::too_many_approvers,
    },
    Rule {
        id: "workflow.review-overdue",
        severity: Severity::Warning,
        title: "An SOP in use is past its review date",
        check: workflow_rules::review_overdue,
    },
    Rule {
        id: "workflow.review-due-soon",
        severity: Severity::Info,
        title: "An SOP in use is due for review within two weeks",
        check: review_rules::review_due_soon,
    },
    Rule {
        id: "workflow.no-next-review",
        severity: Severity::Warning,
        title: "An SOP in use has no next review date",
        check: review_rules::no_next_review,
    },
    Rule {
        id: "workflow.owner-changed",
        severity: Severity::Warning,
        title: "An SOP's decision or execution owner left or changed since its last review",
        check: review_rules::owner_changed,
    },
    Rule {
        id: "workflow.partner-added",
        severity: Severity::Warning,
        title: "A partner joined a workflow since its SOP was last reviewed",
        check: review_rules::partner_added,
    },
    Rule {
        id: "workflow.recurring-blocker",
        severity: Severity::Warning,
        title: "A workflow's work was blocked three times or more in eight weeks",
        check: review_rules::recurring_blocker,
    },
    Rule {
        id: "workflow.reporting-changed",
        severity: Severity::Warning,
        title: "A metric a workflow feeds changed what it counts since its SOP was last reviewed",
        check: review_rules::reporting_changed,
    },
    Rule {
        id: "workflow.incomplete-for-level",
        severity: Severity::Warning,
        title: "An SOP in use is incomplete for its process level",
        check: workflow_rules::incomplete_for_level,
    },
    Rule {
        id: "workflow.idle",
        severity: Severity::Info,
        title: "An active workflow has had no work lately",
        check: workflow_rules::idle,
    },
    Rule {
        id: "work.no-owner",
        severity: Severity::Error,
        title: "Open work has nobody running it",
        check: work_rules::no_owner,
    },
    Rule {
        id: "work.blocked-too-long",
        severity: Severity::Warning,
        title: "Work has been blocked longer than its workflow allows",
        check: work_rules::blocked_too_long,
    },
    Rule {
        id: "work.waits-on-blocked",
        severity: Severity::Warning,
        title: "Open work waits for work that is blocked",
        check: work_rules::waits_on_blocked,
    },
    Rule {
        id: "objective.not-smart",
        severity: Severity::Warning,
        title: "An objective fails the SMART check",
        check: strategy_rules::not_smart,
    },
    Rule {
        id: "priority.paused-nothing",
        severity: Severity::Warning,
        title: "A \"now\" priority paused nothing while capacity is exceeded",
        check: strategy_rules::paused_nothing,
    },
    Rule {
        id: "priority.too-many-now",
        severity: Severity::Warning,
        title: "More \"now\" priorities than a team can focus on",
        check: strategy_rules::too_many_now,
    },
    Rule {
        id: "strategy.untraced-work",
        severity: Severity::Warning,
        title: "Too much work is traced to no objective or priority",
        check: strategy_rules::untraced_work,
    },
    Rule {
        id: "channel.over-focus-limit",
        severity: Severity::Warning,
        title: "More channels are active than the workspace's focus limit",
        check: strategy_rules::over_focus_limit,
    },
    Rule {
        id: "strategy.layer-review-overdue",
        severity: Severity::Warning,
        title: "A strategy layer is past its planning cycle",
        check: stack_rules::layer_review_overdue,
    },
    Rule {
        id: "strategy.message-map-gaps",
        severity: Severity::Warning,
        title: "A primary persona's message map has empty cells",
        check: stack_rules::message_map_gaps,
    },
    Rule {
        id: "metric.no-owner-or-source",
        severity: Severity::Warning,
        title: "A metric has no owner or no source",
        check: metric_rules::no_owner_or_source,
    },
    Rule {
        id: "metric.not-measured",
        severity: Severity::Warning,
        title: "A metric has no value for a period that has ended",
        check: metric_rules::not_measured,
    },
    Rule {
        id: "objective.kpi-off-track",
        severity: Severity::Warning,
        title: "An objective's KPI is off target and its trend misses the target",
        check: metric_rules::kpi_off_track,
    },
    Rule {
        id: "function.only-activity-metrics",
        severity: Severity::Info,
        title: "A function measures only activity, no outcome",
        check: metric_rules::only_activity,
    },
    Rule {
        id: "leads.completeness-below-bar",
        severity: Severity::Warning,
        title: "A CRM field is filled on too few leads",
        check: lead_rules::completeness_below_bar,
    },
    Rule {
        id: "leads.poor-fit-pair",
        severity: Severity::Warning,
        title: "A source × offer pair brings poor-fit leads",
        check: lead_rules::poor_fit_pair,
    },
    Rule {
        id: "leads.spend-without-leads",
        severity: Severity::Warning,
        title: "A channel has spend and no leads in the month",
        check: lead_rules::spend_without_leads,
    },
    Rule {
        id: "leads.feedback-pending",
        severity: Severity::Warning,
        title: "Leads wait too long for sales feedback",
        check: lead_rules::feedback_pending_too_long,
    },
    Rule {
        id: "review.no-outcome",
        severity: Severity::Warning,
        title: "A review was held and recorded no outcome",
        check: decision_rules::no_outcome,
    },
    Rule {
        id: "review.cadence-overdue",
        severity: Severity::Warning,
        title: "A review cadence is overdue",
        check: decision_rules::cadence_overdue,
    },
    Rule {
        id: "decision.past-due",
        severity: Severity::Warning,
        title: "An open decision is past its due date",
        check: decision_rules::past_due,
    },
    Rule {
        id: "review.idle-cadence",
        severity: Severity::Info,
        title: "A review routine produced no decision in its last meetings",
        check: decision_rules::idle_cadence,
    },
    Rule {
        id: "metric.no-decision",
        severity: Severity::Info,
        title: "No decision referred to a metric in its last cycles",
        check: decision_rules::unused_metric,
    },
];

/// Runs every rule; findings come most severe first, then in rule order.
pub fn check(model: &Model) -> Vec<Finding> {
    let mut out: Vec<Finding> = RULES.iter().flat_map(|r| (r.check)(model, r)).collect();
    out.sort_by_key(|f| f.severity);
    out
}

/// Counts of findings per severity: (errors, warnings, infos).
pub fn summary(findings: &[Finding]) -> (usize, usize, usize) {
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    (n(Severity::Error), n(Severity::Warning), n(Severity::Info))
}

pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

#[cfg(test)]
mod decision_tests;
#[cfg(test)]
mod lead_tests;
#[cfg(test)]
mod metric_tests;
#[cfg(test)]
mod review_tests;
#[cfg(test)]
mod stack_tests;
#[cfg(test)]
mod strategy_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod workflow_tests;

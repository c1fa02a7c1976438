//! The workspace's home: cards that later capabilities add to (now team, ownership, health).

use super::layout::{render, Chrome};
use super::people::NoticeQuery;
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::routes::Routes;
use crate::{model, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use keel_domain::capacity;
use keel_domain::health::{self, Finding};

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}", page)
}

pub struct TeamCard {
    pub people: usize,
    pub external: usize,
    pub capacity: f64,
    /// Load this week.
    pub hours: f64,
    pub over_capacity: usize,
}

pub struct OwnershipCard {
    pub functions: usize,
    pub with_business_owner: usize,
    pub with_execution_owner: usize,
}

/// A work item line on a card.
pub struct WorkLine {
    pub id: i64,
    pub title: String,
    pub note: String,
}

/// Work waiting for the reader's approval, with what the one-click approval sends.
pub struct ApprovalLine {
    pub id: i64,
    pub title: String,
    /// Workflow · stage.
    pub at: String,
    pub version: i64,
}

/// A "now" priority on Home: id, title, and the title of what it paused.
pub struct NowLine {
    pub id: i64,
    pub title: String,
    pub paused: Option<String>,
}

/// A key metric on Home: an objective's KPI, or a metric off target.
pub struct MetricLine {
    pub id: i64,
    pub name: String,
    pub latest: Option<String>,
    pub off_target: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Page {
    /// The first steps while the workspace is setting up (empty afterwards).
    steps: Vec<keel_domain::setup::Step>,
    /// Findings that are open first steps, counted apart from the health card's.
    setup_findings: usize,
    approvals: Vec<ApprovalLine>,
    now: Vec<NowLine>,
    key_metrics: Vec<MetricLine>,
    objectives: usize,
    not_smart: usize,
    /// (id, outcome, why), the first few objectives at risk.
    at_risk: Vec<(i64, String, String)>,
    blocked: Vec<WorkLine>,
    launches: Vec<WorkLine>,
    overdue: Vec<WorkLine>,
    /// People over capacity this week (id is the person's).
    overloaded: Vec<WorkLine>,
    /// Open decisions past their due date (id is the decision's); they return in the next
    /// weekly review.
    decisions_due: Vec<WorkLine>,
    chrome: Chrome,
    team: TeamCard,
    owners: OwnershipCard,
    errors: usize,
    warnings: usize,
    top: Vec<Finding>,
}

impl Page {
    /// The first open step: its button is the page's one primary action.
    fn is_next(&self, key: &str) -> bool {
        self.steps
            .iter()
            .find(|s| !s.done)
            .is_some_and(|s| s.key == key)
    }
}

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let reader = ctx.reader();
    let m = model::load(&state, ctx.ws.id, ctx.ws.data_version, &reader).await?;
    let loads = model::loads(&state, ctx.ws.id, ctx.ws.data_version).await?;
    let (totals, _) = capacity::totals(&loads.for_people(&m.people));
    let team = TeamCard {
        people: m.people.len(),
        external: m.people.iter().filter(|p| p.is_external()).count(),
        capacity: totals.capacity,
        hours: totals.hours,
        over_capacity: totals.over_capacity,
    };
    let has = |id: Option<i64>| id.is_some_and(|id| m.people.iter().any(|p| p.id == id));
    let owners = OwnershipCard {
        functions: m.functions.len(),
        with_business_owner: m
            .functions
            .iter()
            .filter(|f| has(f.business_owner_id))
            .count(),
        with_execution_owner: m
            .functions
            .iter()
            .filter(|f| has(f.execution_owner_id))
            .count(),
    };
    let steps = keel_domain::setup::first_steps(&m);
    let (setup, findings) = keel_domain::setup::split(&m, &steps, model::findings(&m));
    let setup_findings = setup.len();
    let steps = if keel_domain::setup::setting_up(&m, &steps) {
        steps
    } else {
        vec![]
    };
    let (errors, warnings, _) = health::summary(&findings);
    let top = findings.into_iter().take(3).collect();
    let today = m.today();
    let mut past_due: Vec<_> = m
        .decisions
        .iter()
        .filter(|d| d.is_past_due(today))
        .collect();
    past_due.sort_by_key(|d| (d.due, d.id));
    let decisions_due = past_due
        .into_iter()
        .take(5)
        .map(|d| WorkLine {
            id: d.id,
            title: d.what.clone(),
            note: format!("due {}", d.due.map(|x| x.day_month()).unwrap_or_default()),
        })
        .collect();
    let week = keel_domain::work::digest::digest(&m.work, today);
    let visible = loads.for_people(&m.people);
    let overloaded = keel_domain::work::digest::overloaded(&visible)
        .into_iter()
        .take(5)
        .filter_map(|l| {
            let p = m.people.iter().find(|p| p.id == l.person_id)?;
            Some(WorkLine {
                id: p.id,
                title: p.display(),
                note: format!("{} h of {} h", l.hours(), l.capacity),
            })
        })
        .collect();
    // What waits for my decision: the week's digest names it with one-click approvals.
    let approvals = ctx
        .person_id
        .map(|me| keel_domain::work::digest::awaiting(&m.work, &m.workflows, me))
        .unwrap_or_default()
        .into_iter()
        .map(|i| {
            let wf = m.workflows.iter().find(|w| w.id == i.workflow_id);
            let stage = wf
                .and_then(|w| w.spec.stages.get(i.stage))
                .map(|s| s.name.as_str())
                .unwrap_or_default();
            ApprovalLine {
                id: i.id,
                title: i.title.clone(),
                at: format!(
                    "{} · {stage}",
                    wf.map(|w| w.spec.name.as_str()).unwrap_or_default()
                ),
                version: i.version,
            }
        })
        .collect();
    let line = |i: &&keel_domain::work::WorkItem, note: String| WorkLine {
        id: i.id,
        title: i.title.clone(),
        note,
    };
    let blocked = week
        .blocked
        .iter()
        .take(5)
        .map(|i| line(i, i.blocked_reason.clone().unwrap_or_default()))
        .collect();
    let launches = week
        .launches
        .iter()
        .take(5)
        .map(|i| {
            line(
                i,
                i.actual_launch
                    .or(i.planned_launch)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let overdue = week
        .overdue
        .iter()
        .take(5)
        .map(|i| {
            line(
                i,
                i.planned_launch
                    .map(|d| format!("planned {d}"))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let now = m
        .priorities
        .iter()
        .filter(|p| p.status == keel_domain::priority::Status::Now)
        .map(|p| NowLine {
            id: p.id,
            title: p.title.clone(),
            paused: p
                .paused_id
                .and_then(|id| m.priorities.iter().find(|x| x.id == id))
                .map(|x| x.title.clone()),
        })
        .collect();
    let not_smart = m
        .objectives
        .iter()
        .filter(|o| !keel_domain::objective::is_smart(&keel_domain::objective::smart(o, &m)))
        .count();
    let at_risk = m
        .objectives
        .iter()
        .filter_map(|o| {
            keel_domain::objective::at_risk(o, &m).map(|why| (o.id, o.outcome.clone(), why))
        })
        .take(5)
        .collect();
    // Objectives' KPIs first, then the other metrics that are off target.
    let mut key_metrics: Vec<(bool, MetricLine)> = m
        .metrics
        .iter()
        .filter_map(|x| {
            let s = crate::ops::metrics::summary(x, &m);
            let off = s.off_target == Some(true);
            let kpi = x.objective_id.is_some();
            (kpi || off).then(|| {
                (
                    !kpi,
                    MetricLine {
                        id: x.id,
                        name: x.name.clone(),
                        latest: s
                            .latest
                            .map(|l| keel_domain::metric::with_unit(l.value, x.unit.as_deref())),
                        off_target: off,
                    },
                )
            })
        })
        .collect();
    key_metrics.sort_by_key(|(other, _)| *other);
    let key_metrics = key_metrics.into_iter().take(6).map(|(_, l)| l).collect();
    let title = ctx.ws.name.clone();
    render(&Page {
        steps,
        setup_findings,
        approvals,
        now,
        key_metrics,
        objectives: m.objectives.len(),
        not_smart,
        at_risk,
        blocked,
        launches,
        overdue,
        overloaded,
        decisions_due,
        chrome: ctx.chrome(title, "home").with_notice(q.notice.as_deref()),
        team,
        owners,
        errors,
        warnings,
        top,
    })
}

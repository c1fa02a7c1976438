//! Rules about metrics: owned and sourced, measured on their cadence, objectives whose KPI
//! will miss, and functions that count only activity.

use super::{function_subject, Finding, Model, Rule, Subject};
use crate::metric::{self, trend, Metric, MetricType};

fn metric_subject(x: &Metric) -> Subject {
    Subject {
        kind: "metric",
        id: x.id,
        label: x.name.clone(),
    }
}

pub(super) fn no_owner_or_source(m: &Model, r: &Rule) -> Vec<Finding> {
    m.metrics
        .iter()
        .filter_map(|x| {
            let owner = m.person(x.owner_id).is_some();
            let missing = match (owner, x.source.is_some()) {
                (true, true) => return None,
                (false, false) => "no owner and no source",
                (false, true) => "no owner",
                (true, false) => "no source",
            };
            Some(r.finding(
                metric_subject(x),
                format!(
                    "{} has {missing}: nobody answers for its numbers, or nobody can say where they come from.",
                    x.name
                ),
                "Name one internal owner and the system the numbers come from, or drop the metric if nobody decides from it.",
            ))
        })
        .collect()
}

pub(super) fn not_measured(m: &Model, r: &Rule) -> Vec<Finding> {
    let today = m.today();
    m.metrics
        .iter()
        .filter_map(|x| {
            let ms = metric::measurements_of(m, x.id);
            let due = trend::missing_period(x, ms, today)?;
            let last = match trend::latest(ms) {
                Some(l) => format!("the latest is for {}", l.period),
                None => "it has none yet".into(),
            };
            Some(r.finding(
                metric_subject(x),
                format!(
                    "{} is measured {}, but has no value for the {} starting {due}; {last}.",
                    x.name,
                    x.cadence.as_str(),
                    x.cadence.period_word(),
                ),
                "Enter the missing value, change the cadence to how often it is really read, or drop it.",
            ))
        })
        .collect()
}

pub(super) fn kpi_off_track(m: &Model, r: &Rule) -> Vec<Finding> {
    m.objectives
        .iter()
        .filter_map(|o| {
            let evidence = crate::objective::at_risk(o, m)?;
            Some(r.finding(
                Subject {
                    kind: "objective",
                    id: o.id,
                    label: o.outcome.clone(),
                },
                evidence,
                "Take it to the next review: change what feeds the KPI, move the deadline, or reset the target on purpose.",
            ))
        })
        .collect()
}

pub(super) fn only_activity(m: &Model, r: &Rule) -> Vec<Finding> {
    metric::coverage(m)
        .into_iter()
        .filter(|c| c.metrics > 0 && c.outcome == 0)
        .filter_map(|c| {
            let f = m.functions.iter().find(|f| f.id == c.function_id)?;
            let activity = m
                .metrics
                .iter()
                .filter(|x| x.function_id == Some(f.id) && x.metric_type == MetricType::Activity)
                .count();
            Some(r.finding(
                function_subject(f),
                format!(
                    "{} has {activity} metric{} and all count activity; none shows a result the business feels.",
                    f.name,
                    if activity == 1 { "" } else { "s" }
                ),
                "Add an outcome metric (pipeline, accepted leads, revenue, cost per result) for the function.",
            ))
        })
        .collect()
}

//! The demo's metrics, with the last twelve months of values: the pipeline objective's KPI
//! growing on course, the speed objective's KPI stuck far from its target (so the SMART check
//! and the health check say so), cost per lead falling on paid search, a content function that
//! counts only activity, and a brand metric nobody owns or sources.

use anyhow::{anyhow, Result};
use keel_domain::metric::{
    Cadence, Computed, Direction, Family, Kind, MeasurementDraft, MetricDraft, MetricType, Signal,
};
use keel_domain::{Date, Person};
use keel_store::Store;
use keel_store::WorkspaceId;

pub struct DemoMetric {
    pub name: &'static str,
    pub definition: &'static str,
    pub owner: Option<&'static str>,
    pub source: Option<&'static str>,
    pub unit: &'static str,
    pub cadence: Cadence,
    pub direction: Direction,
    pub target: f64,
    pub metric_type: MetricType,
    pub kind: Kind,
    pub function: Option<&'static str>,
    /// The start of the outcome of the objective this metric is the KPI of.
    pub objective: Option<&'static str>,
    pub channel: Option<&'static str>,
    /// Oldest first, ending with the last whole period.
    pub values: &'static [f64],
}

pub const METRICS: &[DemoMetric] = &[
    DemoMetric {
        name: "Sales-accepted leads",
        definition: "Leads whose lifecycle stage became 'SAL' in the month (HubSpot stage history), mid-market manufacturing only; test and partner-sourced leads excluded.",
        owner: Some("lead"),
        source: Some("HubSpot"),
        unit: "leads",
        cadence: Cadence::Monthly,
        direction: Direction::Higher,
        target: 85.0,
        metric_type: MetricType::Outcome,
        kind: Kind::Contribution,
        function: Some("Acquisition"),
        objective: Some("Double sales-accepted leads"),
        channel: None,
        values: &[38.0, 41.0, 40.0, 46.0, 49.0, 52.0, 55.0, 54.0, 60.0, 63.0, 67.0, 70.0],
    },
    DemoMetric {
        name: "Hours from demo request to first call",
        definition: "Median hours between the demo form submission and the first logged sales call, per month of submission; weekends count.",
        owner: Some("sales"),
        source: Some("HubSpot meetings"),
        unit: "h",
        cadence: Cadence::Monthly,
        direction: Direction::Lower,
        target: 24.0,
        metric_type: MetricType::Outcome,
        kind: Kind::Speed,
        function: Some("Sales enablement"),
        objective: Some("Cut the time from a demo request"),
        channel: None,
        values: &[55.0, 52.0, 54.0, 51.0, 53.0, 50.0, 52.0, 49.0, 51.0, 50.0, 52.0, 49.0],
    },
    DemoMetric {
        name: "Cost per sales-accepted lead (paid search)",
        definition: "Google Ads spend in the month divided by the sales-accepted leads whose original source is paid search, same month.",
        owner: Some("lead"),
        source: Some("Google Ads and HubSpot"),
        unit: "EUR",
        cadence: Cadence::Monthly,
        direction: Direction::Lower,
        target: 250.0,
        metric_type: MetricType::Outcome,
        kind: Kind::Cost,
        function: Some("Acquisition"),
        objective: None,
        channel: Some("Paid search"),
        values: &[
            340.0, 332.0, 318.0, 325.0, 301.0, 296.0, 288.0, 279.0, 284.0, 266.0, 259.0, 262.0,
        ],
    },
    DemoMetric {
        name: "Webinar attendees",
        definition: "Unique people who attended at least ten minutes live, across the month's webinars; staff excluded.",
        owner: Some("lead"),
        source: Some("Zoom webinar reports"),
        unit: "people",
        cadence: Cadence::Monthly,
        direction: Direction::Higher,
        target: 120.0,
        metric_type: MetricType::Activity,
        kind: Kind::Contribution,
        function: Some("Content"),
        objective: None,
        channel: Some("Webinars"),
        values: &[
            64.0, 0.0, 88.0, 95.0, 71.0, 102.0, 0.0, 58.0, 110.0, 97.0, 124.0, 105.0,
        ],
    },
    DemoMetric {
        name: "Articles published",
        definition: "Blog articles and guides that went live in the month (CMS publish date), updates of old pieces not counted.",
        owner: Some("generalist"),
        source: Some("Website CMS"),
        unit: "articles",
        cadence: Cadence::Monthly,
        direction: Direction::Higher,
        target: 6.0,
        metric_type: MetricType::Activity,
        kind: Kind::Speed,
        function: Some("Content"),
        objective: None,
        channel: None,
        values: &[4.0, 5.0, 3.0, 6.0, 5.0, 4.0, 2.0, 5.0, 6.0, 7.0, 5.0, 6.0],
    },
    DemoMetric {
        name: "Nurture email click rate",
        definition: "Unique clicks divided by delivered emails of the nurture sequences sent in the month; one-off newsletters excluded.",
        owner: Some("generalist"),
        source: Some("HubSpot email"),
        unit: "%",
        cadence: Cadence::Monthly,
        direction: Direction::Higher,
        target: 3.5,
        metric_type: MetricType::Activity,
        kind: Kind::Quality,
        function: Some("Conversion"),
        objective: None,
        channel: Some("Email nurture"),
        values: &[2.9, 3.1, 2.8, 3.0, 3.3, 3.2, 2.7, 3.4, 3.6, 3.1, 3.5, 3.8],
    },
    DemoMetric {
        name: "Share of voice",
        definition: "Mentions of the brand against three named competitors in trade media and LinkedIn.",
        owner: None,
        source: None,
        unit: "%",
        cadence: Cadence::Quarterly,
        direction: Direction::Higher,
        target: 25.0,
        metric_type: MetricType::Outcome,
        kind: Kind::Contribution,
        function: None,
        objective: None,
        channel: None,
        values: &[14.0, 17.0],
    },
];

/// Metrics keel computes from the demo's own work, channels, reviews and decisions: what
/// keel counts, with a target the team set.
/// (name, what keel computes, cadence, which way is better, target, owner's key)
type ComputedDemo = (
    &'static str,
    Computed,
    Cadence,
    Direction,
    f64,
    Option<&'static str>,
);

pub const COMPUTED: &[ComputedDemo] = &[
    (
        "Cycle time",
        Computed::CycleTime,
        Cadence::Monthly,
        Direction::Lower,
        14.0,
        Some("generalist"),
    ),
    (
        "On-time launches",
        Computed::OnTimeRate,
        Cadence::Monthly,
        Direction::Higher,
        80.0,
        Some("generalist"),
    ),
    (
        "Work traced to strategy",
        Computed::StrategicFit,
        Cadence::Monthly,
        Direction::Higher,
        70.0,
        Some("lead"),
    ),
    (
        "Active channels",
        Computed::ChannelFocus,
        Cadence::Monthly,
        Direction::Lower,
        3.0,
        Some("lead"),
    ),
    (
        "Review rating",
        Computed::ReviewRating,
        Cadence::Monthly,
        Direction::Higher,
        7.5,
        Some("lead"),
    ),
    (
        "Decision follow-through",
        Computed::FollowThrough,
        Cadence::Monthly,
        Direction::Higher,
        80.0,
        Some("lead"),
    ),
    (
        "Lead acceptance rate",
        Computed::LeadAcceptance,
        Cadence::Monthly,
        Direction::Higher,
        55.0,
        Some("lead"),
    ),
    (
        "CRM completeness",
        Computed::CrmCompleteness,
        Cadence::Monthly,
        Direction::Higher,
        90.0,
        Some("lead"),
    ),
    (
        "Pipeline contribution",
        Computed::PipelineContribution,
        Cadence::Quarterly,
        Direction::Higher,
        80.0,
        Some("lead"),
    ),
];

fn person(team: &[(&'static str, Person)], key: &str) -> Result<i64> {
    team.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, p)| p.id)
        .ok_or_else(|| anyhow!("the demo team has no {key}"))
}

/// The periods of `n` values of `cadence` ending with the last whole one before `today`.
pub fn periods(cadence: Cadence, n: usize, today: Date) -> Vec<Date> {
    let last = cadence.step(cadence.period_start(today), -1);
    (0..n)
        .map(|i| cadence.step(last, i as i64 - n as i64 + 1))
        .collect()
}

pub async fn seed(
    store: &Store,
    ws: WorkspaceId,
    team: &[(&'static str, Person)],
    today: Date,
) -> Result<usize> {
    let model = store.model(ws).await?;
    let mut values = 0;
    for d in METRICS {
        let function_id = match d.function {
            Some(n) => Some(
                model
                    .functions
                    .iter()
                    .find(|f| f.name == n)
                    .ok_or_else(|| anyhow!("the demo has no function {n}"))?
                    .id,
            ),
            None => None,
        };
        let objective_id = match d.objective {
            Some(n) => Some(
                model
                    .objectives
                    .iter()
                    .find(|o| o.outcome.starts_with(n))
                    .ok_or_else(|| anyhow!("the demo has no objective {n}"))?
                    .id,
            ),
            None => None,
        };
        let channel_id = match d.channel {
            Some(n) => Some(
                model
                    .channels
                    .iter()
                    .find(|c| c.name == n)
                    .ok_or_else(|| anyhow!("the demo has no channel {n}"))?
                    .id,
            ),
            None => None,
        };
        let draft = MetricDraft {
            name: d.name.into(),
            definition: Some(d.definition.into()),
            owner_id: d.owner.map(|k| person(team, k)).transpose()?,
            source: d.source.map(String::from),
            unit: Some(d.unit.into()),
            cadence: d.cadence,
            direction: d.direction,
            target: Some(d.target),
            metric_type: d.metric_type,
            kind: d.kind,
            function_id,
            objective_id,
            channel_id,
            workflow_id: None,
            computed: None,
            family: Some(if d.source == Some("HubSpot") {
                Family::LeadQuality
            } else {
                Family::Operating
            }),
            signal: Some(if d.objective.is_some() {
                Signal::Lagging
            } else {
                Signal::Leading
            }),
            layer: None,
        };
        let m = store.create_metric(ws, &draft).await?;
        let rows: Vec<MeasurementDraft> = periods(d.cadence, d.values.len(), today)
            .into_iter()
            .zip(d.values)
            .map(|(period, v)| MeasurementDraft {
                period,
                value: *v,
                // A month without a webinar is a gap in the plan, not a measurement error.
                note: (*v == 0.0).then(|| "No webinar this month.".to_string()),
            })
            .collect();
        values += store.put_measurements(ws, m.id, &rows).await?.len();
    }
    for (name, c, cadence, direction, target, owner) in COMPUTED {
        let draft = MetricDraft {
            name: (*name).into(),
            definition: Some(c.rule().into()),
            owner_id: owner.map(|k| person(team, k)).transpose()?,
            source: Some(keel_domain::metric::KEEL_SOURCE.into()),
            unit: c.unit().map(String::from),
            cadence: *cadence,
            direction: *direction,
            target: Some(*target),
            metric_type: MetricType::Outcome,
            kind: c.kind(),
            function_id: None,
            objective_id: None,
            channel_id: None,
            workflow_id: None,
            computed: Some(*c),
            family: Some(if c.reads_leads() {
                Family::LeadQuality
            } else {
                Family::Operating
            }),
            signal: Some(if *c == Computed::PipelineContribution {
                Signal::Lagging
            } else {
                Signal::Leading
            }),
            layer: Some(keel_domain::objective::Layer::Tactics),
        };
        store.create_metric(ws, &draft).await?;
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use keel_domain::metric::{trend, Measurement, Metric};

    fn as_metric(d: &DemoMetric, today: Date) -> (Metric, Vec<Measurement>) {
        let m = Metric {
            id: 1,
            name: d.name.into(),
            definition: None,
            owner_id: None,
            source: None,
            unit: None,
            cadence: d.cadence,
            direction: d.direction,
            target: Some(d.target),
            metric_type: d.metric_type,
            kind: d.kind,
            function_id: None,
            objective_id: None,
            channel_id: None,
            workflow_id: None,
            definition_changed_at: None,
            computed: None,
            family: None,
            signal: None,
            layer: None,
            version: 1,
        };
        let ms = periods(d.cadence, d.values.len(), today)
            .into_iter()
            .zip(d.values)
            .map(|(period, v)| Measurement {
                id: 0,
                metric_id: 1,
                period,
                value: *v,
                note: None,
                version: 1,
            })
            .collect();
        (m, ms)
    }

    #[test]
    fn the_demo_kpis_tell_one_story_on_course_and_one_off_track() {
        let today = Date::parse("2026-12-01").unwrap();
        assert_eq!(
            periods(Cadence::Monthly, 12, today)[..2],
            [
                Date::parse("2025-12-01").unwrap(),
                Date::parse("2026-01-01").unwrap()
            ]
        );
        let deadline = |days| today.add_days(days);
        let (sal, ms) = as_metric(&METRICS[0], today);
        // 70 now at about +2.9 a month: 85 within the 210 days of the objective.
        assert!(trend::pace(&sal, &ms, 85.0, deadline(210)).unwrap().reaches);
        let (speed, ms) = as_metric(&METRICS[1], today);
        let p = trend::pace(&speed, &ms, 24.0, deadline(120)).unwrap();
        assert!(!p.reaches && p.out_of_reach(Direction::Lower), "{p:?}");
        assert!(METRICS.iter().all(|d| !d.values.is_empty()));
    }
}

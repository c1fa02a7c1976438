//! For the strategy benchmark (`bench/strategy.sh`): 50 objectives, 200 priorities, 20
//! channels and 100 metrics with five years of weekly values, on top of the demo's own, spread
//! over the team as a large marketing department would have them. Priorities are next, later
//! or paused (a "now" one would need capacity the benchmark does not model), most channels
//! testing or paused; metrics alternate between the four kinds and both directions, a fifth
//! of them KPIs of the objectives.

use anyhow::Result;
use keel_domain::channel::{ChannelDraft, ChannelStatus, Phase};
use keel_domain::metric::{Cadence, Direction, Kind, MeasurementDraft, MetricDraft, MetricType};
use keel_domain::objective::Layer;
use keel_domain::priority::Status;
use keel_domain::{Date, ObjectiveDraft, Person, PriorityDraft};
use keel_store::{Store, WorkspaceId};

pub const OBJECTIVES: usize = 50;
pub const PRIORITIES: usize = 200;
pub const CHANNELS: usize = 20;
pub const METRICS: usize = 100;
/// Five years of weeks.
const WEEKS: usize = 260;

pub async fn seed(
    store: &Store,
    ws: WorkspaceId,
    team: &[(&'static str, Person)],
    today: Date,
) -> Result<usize> {
    let owners: Vec<i64> = team
        .iter()
        .filter(|(_, p)| !p.is_external())
        .map(|(_, p)| p.id)
        .collect();
    let owner = |n: usize| owners[n % owners.len()];
    let mut objectives = Vec::new();
    for n in 0..OBJECTIVES {
        let d = ObjectiveDraft {
            outcome: format!("Benchmark objective {n}: grow qualified pipeline in segment {n}"),
            owner_id: Some(owner(n)),
            layer: Layer::ALL[n % Layer::ALL.len()],
            metric: Some(format!("Sales-accepted leads, segment {n}")),
            baseline: Some(20.0 + n as f64),
            target: Some(40.0 + 2.0 * n as f64),
            deadline: Some(today.add_days(60 + 5 * n as i64)),
            serves: Some("FY27 revenue goal".into()),
        };
        objectives.push(store.create_objective(ws, &d).await?.id);
    }
    for n in 0..PRIORITIES {
        let d = PriorityDraft {
            title: format!("Benchmark priority {n}"),
            objective_id: Some(objectives[n % objectives.len()]),
            owner_id: Some(owner(n)),
            rank: 100 + n as i64,
            status: [Status::Next, Status::Later, Status::Paused][n % 3],
            weekly_hours: 1.0 + (n % 8) as f64,
            paused_id: None,
            override_reason: None,
        };
        store.create_priority(ws, &d).await?;
    }
    let mut channels = Vec::new();
    for n in 0..CHANNELS {
        let d = ChannelDraft {
            name: format!("Benchmark channel {n}"),
            owner_id: Some(owner(n)),
            phase: [
                Phase::SegmentMarketing,
                Phase::LeadNurturing,
                Phase::SalesEnablement,
                Phase::CustomerMarketing,
            ][n % 4],
            status: [ChannelStatus::Testing, ChannelStatus::Paused][n % 2],
            monthly_budget: 500.0 * (n % 6) as f64,
        };
        channels.push(store.create_channel(ws, &d).await?.id);
    }
    let weeks = crate::demo_metrics::periods(Cadence::Weekly, WEEKS, today);
    let mut values = 0;
    for n in 0..METRICS {
        let d = MetricDraft {
            name: format!("Benchmark metric {n}"),
            definition: Some("Weekly count from the CRM report of the same name".into()),
            owner_id: Some(owner(n)),
            source: Some("HubSpot".into()),
            unit: Some("leads".into()),
            cadence: Cadence::Weekly,
            direction: [Direction::Higher, Direction::Lower][n % 2],
            target: Some(50.0),
            metric_type: [MetricType::Outcome, MetricType::Activity][n % 2],
            kind: [Kind::Speed, Kind::Quality, Kind::Cost, Kind::Contribution][n % 4],
            function_id: None,
            // Every other metric is the KPI of one objective (an objective has at most one).
            objective_id: (n % 2 == 0).then(|| objectives[n / 2 % objectives.len()]),
            channel_id: Some(channels[n % channels.len()]),
            workflow_id: None,
            computed: None,
            family: None,
            signal: None,
            layer: None,
        };
        let m = store.create_metric(ws, &d).await?;
        let rows: Vec<MeasurementDraft> = weeks
            .iter()
            .enumerate()
            .map(|(i, period)| MeasurementDraft {
                period: *period,
                // A slow rise with a wobble, so trends and off-target weeks both occur.
                value: 30.0 + (i as f64) * 0.1 + ((i * 7 + n) % 11) as f64,
                note: None,
            })
            .collect();
        values += store.put_measurements(ws, m.id, &rows).await?.len();
    }
    Ok(values)
}

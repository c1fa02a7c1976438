//! The demo's objectives and priorities: two SMART objectives, one vague wish the SMART check
//! flags, five ranked priorities (one of which paused the podcast to make room), and five
//! channels, three of them active: exactly the default focus limit; and five offers with the
//! channels that carry them.

use anyhow::{anyhow, Result};
use keel_domain::channel::{ChannelDraft, ChannelStatus, Phase};
use keel_domain::objective::Layer;
use keel_domain::offer::{OfferDraft, OfferKind, OfferStatus};
use keel_domain::priority::Status;
use keel_domain::{Date, ObjectiveDraft, Person, PriorityDraft};
use keel_store::Store;
use keel_store::WorkspaceId;

fn id(team: &[(&'static str, Person)], key: &str) -> Result<i64> {
    team.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, p)| p.id)
        .ok_or_else(|| anyhow!("the demo team has no {key}"))
}

fn objective(
    outcome: &str,
    owner: i64,
    layer: Layer,
    kpi: Option<(&str, f64, f64)>,
    deadline: Option<Date>,
    serves: Option<&str>,
) -> ObjectiveDraft {
    ObjectiveDraft {
        outcome: outcome.into(),
        owner_id: Some(owner),
        layer,
        metric: kpi.map(|k| k.0.to_string()),
        baseline: kpi.map(|k| k.1),
        target: kpi.map(|k| k.2),
        deadline,
        serves: serves.map(String::from),
    }
}

fn priority(
    title: &str,
    objective: i64,
    owner: i64,
    rank: i64,
    status: Status,
    hours: f64,
) -> PriorityDraft {
    PriorityDraft {
        title: title.into(),
        objective_id: Some(objective),
        owner_id: Some(owner),
        rank,
        status,
        weekly_hours: hours,
        paused_id: None,
        override_reason: None,
    }
}

pub async fn seed(
    store: &Store,
    ws: WorkspaceId,
    team: &[(&'static str, Person)],
    today: Date,
) -> Result<()> {
    let (lead, sales, founder, generalist) = (
        id(team, "lead")?,
        id(team, "sales")?,
        id(team, "founder")?,
        id(team, "generalist")?,
    );
    let revenue = "FY27 revenue goal: 4.5 M EUR new ARR";
    let pipeline = store
        .create_objective(
            ws,
            &objective(
                "Double sales-accepted leads from mid-market manufacturing accounts",
                lead,
                Layer::Business,
                Some(("Sales-accepted leads per month", 42.0, 85.0)),
                Some(today.add_days(210)),
                Some(revenue),
            ),
        )
        .await?;
    let speed = store
        .create_objective(
            ws,
            &objective(
                "Cut the time from a demo request to the first sales call",
                sales,
                Layer::Tactics,
                Some(("Median hours from demo request to first call", 52.0, 24.0)),
                Some(today.add_days(120)),
                Some("Sales efficiency initiative"),
            ),
        )
        .await?;
    // A wish, left in on purpose: the SMART check says what it misses.
    let brand = store
        .create_objective(
            ws,
            &objective(
                "Improve brand awareness",
                founder,
                Layer::Market,
                None,
                None,
                None,
            ),
        )
        .await?;

    let podcast = store
        .create_priority(
            ws,
            &priority(
                "Monthly podcast series",
                brand.id,
                generalist,
                3,
                Status::Now,
                6.0,
            ),
        )
        .await?;
    let abm = PriorityDraft {
        paused_id: Some(podcast.id),
        ..priority(
            "Account-based pilot for 40 mid-market accounts",
            pipeline.id,
            lead,
            1,
            Status::Now,
            8.0,
        )
    };
    store.create_priority(ws, &abm).await?;
    for d in [
        priority(
            "Route demo requests to sales within the hour",
            speed.id,
            sales,
            2,
            Status::Now,
            3.0,
        ),
        priority(
            "Case studies for the manufacturing segment",
            pipeline.id,
            generalist,
            4,
            Status::Next,
            5.0,
        ),
        priority(
            "Co-marketing with integration partners",
            pipeline.id,
            lead,
            5,
            Status::Later,
            4.0,
        ),
    ] {
        store.create_priority(ws, &d).await?;
    }
    let mut channels: Vec<(&str, i64)> = Vec::new();
    for (name, owner, phase, status, budget) in [
        (
            "Paid search",
            lead,
            Phase::SegmentMarketing,
            ChannelStatus::Active,
            6000.0,
        ),
        (
            "Webinars",
            lead,
            Phase::LeadNurturing,
            ChannelStatus::Active,
            1500.0,
        ),
        (
            "Email nurture",
            generalist,
            Phase::LeadNurturing,
            ChannelStatus::Active,
            400.0,
        ),
        (
            "LinkedIn ads",
            lead,
            Phase::SegmentMarketing,
            ChannelStatus::Testing,
            1200.0,
        ),
        (
            "Trade events",
            founder,
            Phase::SalesEnablement,
            ChannelStatus::Paused,
            0.0,
        ),
    ] {
        let d = ChannelDraft {
            name: name.into(),
            owner_id: Some(owner),
            phase,
            status,
            monthly_budget: budget,
        };
        channels.push((name, store.create_channel(ws, &d).await?.id));
    }
    let carried = |names: &[&str]| -> Vec<i64> {
        let mut ids: Vec<i64> = channels
            .iter()
            .filter(|(n, _)| names.contains(n))
            .map(|(_, id)| *id)
            .collect();
        ids.sort_unstable();
        ids
    };
    for (name, kind, audience, owner, status, carriers) in [
        (
            "Product demo",
            OfferKind::Demo,
            "Plant and operations managers at mid-market manufacturers",
            sales,
            OfferStatus::Active,
            carried(&["Paid search", "LinkedIn ads"]),
        ),
        (
            "Downtime cost assessment",
            OfferKind::Assessment,
            "Operations directors comparing vendors",
            lead,
            OfferStatus::Active,
            carried(&["Paid search", "Email nurture"]),
        ),
        (
            "Buyer's guide to predictive maintenance",
            OfferKind::Guide,
            "Maintenance leads who recognise the problem",
            generalist,
            OfferStatus::Active,
            carried(&["Email nurture", "LinkedIn ads"]),
        ),
        (
            "Monthly live product webinar",
            OfferKind::Webinar,
            "Evaluators in an open deal",
            lead,
            OfferStatus::Active,
            carried(&["Webinars"]),
        ),
        (
            "Pilot on one production line",
            OfferKind::Trial,
            "Selected accounts of the account-based pilot",
            founder,
            OfferStatus::Planned,
            vec![],
        ),
    ] {
        let d = OfferDraft {
            name: name.into(),
            kind,
            audience: Some(audience.into()),
            owner_id: Some(owner),
            status,
            channel_ids: carriers,
        };
        store.create_offer(ws, &d).await?;
    }
    Ok(())
}

//! The demo's strategy stack: four layers with owners, cycles and reviews (the buyer layer's
//! review is overdue, so Health names it), two segments with dated evidence, three personas,
//! a message map with the gaps a real team has, and a program in each tactics phase linked to
//! the demo's channels, offers and workflows.

use anyhow::{anyhow, Result};
use keel_domain::channel::Phase;
use keel_domain::stack::{
    Cycle, Layer, LayerDraft, MessageDraft, PersonaDraft, ProgramDraft, SegmentDraft,
};
use keel_domain::{Date, Person};
use keel_store::Store;

fn id(team: &[(&'static str, Person)], key: &str) -> Result<i64> {
    team.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, p)| p.id)
        .ok_or_else(|| anyhow!("the demo team has no {key}"))
}

fn text(s: &str) -> Option<String> {
    Some(s.to_string())
}

fn layer(l: Layer, owner: i64, cycle: Cycle, reviewed: Date, goals: &str) -> LayerDraft {
    LayerDraft {
        layer: l,
        owner_id: Some(owner),
        cycle,
        last_reviewed: Some(reviewed),
        goals: text(goals),
        revenue_goal: None,
        revenue_from: None,
        revenue_to: None,
        go_to_market: None,
        stages: vec![],
    }
}

pub async fn seed(
    store: &Store,
    ws: keel_store::WorkspaceId,
    team: &[(&'static str, Person)],
    today: Date,
) -> Result<()> {
    let (lead, founder, generalist, sales) = (
        id(team, "lead")?,
        id(team, "founder")?,
        id(team, "generalist")?,
        id(team, "sales")?,
    );
    let business = LayerDraft {
        revenue_goal: Some(4_500_000.0),
        revenue_from: Some(today.add_days(-30).month_start()),
        revenue_to: Some(today.add_days(-30).month_start().add_months(12).add_days(-1)),
        go_to_market: text(
            "Inside sales for plants of 200 to 2,000 staff; integration partners bring the larger groups. \
             Land with one production line, expand plant by plant.",
        ),
        ..layer(
            Layer::Business,
            founder,
            Cycle::HalfYearly,
            today.add_days(-75),
            "Grow new ARR in mid-market manufacturing without adding a field team.",
        )
    };
    for d in [
        layer(
            Layer::Market,
            founder,
            Cycle::Yearly,
            today.add_days(-160),
            "Know which manufacturers lose most to unplanned downtime, and what they try before us.",
        ),
        business,
        // Reviewed four months ago on a quarterly cycle: overdue, on purpose.
        layer(
            Layer::Buyer,
            lead,
            Cycle::Quarterly,
            today.add_days(-120),
            "Every primary persona has a message for every buying stage, backed by a proof point.",
        ),
        layer(
            Layer::Tactics,
            lead,
            Cycle::Monthly,
            today.add_days(-12),
            "Each program feeds sales-accepted leads from the mid-market segment.",
        ),
    ] {
        store.save_strategy_layer(ws, 0, &d).await?;
    }

    let discrete = store
        .create_segment(
            ws,
            &SegmentDraft {
                name: "Mid-market discrete manufacturers".into(),
                needs: text("Fewer unplanned line stops; maintenance plans that survive staff turnover."),
                value_drivers: text("Downtime cost avoided per line; fewer overtime shifts; spare parts held."),
                alternatives: text("Spreadsheets and paper rounds; the ERP's maintenance module; a local integrator."),
                evidence: text("18 win/loss interviews and the downtime cost assessments of the last two quarters."),
                evidence_date: Some(today.add_days(-140)),
            },
        )
        .await?;
    let food = store
        .create_segment(
            ws,
            &SegmentDraft {
                name: "Food and beverage processors".into(),
                needs: text("Audit-ready maintenance records; hygiene stops planned, not forced."),
                value_drivers: text(
                    "Days of audit preparation saved; batches not lost to a failed line.",
                ),
                alternatives: text("Quality management suites with a maintenance add-on."),
                evidence: text("Six discovery calls, all from inbound demo requests."),
                evidence_date: Some(today.add_days(-200)),
            },
        )
        .await?;
    let persona =
        |segment_id: i64, name: &str, primary: bool, goals: &str, pains: &str, objections: &str| {
            PersonaDraft {
                segment_id,
                name: name.into(),
                primary,
                goals: text(goals),
                pains: text(pains),
                objections: text(objections),
            }
        };
    let ops = store
        .create_persona(
            ws,
            &persona(
                discrete.id,
                "Plant operations manager",
                true,
                "Hit output targets; plan maintenance instead of reacting to it.",
                "Stops nobody saw coming; a maintenance plan that lives in one person's head.",
                "\"Another system my technicians will not use.\"",
            ),
        )
        .await?;
    let maint = store
        .create_persona(
            ws,
            &persona(
                discrete.id,
                "Maintenance lead",
                false,
                "Fewer night calls; spare parts on the shelf when needed.",
                "Paper work orders; being blamed for stops caused by skipped checks.",
                "\"Sensors on every machine cost more than the downtime.\"",
            ),
        )
        .await?;
    store
        .create_persona(
            ws,
            &persona(
                food.id,
                "Quality and compliance manager",
                true,
                "Pass audits without a week of preparation.",
                "Records spread over three systems and a binder.",
                "\"Validation of a new system takes longer than the audit.\"",
            ),
        )
        .await?;
    // Four of six stages written for the operations manager; two for the maintenance lead.
    for (persona, stage, message, proof, asset) in [
        (
            ops.id,
            0,
            "Unplanned stops cost more than the budget line that shows them.",
            Some("A 400-staff plant lost 310 line hours last year."),
            Some("Downtime cost calculator"),
        ),
        (
            ops.id,
            1,
            "Most stops announce themselves days before; the signs sit in data you have.",
            Some("Three out of four stops in our pilots had a warning in existing logs."),
            Some("Buyer's guide to predictive maintenance"),
        ),
        (
            ops.id,
            2,
            "Start with one line and the data you already collect.",
            None,
            Some("Monthly live product webinar"),
        ),
        (
            ops.id,
            3,
            "Technicians use it on the phone they carry; no new hardware to start.",
            Some("Adoption above 80 % after four weeks at two customers."),
            Some("Product demo"),
        ),
        (
            maint.id,
            1,
            "Your checklists, on the phone, with the history of every machine.",
            None,
            Some("Buyer's guide to predictive maintenance"),
        ),
        (
            maint.id,
            3,
            "Sensors only where the data says they pay back.",
            Some("Median sensor spend of 4 % of avoided downtime."),
            None,
        ),
    ] {
        store
            .save_message(
                ws,
                persona,
                0,
                &MessageDraft {
                    stage,
                    message: text(message),
                    proof_point: proof.map(String::from),
                    asset: asset.map(String::from),
                },
            )
            .await?;
    }

    let channels = store.list_channels(ws).await?;
    let offers = store.list_offers(ws).await?;
    let workflows = store.list_workflows(ws).await?;
    let ch = |names: &[&str]| -> Vec<i64> {
        let mut v: Vec<i64> = channels
            .iter()
            .filter(|c| names.contains(&c.name.as_str()))
            .map(|c| c.id)
            .collect();
        v.sort_unstable();
        v
    };
    let of = |names: &[&str]| -> Vec<i64> {
        let mut v: Vec<i64> = offers
            .iter()
            .filter(|o| names.contains(&o.name.as_str()))
            .map(|o| o.id)
            .collect();
        v.sort_unstable();
        v
    };
    let wf = |word: &str| -> Vec<i64> {
        workflows
            .iter()
            .filter(|w| w.spec.name.to_lowercase().contains(word))
            .map(|w| w.id)
            .take(1)
            .collect()
    };
    for (name, phase, owner, goal, channel_ids, offer_ids, workflow_ids) in [
        (
            "Downtime cost campaign",
            Phase::SegmentMarketing,
            lead,
            "Bring plant managers to the downtime cost assessment.",
            ch(&["Paid search", "LinkedIn ads"]),
            of(&["Downtime cost assessment"]),
            wf("paid"),
        ),
        (
            "Evaluator nurture",
            Phase::LeadNurturing,
            generalist,
            "Move assessment leads to a demo within 30 days.",
            ch(&["Email nurture", "Webinars"]),
            of(&[
                "Buyer's guide to predictive maintenance",
                "Monthly live product webinar",
            ]),
            wf("content"),
        ),
        (
            "Sales call kit",
            Phase::SalesEnablement,
            sales,
            "Every first call uses the segment's proof points.",
            vec![],
            of(&["Product demo"]),
            wf("campaign"),
        ),
        (
            "Second-line expansion",
            Phase::CustomerMarketing,
            lead,
            "Turn one-line pilots into plant-wide contracts.",
            ch(&["Webinars"]),
            of(&["Pilot on one production line"]),
            vec![],
        ),
    ] {
        store
            .create_program(
                ws,
                &ProgramDraft {
                    name: name.into(),
                    phase,
                    owner_id: Some(owner),
                    goal: text(goal),
                    channel_ids,
                    offer_ids,
                    workflow_ids,
                },
            )
            .await?;
    }
    Ok(())
}

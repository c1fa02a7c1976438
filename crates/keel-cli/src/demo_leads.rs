//! The demo's leads: four months of a HubSpot-like CRM with a pattern a newcomer can find in
//! lead quality. Referrals and paid search bring leads sales accepts; the paid-social ebook
//! brings students and companies outside the ideal customer profile (a poor-fit pair);
//! organic leads often lack a campaign (completeness below the bar); display advertising has
//! spend and no leads; some leads have waited weeks for feedback. Generated from a fixed seed,
//! so every demo shows the same.

use anyhow::Result;
use keel_domain::lead::{month_of, Feedback, LeadDraft, Qualification};
use keel_store::Store;
use keel_store::WorkspaceId;

/// (source, source detail, offer, campaign, channel, share of leads in %, acceptance in %).
const MIX: &[(&str, &str, &str, &str, &str, u64, u64)] = &[
    (
        "Paid Search",
        "google / brand",
        "Demo request",
        "Brand search",
        "Paid search",
        22,
        62,
    ),
    (
        "Paid Search",
        "google / generic",
        "Pricing guide",
        "Pipeline forecasting",
        "Paid search",
        12,
        38,
    ),
    ("Organic Search", "blog", "Pricing guide", "", "SEO", 16, 45),
    (
        "Paid Social",
        "linkedin / ebook",
        "State of B2B pipeline ebook",
        "Ebook Q3",
        "Paid social",
        22,
        9,
    ),
    (
        "Events",
        "SaaS Connect booth",
        "Pipeline assessment",
        "SaaS Connect",
        "Events",
        10,
        58,
    ),
    (
        "Referrals",
        "customer referral",
        "Demo request",
        "Customer referral",
        "Partners",
        8,
        80,
    ),
    (
        "Webinar",
        "forecasting webinar",
        "Webinar: forecasting that sales trusts",
        "Forecasting webinar",
        "Webinars",
        10,
        40,
    ),
];

const REJECTIONS: &[&str] = &[
    "Not our ideal customer profile",
    "Student or job seeker",
    "No budget",
    "No need or project",
    "Too small",
];

const OBJECTIONS: &[&str] = &[
    "Already uses a spreadsheet that works",
    "Wants a monthly plan",
    "Needs a Salesforce integration first",
    "Only wanted the ebook",
];

const OWNERS: &[&str] = &["Sam Okafor", "Dana Whitfield", "Lee Park"];

/// A small deterministic generator (64-bit LCG), so the demo needs no random crate.
struct Seq(u64);

impl Seq {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Monthly spend in cents: (channel, amount); display advertising brings no leads at all.
const SPEND: &[(&str, i64)] = &[
    ("Paid search", 1_200_000),
    ("Paid social", 800_000),
    ("Events", 1_500_000),
    ("Webinars", 150_000),
    ("Display", 400_000),
];

/// Creates 600 leads over the last 120 days, feedback on most of them, and spend for the
/// last three whole months.
pub async fn seed(store: &Store, ws: WorkspaceId, owner_user: i64, now: i64) -> Result<usize> {
    let today = store.zone_of(ws).await?.date_of(now);
    let mut seq = Seq(20_260_301);
    let mut leads = Vec::new();
    let mut judged = Vec::new();
    for i in 0..600u64 {
        let mut pick = seq.next(100);
        let &(source, detail, offer, campaign, channel, _, accept) = MIX
            .iter()
            .find(|m| {
                if pick < m.5 {
                    true
                } else {
                    pick -= m.5;
                    false
                }
            })
            .unwrap_or(&MIX[0]);
        let age = seq.next(120) as i64;
        let created = today.add_days(-age);
        // Organic leads often arrive without a campaign.
        let campaign = (!campaign.is_empty() && seq.next(10) > 0).then(|| campaign.to_string());
        let accepted = seq.next(100) < accept;
        let external_id = (4_100_000 + i * 7).to_string();
        let won = accepted && seq.next(5) == 0;
        leads.push(LeadDraft {
            source_system: "hubspot".into(),
            external_id: external_id.clone(),
            created,
            source: Some(source.into()),
            source_detail: Some(detail.into()),
            campaign,
            offer: Some(offer.into()),
            channel: Some(channel.into()),
            lifecycle_stage: Some(if won { "Customer" } else { "Lead" }.into()),
            lead_status: (seq.next(20) > 0).then(|| {
                ["New", "Open", "In Progress", "Connected"][seq.next(4) as usize].to_string()
            }),
            owner: (seq.next(20) > 0)
                .then(|| OWNERS[seq.next(OWNERS.len() as u64) as usize].to_string()),
            qualification: None,
            disqualification_reason: None,
            objection: None,
            pipeline_cents: accepted.then(|| (12 + seq.next(40) as i64) * 100_000),
            won_cents: won.then(|| (10 + seq.next(30) as i64) * 100_000),
        });
        // Sales has judged most leads older than a week, and a few recent ones.
        let waiting = age < 7 || seq.next(100) < 8;
        if !waiting {
            let fb = if accepted {
                Feedback {
                    qualification: Qualification::Accepted,
                    reason: None,
                    objection: None,
                }
            } else {
                let reason = if offer.contains("ebook") && seq.next(2) == 0 {
                    "Student or job seeker"
                } else {
                    REJECTIONS[seq.next(REJECTIONS.len() as u64) as usize]
                };
                let objection = (seq.next(3) == 0)
                    .then(|| OBJECTIONS[seq.next(OBJECTIONS.len() as u64) as usize].to_string());
                Feedback {
                    qualification: Qualification::Rejected,
                    reason: Some(reason.into()),
                    objection,
                }
            };
            judged.push((external_id, fb));
        }
    }
    // The leads arrive as the team's last HubSpot export did: through a real import, so the
    // Leads page lists it under Recent imports.
    let import = store
        .begin_lead_import(
            ws,
            "hubspot",
            "hubspot-contacts-export.csv",
            "hubspot",
            Some(owner_user),
        )
        .await?;
    let rows: Vec<(i64, &LeadDraft)> = leads
        .iter()
        .enumerate()
        .map(|(i, l)| (i as i64 + 2, l))
        .collect();
    let mut st = keel_store::LeadStaging::new(ws, import);
    store.stage_leads(&mut st, &rows).await?;
    store.publish_lead_import(st, 0).await?;
    // The events team's Pipedrive export is mapped column by column; the mapping is saved.
    store
        .save_lead_mapping(
            ws,
            "Pipedrive deals export",
            "pipedrive",
            r#"[["external_id","Deal ID"],["created","Deal created"],["source","Lead source"],["offer","Offer"],["owner","Owner name"]]"#,
            Some(owner_user),
        )
        .await?;
    let mut items = Vec::with_capacity(judged.len());
    for (external_id, fb) in judged {
        if let Some(l) = store
            .find_lead_by_external(ws, "hubspot", &external_id)
            .await?
        {
            items.push((l.id, Some(l.version), fb));
        }
    }
    store
        .give_feedback_many(ws, &items, Some(owner_user))
        .await?;
    // The team wants sales feedback within ten working days rather than keel's two weeks, and
    // counts customer referrals (account managers bring them) as sales', not marketing's.
    let thresholds =
        keel_domain::lead::settings::LeadSettingsDraft::parse("40", "90", "10", "Referrals")
            .expect("the demo's thresholds are valid");
    store.set_lead_settings(ws, 0, &thresholds).await?;
    // The last three whole months (the current one is still running).
    let first_of_month = today.add_days(1 - today.ymd().2 as i64);
    for back in 1..=3 {
        let month = month_of(first_of_month.add_days(-28 * back + 14));
        for (channel, cents) in SPEND {
            store.set_spend(ws, month, channel, "", *cents).await?;
        }
    }
    Ok(leads.len())
}

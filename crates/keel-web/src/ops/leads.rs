//! The lead-quality report pages and the API both show: rollups by source × offer, campaign,
//! channel and month, reasons and objections ranked, completeness per field, and spend with
//! cost per lead and ROI. Eight small queries on rollup tables, never a scan of the leads.

use keel_domain::lead::completeness::{FieldShare, Filled};
use keel_domain::lead::report::{contribution, with_spend, Contribution, SpendRow};
use keel_domain::lead::settings::LeadSettings;
use keel_store::WorkspaceId;
use keel_store::{Months, QualityBy, QualityGroup, Store, StoreError};

pub struct QualityReport {
    pub months: Months,
    pub pairs: Vec<QualityGroup>,
    pub campaigns: Vec<SpendRow>,
    pub channels: Vec<SpendRow>,
    pub by_month: Vec<QualityGroup>,
    pub reasons: Vec<(String, i64)>,
    pub objections: Vec<(String, i64)>,
    pub filled: Filled,
    pub completeness: Vec<FieldShare>,
    /// Each month's completeness (yyyymm, oldest first) against the same bar.
    pub completeness_by_month: Vec<(i64, Vec<FieldShare>)>,
    pub poor_fit_below: f64,
    pub bar: f64,
    /// The workspace's thresholds, which `poor_fit_below` and `bar` come from.
    pub settings: LeadSettings,
    /// The share of pipeline from marketing-sourced leads.
    pub contribution: Contribution,
}

fn named(groups: Vec<QualityGroup>) -> Vec<(String, keel_domain::lead::quality::Counts)> {
    groups.into_iter().map(|g| (g.a, g.counts)).collect()
}

pub async fn quality(
    store: &Store,
    ws: WorkspaceId,
    months: Months,
) -> Result<QualityReport, StoreError> {
    let spend = store.list_spend(ws, months).await?;
    let by_channel: Vec<(String, i64)> = spend
        .iter()
        .filter(|s| !s.channel.is_empty())
        .map(|s| (s.channel.clone(), s.amount_cents))
        .collect();
    let by_campaign: Vec<(String, i64)> = spend
        .iter()
        .filter(|s| !s.campaign.is_empty())
        .map(|s| (s.campaign.clone(), s.amount_cents))
        .collect();
    let filled = store.lead_completeness(ws, months).await?;
    let settings = store.lead_settings(ws).await?;
    let mut by_month = store.lead_quality(ws, QualityBy::Month, months).await?;
    by_month.sort_by(|a, b| a.a.cmp(&b.a));
    let pairs = store
        .lead_quality(ws, QualityBy::SourceOffer, months)
        .await?;
    let contribution = contribution(pairs.iter().map(|g| (g.a.as_str(), &g.counts)), &settings);
    Ok(QualityReport {
        months,
        pairs,
        contribution,
        campaigns: with_spend(
            &named(store.lead_quality(ws, QualityBy::Campaign, months).await?),
            &by_campaign,
        ),
        channels: with_spend(
            &named(store.lead_quality(ws, QualityBy::Channel, months).await?),
            &by_channel,
        ),
        by_month,
        reasons: store.lead_reasons(ws, "reason", months).await?,
        objections: store.lead_reasons(ws, "objection", months).await?,
        completeness: filled.shares(settings.completeness_bar),
        completeness_by_month: store
            .lead_completeness_by_month(ws, months)
            .await?
            .into_iter()
            .map(|(month, f)| (month, f.shares(settings.completeness_bar)))
            .collect(),
        filled,
        poor_fit_below: settings.poor_fit_below,
        bar: settings.completeness_bar,
        settings,
    })
}

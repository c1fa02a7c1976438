//! /api/v1/lead-quality: lead quality by source × offer, campaign, channel and month, reasons
//! and objections ranked, CRM completeness per field, and spend with cost per lead and ROI.

use super::ApiQuery;
use crate::ctx::ApiCtx;
use crate::error::{ApiError, ErrorEnvelope};
use crate::ops::leads::{quality, QualityReport};
use crate::routes::Routes;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use keel_domain::lead::quality::Counts;
use keel_domain::lead::report::SpendRow;
use keel_domain::lead::{month_label, parse_month};
use keel_domain::Invalid;
use keel_store::Months;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub fn routes(r: Routes) -> Routes {
    r.get("/api/v1/lead-quality", find_lead_quality)
}

/// The months to report on, inclusive; all months when left out.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MonthsQuery {
    /// YYYY-MM
    #[param(
        example = "2026-01",
        pattern = "^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])$"
    )]
    pub from: Option<String>,
    /// YYYY-MM
    #[param(
        example = "2026-03",
        pattern = "^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])$"
    )]
    pub to: Option<String>,
}

impl MonthsQuery {
    pub fn months(&self) -> Result<Months, Invalid> {
        let mut e = Invalid::new();
        let mut one = |v: &Option<String>, name: &str| match v.as_deref() {
            Some(s) if s.trim() != s => e.take(name, parse_month("")),
            Some(s) => e.take(name, parse_month(s)),
            None => None,
        };
        let m = Months {
            from: one(&self.from, "from"),
            to: one(&self.to, "to"),
        };
        e.into_result(|| m)
    }
}

/// Leads of one group and what sales said about them.
#[derive(Serialize, ToSchema)]
pub struct QualityCounts {
    pub leads: i64,
    pub accepted: i64,
    pub rejected: i64,
    pub pending: i64,
    /// Accepted among judged leads (0 to 1); null before any was judged.
    pub acceptance_rate: Option<f64>,
    /// The 95% Wilson interval of the acceptance rate.
    pub acceptance_low: Option<f64>,
    pub acceptance_high: Option<f64>,
    pub pipeline_cents: i64,
    pub won_cents: i64,
}

impl From<Counts> for QualityCounts {
    fn from(c: Counts) -> Self {
        let i = c.acceptance_interval();
        QualityCounts {
            leads: c.leads,
            accepted: c.accepted,
            rejected: c.rejected,
            pending: c.pending(),
            acceptance_rate: c.acceptance_rate(),
            acceptance_low: i.map(|x| x.0),
            acceptance_high: i.map(|x| x.1),
            pipeline_cents: c.pipeline_cents,
            won_cents: c.won_cents,
        }
    }
}

/// A source × offer pair.
#[derive(Serialize, ToSchema)]
pub struct PairQuality {
    /// '' when the lead has no source.
    pub source: String,
    pub offer: String,
    #[serde(flatten)]
    pub counts: QualityCounts,
    /// Even the top of the 95% interval is below the poor-fit threshold.
    pub poor_fit: bool,
}

/// A campaign or channel with its spend in the months asked.
#[derive(Serialize, ToSchema)]
pub struct SpendQuality {
    pub name: String,
    #[serde(flatten)]
    pub counts: QualityCounts,
    pub spend_cents: i64,
    pub cost_per_lead_cents: Option<i64>,
    pub cost_per_accepted_cents: Option<i64>,
    /// (won − spend) / spend.
    pub roi: Option<f64>,
}

impl From<&SpendRow> for SpendQuality {
    fn from(r: &SpendRow) -> Self {
        SpendQuality {
            name: r.name.clone(),
            counts: r.counts.into(),
            spend_cents: r.spend_cents,
            cost_per_lead_cents: r.cost_per_lead(),
            cost_per_accepted_cents: r.cost_per_accepted(),
            roi: r.roi(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MonthQuality {
    #[schema(example = "2026-03")]
    pub month: String,
    #[serde(flatten)]
    pub counts: QualityCounts,
}

#[derive(Serialize, ToSchema)]
pub struct Ranked {
    pub value: String,
    pub leads: i64,
}

#[derive(Serialize, ToSchema)]
pub struct FieldCompleteness {
    pub field: String,
    pub label: String,
    pub filled: i64,
    pub of: i64,
    pub share: Option<f64>,
    pub below_bar: bool,
}

#[derive(Serialize, ToSchema)]
pub struct LeadQuality {
    pub from: Option<String>,
    pub to: Option<String>,
    pub poor_fit_below: f64,
    pub completeness_bar: f64,
    pub pairs: Vec<PairQuality>,
    pub campaigns: Vec<SpendQuality>,
    pub channels: Vec<SpendQuality>,
    pub months: Vec<MonthQuality>,
    pub rejection_reasons: Vec<Ranked>,
    pub objections: Vec<Ranked>,
    pub completeness: Vec<FieldCompleteness>,
    /// The same, month by month (oldest first), to see whether the CRM discipline improves.
    pub completeness_by_month: Vec<MonthCompleteness>,
    pub pipeline_contribution: PipelineContribution,
}

/// The pipeline from marketing-sourced leads (all sources but the workspace's sales-sourced
/// ones, see `/api/v1/lead-settings`) against all the pipeline of the months asked.
#[derive(Serialize, ToSchema)]
pub struct PipelineContribution {
    pub marketing_cents: i64,
    pub total_cents: i64,
    /// 0–1; null without pipeline.
    pub share: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct MonthCompleteness {
    /// YYYY-MM
    pub month: String,
    pub fields: Vec<FieldCompleteness>,
}

fn fields(v: &[keel_domain::lead::completeness::FieldShare]) -> Vec<FieldCompleteness> {
    v.iter()
        .map(|f| FieldCompleteness {
            field: f.field.into(),
            label: f.label.into(),
            filled: f.filled,
            of: f.of,
            share: f.share,
            below_bar: f.below_bar,
        })
        .collect()
}

fn ranked(v: &[(String, i64)]) -> Vec<Ranked> {
    v.iter()
        .map(|(value, leads)| Ranked {
            value: value.clone(),
            leads: *leads,
        })
        .collect()
}

impl From<&QualityReport> for LeadQuality {
    fn from(r: &QualityReport) -> Self {
        LeadQuality {
            from: r.months.from.map(month_label),
            to: r.months.to.map(month_label),
            poor_fit_below: r.poor_fit_below,
            completeness_bar: r.bar,
            pairs: r
                .pairs
                .iter()
                .map(|g| PairQuality {
                    source: g.a.clone(),
                    offer: g.b.clone(),
                    counts: g.counts.into(),
                    poor_fit: g.counts.is_poor_fit(r.poor_fit_below),
                })
                .collect(),
            campaigns: r.campaigns.iter().map(SpendQuality::from).collect(),
            channels: r.channels.iter().map(SpendQuality::from).collect(),
            months: r
                .by_month
                .iter()
                .map(|g| MonthQuality {
                    month: g.a.parse().map(month_label).unwrap_or_else(|_| g.a.clone()),
                    counts: g.counts.into(),
                })
                .collect(),
            rejection_reasons: ranked(&r.reasons),
            objections: ranked(&r.objections),
            pipeline_contribution: PipelineContribution {
                marketing_cents: r.contribution.marketing_cents,
                total_cents: r.contribution.total_cents,
                share: r.contribution.share(),
            },
            completeness: fields(&r.completeness),
            completeness_by_month: r
                .completeness_by_month
                .iter()
                .map(|(month, f)| MonthCompleteness {
                    month: month_label(*month),
                    fields: fields(f),
                })
                .collect(),
        }
    }
}

/// Lead quality for the months asked, from rollups kept on every import and piece of feedback.
#[utoipa::path(get, path = "/api/v1/lead-quality", operation_id = "find_lead_quality", tag = "leads", params(MonthsQuery),
    responses((status = 200, body = LeadQuality), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)))]
pub async fn find_lead_quality(
    State(state): State<AppState>,
    ctx: ApiCtx,
    ApiQuery(q): ApiQuery<MonthsQuery>,
) -> Result<Json<LeadQuality>, ApiError> {
    ctx.require_leads()?;
    let months = q.months()?;
    let report = quality(&state.store, ctx.ws_id, months).await?;
    Ok(Json(LeadQuality::from(&report)))
}

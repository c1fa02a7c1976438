//! Lead quality: acceptance by source × offer with the poor-fit signal, rejection reasons and
//! objections ranked, CRM completeness against the bar, and spend per channel and campaign.

use super::layout::{render, Chrome};
use crate::ctx::WsCtx;
use crate::error::PageError;
use crate::ops::leads::{quality, QualityReport};
use crate::routes::Routes;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use keel_domain::lead::completeness::FieldShare;
use keel_domain::lead::quality::{heat, heatmap, percent, Counts, Heatmap};
use keel_domain::lead::report::SpendRow;
use keel_domain::lead::{month_label, parse_month};
use keel_store::Months;
use serde::Deserialize;

pub fn routes(r: Routes) -> Routes {
    r.get("/w/{ws}/lead-quality", page)
}

#[derive(Deserialize, Default)]
struct MonthsForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "leads/quality.html")]
struct Page {
    chrome: Chrome,
    r: QualityReport,
    heat: Heatmap,
    total: Counts,
    from: String,
    to: String,
    error: Option<String>,
}

impl Page {
    fn rate(&self, c: &Counts) -> String {
        percent(c.acceptance_rate())
    }
    fn interval(&self, c: &Counts) -> String {
        c.acceptance_interval()
            .map(|(lo, hi)| format!("{:.0}–{:.0}%", lo * 100.0, hi * 100.0))
            .unwrap_or_default()
    }
    fn poor(&self, c: &Counts) -> bool {
        c.is_poor_fit(self.r.poor_fit_below)
    }
    fn name<'a>(&self, s: &'a str) -> &'a str {
        if s.is_empty() {
            "(not set)"
        } else {
            s
        }
    }
    fn share(&self, f: &FieldShare) -> String {
        percent(f.share)
    }
    fn money(&self, cents: Option<i64>) -> String {
        cents
            .map(|c| thousands(c / 100))
            .unwrap_or_else(|| "–".into())
    }
    fn spend(&self, r: &SpendRow) -> String {
        if r.spend_cents == 0 {
            "–".into()
        } else {
            thousands(r.spend_cents / 100)
        }
    }
    fn roi(&self, r: &SpendRow) -> String {
        r.roi()
            .map(|x| format!("{:.0}%", x * 100.0))
            .unwrap_or_else(|| "–".into())
    }
    fn month(&self, m: &str) -> String {
        m.parse().map(month_label).unwrap_or_else(|_| m.to_string())
    }
    /// The heatmap's rows: each source with its cells.
    fn heat_rows(&self) -> Vec<(&str, &Vec<Option<Counts>>)> {
        self.heat
            .sources
            .iter()
            .map(String::as_str)
            .zip(self.heat.cells.iter())
            .collect()
    }
    fn heat_class(&self, c: &Option<Counts>) -> String {
        match c.as_ref().and_then(heat) {
            Some(h) => format!("heat heat-{h}"),
            None => "heat".into(),
        }
    }
    fn heat_text(&self, c: &Option<Counts>) -> String {
        match c {
            Some(c) if c.leads == 1 => format!("{} (1 lead)", self.rate(c)),
            Some(c) => format!("{} ({} leads)", self.rate(c), c.leads),
            None => String::new(),
        }
    }
    /// The months of the completeness-over-time table, as labels.
    fn completeness_months(&self) -> Vec<String> {
        self.r
            .completeness_by_month
            .iter()
            .map(|(m, _)| month_label(*m))
            .collect()
    }
    /// Field `field` (in `r.completeness`'s order) in every month: its share, and whether
    /// it is below the bar.
    fn completeness_row(&self, field: &usize) -> Vec<(String, bool)> {
        self.r
            .completeness_by_month
            .iter()
            .map(|(_, shares)| match shares.get(*field) {
                Some(f) => (self.share(f), f.below_bar),
                None => ("–".into(), false),
            })
            .collect()
    }
    fn contribution_share(&self) -> String {
        percent(self.r.contribution.share())
    }
    fn contribution_amounts(&self) -> String {
        let c = &self.r.contribution;
        if c.total_cents == 0 {
            return "No pipeline recorded on these leads yet.".into();
        }
        format!(
            "{} of {} pipeline; sales-sourced: {}",
            thousands(c.marketing_cents / 100),
            thousands(c.total_cents / 100),
            if self.r.settings.sales_sources.is_empty() {
                "none named (see Thresholds)".to_string()
            } else {
                self.r.settings.sales_sources.join(", ")
            }
        )
    }
    fn bar(&self) -> String {
        format!("{:.0}%", self.r.bar * 100.0)
    }
    fn threshold(&self) -> String {
        format!("{:.0}%", self.r.poor_fit_below * 100.0)
    }
}

/// 1234567 as "1,234,567".
pub(super) fn thousands(n: i64) -> String {
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

async fn page(
    State(state): State<AppState>,
    ctx: WsCtx,
    Query(f): Query<MonthsForm>,
) -> Result<Response, PageError> {
    ctx.require_leads()?;
    let mut error = None;
    let mut one = |v: &str| match v.trim() {
        "" => None,
        s => match parse_month(s) {
            Ok(m) => Some(m),
            Err(e) => {
                error = Some(e);
                None
            }
        },
    };
    let months = Months {
        from: one(&f.from),
        to: one(&f.to),
    };
    let r = quality(&state.store, ctx.ws.id, months).await?;
    let mut total = Counts::default();
    for g in &r.by_month {
        total.add(&g.counts);
    }
    let heat = heatmap(
        r.pairs
            .iter()
            .map(|g| (g.a.as_str(), g.b.as_str(), &g.counts)),
    );
    render(&Page {
        heat,
        chrome: ctx
            .chrome("Lead quality", "leads")
            .with_notice(f.notice.as_deref()),
        r,
        total,
        from: f.from.trim().to_string(),
        to: f.to.trim().to_string(),
        error,
    })
}

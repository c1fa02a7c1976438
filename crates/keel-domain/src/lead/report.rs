//! Lead quality next to spend: cost per lead, cost per accepted lead and ROI per channel or
//! campaign, for the months asked.

use super::quality::{cost_per, roi, Counts};
use super::settings::LeadSettings;
use serde::Serialize;

/// One channel or campaign: its leads, what sales said, and what was spent on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpendRow {
    pub name: String,
    pub counts: Counts,
    pub spend_cents: i64,
}

impl SpendRow {
    pub fn cost_per_lead(&self) -> Option<i64> {
        cost_per(self.spend_cents, self.counts.leads)
    }

    pub fn cost_per_accepted(&self) -> Option<i64> {
        cost_per(self.spend_cents, self.counts.accepted)
    }

    /// (won − spend) / spend.
    pub fn roi(&self) -> Option<f64> {
        roi(self.counts.won_cents, self.spend_cents)
    }
}

/// Joins lead counts by name with spend by name; a name with spend and no leads is kept (it
/// is the finding "spend and no leads"), a name without either is not. '' (not set) is
/// kept only when it has leads.
pub fn with_spend(groups: &[(String, Counts)], spend: &[(String, i64)]) -> Vec<SpendRow> {
    let mut rows: Vec<SpendRow> = groups
        .iter()
        .map(|(name, counts)| SpendRow {
            name: name.clone(),
            counts: *counts,
            spend_cents: spend
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, c)| c)
                .sum(),
        })
        .collect();
    for (name, _) in spend {
        if name.is_empty() || rows.iter().any(|r| &r.name == name) {
            continue;
        }
        rows.push(SpendRow {
            name: name.clone(),
            counts: Counts::default(),
            spend_cents: spend
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, c)| c)
                .sum(),
        });
    }
    rows
}

/// Pipeline contribution: the pipeline from marketing-sourced leads (every source but the
/// workspace's sales-sourced ones, and leads with no source) against all the pipeline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Contribution {
    pub marketing_cents: i64,
    pub total_cents: i64,
}

impl Contribution {
    /// The marketing share; `None` without pipeline.
    pub fn share(&self) -> Option<f64> {
        (self.total_cents > 0).then(|| self.marketing_cents as f64 / self.total_cents as f64)
    }
}

/// Sums the pipeline of groups keyed by source.
pub fn contribution<'a>(
    by_source: impl IntoIterator<Item = (&'a str, &'a Counts)>,
    settings: &LeadSettings,
) -> Contribution {
    let mut c = Contribution::default();
    for (source, counts) in by_source {
        c.total_cents += counts.pipeline_cents;
        if !settings.is_sales_source(source) {
            c.marketing_cents += counts.pipeline_cents;
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spend_meets_leads_by_name_and_spend_without_leads_stays_visible() {
        let search = Counts {
            leads: 40,
            accepted: 10,
            rejected: 20,
            won_cents: 900_000,
            pipeline_cents: 0,
        };
        let rows = with_spend(
            &[("Paid search".into(), search)],
            &[
                ("Paid search".into(), 200_000),
                ("Paid search".into(), 100_000),
                ("Events".into(), 500_000),
            ],
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].spend_cents, 300_000);
        assert_eq!(
            (rows[0].cost_per_lead(), rows[0].cost_per_accepted()),
            (Some(7_500), Some(30_000))
        );
        assert_eq!(rows[0].roi(), Some(2.0));
        assert_eq!(
            (
                rows[1].name.as_str(),
                rows[1].counts.leads,
                rows[1].spend_cents
            ),
            ("Events", 0, 500_000)
        );
        assert_eq!(rows[1].cost_per_lead(), None);
    }

    #[test]
    fn pipeline_from_sales_own_sources_is_not_marketing_s() {
        let p = |cents| Counts {
            pipeline_cents: cents,
            ..Default::default()
        };
        let (a, b, c) = (p(600_000), p(300_000), p(100_000));
        let settings = LeadSettings {
            sales_sources: vec!["Outbound".into()],
            ..Default::default()
        };
        let got = contribution([("Referrals", &a), ("outbound", &b), ("", &c)], &settings);
        assert_eq!((got.marketing_cents, got.total_cents), (700_000, 1_000_000));
        assert_eq!(got.share(), Some(0.7));
        assert_eq!(
            contribution([("Referrals", &a)], &LeadSettings::default()).share(),
            Some(1.0)
        );
        assert_eq!(Contribution::default().share(), None);
    }
}

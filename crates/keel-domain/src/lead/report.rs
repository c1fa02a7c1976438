//! Lead quality next to spend: cost per lead, cost per accepted lead and ROI per channel or
//! campaign, for the months asked.

use super::quality::{cost_per, roi, Counts};
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
}

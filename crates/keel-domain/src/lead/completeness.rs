//! CRM completeness: the share of leads with each discipline field set. For rejected leads the
//! disqualification reason counts; marketing cannot learn from a rejection without its reason.

use serde::Serialize;

/// The share each field should reach.
pub const DEFAULT_BAR: f64 = 0.9;

/// Counts of leads with each discipline field set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Filled {
    pub leads: i64,
    pub rejected: i64,
    pub source: i64,
    pub campaign: i64,
    pub offer: i64,
    pub channel: i64,
    pub lifecycle_stage: i64,
    pub owner: i64,
    pub qualification: i64,
    /// Rejected leads with a disqualification reason.
    pub reason: i64,
}

/// One field's completeness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldShare {
    pub field: &'static str,
    pub label: &'static str,
    pub filled: i64,
    pub of: i64,
    pub share: Option<f64>,
    pub below_bar: bool,
}

impl Filled {
    pub fn add(&mut self, o: &Filled) {
        self.leads += o.leads;
        self.rejected += o.rejected;
        self.source += o.source;
        self.campaign += o.campaign;
        self.offer += o.offer;
        self.channel += o.channel;
        self.lifecycle_stage += o.lifecycle_stage;
        self.owner += o.owner;
        self.qualification += o.qualification;
        self.reason += o.reason;
    }

    /// Every discipline field against `bar`, in the order pages show them.
    pub fn shares(&self, bar: f64) -> Vec<FieldShare> {
        let l = self.leads;
        [
            ("source", "Lead source", self.source, l),
            ("campaign", "Campaign", self.campaign, l),
            ("offer", "Offer", self.offer, l),
            ("channel", "Channel", self.channel, l),
            (
                "lifecycle_stage",
                "Lifecycle stage",
                self.lifecycle_stage,
                l,
            ),
            ("owner", "Owner", self.owner, l),
            (
                "qualification",
                "Qualification status",
                self.qualification,
                l,
            ),
            (
                "disqualification_reason",
                "Disqualification reason (rejected leads)",
                self.reason,
                self.rejected,
            ),
        ]
        .into_iter()
        .map(|(field, label, filled, of)| {
            let share = (of > 0).then(|| filled as f64 / of as f64);
            FieldShare {
                field,
                label,
                filled,
                of,
                share,
                below_bar: share.is_some_and(|s| s < bar),
            }
        })
        .collect()
    }
}

//! Channels the team markets through (paid search, SEO, email, events, webinars, partners…),
//! each with one internal owner, its tactic phase, a status and a monthly budget; and the
//! workspace's channel-focus limit: how many may be active at once.

use crate::health::Model;
use crate::{objective, text, Invalid, Person};
use serde::{Deserialize, Serialize};

/// Active channels a workspace focuses on unless it sets its own limit.
pub const DEFAULT_FOCUS_LIMIT: usize = 3;
pub const MAX_FOCUS_LIMIT: usize = 20;
pub const MAX_MONTHLY_BUDGET: f64 = 100_000_000.0;

/// The tactic phase a channel serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    SegmentMarketing,
    LeadNurturing,
    SalesEnablement,
    CustomerMarketing,
}

impl Phase {
    pub const ALL: [Phase; 4] = [
        Phase::SegmentMarketing,
        Phase::LeadNurturing,
        Phase::SalesEnablement,
        Phase::CustomerMarketing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::SegmentMarketing => "segment-marketing",
            Phase::LeadNurturing => "lead-nurturing",
            Phase::SalesEnablement => "sales-enablement",
            Phase::CustomerMarketing => "customer-marketing",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::SegmentMarketing => "Segment marketing",
            Phase::LeadNurturing => "Lead nurturing",
            Phase::SalesEnablement => "Sales enablement",
            Phase::CustomerMarketing => "Customer marketing",
        }
    }

    pub fn parse(s: &str) -> Result<Phase, String> {
        Phase::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| {
                "Choose segment-marketing, lead-nurturing, sales-enablement or customer-marketing."
                    .to_string()
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelStatus {
    Active,
    Testing,
    Paused,
    Stopped,
}

impl ChannelStatus {
    pub const ALL: [ChannelStatus; 4] = [
        ChannelStatus::Active,
        ChannelStatus::Testing,
        ChannelStatus::Paused,
        ChannelStatus::Stopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelStatus::Active => "active",
            ChannelStatus::Testing => "testing",
            ChannelStatus::Paused => "paused",
            ChannelStatus::Stopped => "stopped",
        }
    }

    pub fn parse(s: &str) -> Result<ChannelStatus, String> {
        ChannelStatus::ALL
            .into_iter()
            .find(|x| x.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| "Choose active, testing, paused or stopped.".to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Channel {
    pub id: i64,
    pub name: String,
    pub owner_id: Option<i64>,
    pub phase: Phase,
    pub status: ChannelStatus,
    /// Budget per month, in the workspace's currency.
    pub monthly_budget: f64,
    pub version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ChannelInput {
    pub name: String,
    pub owner_id: String,
    pub phase: String,
    pub status: String,
    pub monthly_budget: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChannelDraft {
    pub name: String,
    pub owner_id: Option<i64>,
    pub phase: Phase,
    pub status: ChannelStatus,
    pub monthly_budget: f64,
}

fn budget(raw: &str) -> Result<f64, String> {
    let v = raw.trim().replace([' ', '_'], "").replace(',', ".");
    if v.is_empty() {
        return Ok(0.0);
    }
    match v.parse::<f64>() {
        Ok(b) if b.is_finite() && (0.0..=MAX_MONTHLY_BUDGET).contains(&b) => {
            Ok((b * 100.0).round() / 100.0)
        }
        Ok(b) if b < 0.0 => Err("The budget cannot be negative.".into()),
        _ => Err("Enter the budget per month as an amount, like 2500.".into()),
    }
}

impl ChannelDraft {
    pub fn parse(i: &ChannelInput, people: &[Person]) -> Result<ChannelDraft, Invalid> {
        let mut inv = Invalid::new();
        let name = inv.take("name", text::required(&i.name, "the channel's name", 120));
        let owner_id = inv
            .take("owner_id", objective::owner(&i.owner_id, people))
            .flatten();
        let phase = inv.take("phase", Phase::parse(&i.phase));
        let status = inv.take("status", ChannelStatus::parse(&i.status));
        let monthly_budget = inv.take("monthly_budget", budget(&i.monthly_budget));
        inv.into_result(|| ChannelDraft {
            name: name.unwrap_or_default(),
            owner_id,
            phase: phase.unwrap_or(Phase::SegmentMarketing),
            status: status.unwrap_or(ChannelStatus::Testing),
            monthly_budget: monthly_budget.unwrap_or_default(),
        })
    }
}

/// Parses a channel-focus limit as typed.
pub fn parse_limit(raw: &str) -> Result<usize, Invalid> {
    raw.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_FOCUS_LIMIT).contains(n))
        .ok_or_else(|| {
            Invalid::one(
                "limit",
                format!(
                    "Enter how many channels may be active at once, from 1 to {MAX_FOCUS_LIMIT}."
                ),
            )
        })
}

/// The workspace's limit, or the default.
pub fn focus_limit(m: &Model) -> usize {
    m.channel_focus_limit.unwrap_or(DEFAULT_FOCUS_LIMIT)
}

/// The active channels beyond the focus limit: the ones with the smallest budgets, which are
/// the first candidates to pause. Empty when the workspace is within its limit.
pub fn over_limit(m: &Model) -> Vec<&Channel> {
    let mut active: Vec<&Channel> = m
        .channels
        .iter()
        .filter(|c| c.status == ChannelStatus::Active)
        .collect();
    let limit = focus_limit(m);
    if active.len() <= limit {
        return vec![];
    }
    active.sort_by(|a, b| {
        b.monthly_budget
            .total_cmp(&a.monthly_budget)
            .then(a.id.cmp(&b.id))
    });
    active.split_off(limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::tests::person;
    use crate::PersonKind;

    pub(crate) fn channel(id: i64, status: ChannelStatus, budget: f64) -> Channel {
        Channel {
            id,
            name: format!("C{id}"),
            owner_id: Some(1),
            phase: Phase::SegmentMarketing,
            status,
            monthly_budget: budget,
            version: 1,
        }
    }

    #[test]
    fn a_channel_parses_and_bad_input_names_every_field() {
        let people = vec![
            person(1, PersonKind::Internal, 40.0),
            person(2, PersonKind::Agency, 20.0),
        ];
        let i = ChannelInput {
            name: "Paid search".into(),
            owner_id: "1".into(),
            phase: "segment-marketing".into(),
            status: "active".into(),
            monthly_budget: "4 500,50".into(),
        };
        let d = ChannelDraft::parse(&i, &people).unwrap();
        assert_eq!(
            (d.monthly_budget, d.status),
            (4500.5, ChannelStatus::Active)
        );
        let bad = ChannelInput {
            name: "".into(),
            owner_id: "2".into(),
            phase: "tv".into(),
            status: "live".into(),
            monthly_budget: "-3".into(),
        };
        let e = ChannelDraft::parse(&bad, &people).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "owner_id", "phase", "status", "monthly_budget"]
        );
        assert!(e
            .message_for("monthly_budget")
            .unwrap()
            .contains("negative"));
        assert!(parse_limit("0").is_err() && parse_limit("21").is_err());
        assert_eq!(parse_limit(" 4 ").unwrap(), 4);
    }

    #[test]
    fn the_smallest_active_budgets_beyond_the_limit_are_over_it() {
        let mut m = Model {
            channels: vec![
                channel(1, ChannelStatus::Active, 500.0),
                channel(2, ChannelStatus::Active, 9000.0),
                channel(3, ChannelStatus::Testing, 10.0),
                channel(4, ChannelStatus::Active, 3000.0),
                channel(5, ChannelStatus::Active, 100.0),
            ],
            ..Default::default()
        };
        let ids: Vec<i64> = over_limit(&m).iter().map(|c| c.id).collect();
        assert_eq!(ids, [5]);
        m.channel_focus_limit = Some(2);
        let ids: Vec<i64> = over_limit(&m).iter().map(|c| c.id).collect();
        assert_eq!(ids, [1, 5]);
        m.channel_focus_limit = Some(4);
        assert!(over_limit(&m).is_empty());
    }
}

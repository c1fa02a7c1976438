//! Process weight follows risk: what a workflow touches decides how much process it gets.
//!
//! The rule: budget and customer-visible work weigh 2, tracking, lead quality and the sales
//! handoff weigh 1. A score of 0 is lightweight, 1 or 2 standard, 3 or more detailed.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskFlag {
    Budget,
    Tracking,
    LeadQuality,
    SalesHandoff,
    CustomerVisible,
}

impl RiskFlag {
    pub const ALL: [RiskFlag; 5] = [
        RiskFlag::Budget,
        RiskFlag::Tracking,
        RiskFlag::LeadQuality,
        RiskFlag::SalesHandoff,
        RiskFlag::CustomerVisible,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RiskFlag::Budget => "budget",
            RiskFlag::Tracking => "tracking",
            RiskFlag::LeadQuality => "lead_quality",
            RiskFlag::SalesHandoff => "sales_handoff",
            RiskFlag::CustomerVisible => "customer_visible",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskFlag::Budget => "spends budget",
            RiskFlag::Tracking => "changes tracking",
            RiskFlag::LeadQuality => "affects lead quality",
            RiskFlag::SalesHandoff => "touches the sales handoff",
            RiskFlag::CustomerVisible => "is visible to customers",
        }
    }

    pub fn weight(self) -> u32 {
        match self {
            RiskFlag::Budget | RiskFlag::CustomerVisible => 2,
            _ => 1,
        }
    }

    pub fn parse(s: &str) -> Result<RiskFlag, String> {
        RiskFlag::ALL
            .into_iter()
            .find(|f| f.as_str() == s.trim())
            .ok_or_else(|| format!("'{}' is not a risk keel knows: use budget, tracking, lead_quality, sales_handoff or customer_visible.", s.trim()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProcessLevel {
    Lightweight,
    Standard,
    Detailed,
}

impl ProcessLevel {
    pub const ALL: [ProcessLevel; 3] = [
        ProcessLevel::Lightweight,
        ProcessLevel::Standard,
        ProcessLevel::Detailed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProcessLevel::Lightweight => "lightweight",
            ProcessLevel::Standard => "standard",
            ProcessLevel::Detailed => "detailed",
        }
    }

    pub fn parse(s: &str) -> Result<ProcessLevel, String> {
        ProcessLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| "Choose lightweight, standard or detailed.".to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelReason {
    pub level: ProcessLevel,
    pub score: u32,
    pub reason: String,
}

pub fn process_level(flags: &[RiskFlag]) -> LevelReason {
    let mut flags: Vec<RiskFlag> = flags.to_vec();
    flags.sort();
    flags.dedup();
    let score: u32 = flags.iter().map(|f| f.weight()).sum();
    let level = match score {
        0 => ProcessLevel::Lightweight,
        1 | 2 => ProcessLevel::Standard,
        _ => ProcessLevel::Detailed,
    };
    let reason = if flags.is_empty() {
        "It touches no budget, tracking, lead quality, sales handoff or customers: lightweight."
            .to_string()
    } else {
        let parts: Vec<String> = flags
            .iter()
            .map(|f| format!("{} (+{})", f.label(), f.weight()))
            .collect();
        format!(
            "It {}: risk score {score}, so {}.",
            parts.join(", "),
            level.as_str()
        )
    };
    LevelReason {
        level,
        score,
        reason,
    }
}

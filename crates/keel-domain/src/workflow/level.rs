//! How much process a workflow gets, as the team's operating model sets it out:
//!
//! | Level       | When                                                   |
//! |-------------|--------------------------------------------------------|
//! | detailed    | the work affects budget, lead quality or strategy      |
//! | standard    | the work needs review and coordination                 |
//! | lightweight | the work is low-risk and recurring                     |
//!
//! Tracking, the sales handoff and work customers see keep a workflow out of lightweight (they
//! need a review); so do work that needs several people to coordinate (complexity) and work
//! that is not recurring (frequency: a one-off or occasional run has no routine to rely on).
//! The rule is `process_level`; `level/tests.rs` checks it row by row against that table.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskFlag {
    Budget,
    Tracking,
    LeadQuality,
    SalesHandoff,
    CustomerVisible,
    Strategy,
}

impl RiskFlag {
    pub const ALL: [RiskFlag; 6] = [
        RiskFlag::Budget,
        RiskFlag::LeadQuality,
        RiskFlag::Strategy,
        RiskFlag::Tracking,
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
            RiskFlag::Strategy => "strategy",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskFlag::Budget => "spends budget",
            RiskFlag::Tracking => "changes tracking",
            RiskFlag::LeadQuality => "affects lead quality",
            RiskFlag::SalesHandoff => "touches the sales handoff",
            RiskFlag::CustomerVisible => "is visible to customers",
            RiskFlag::Strategy => "shapes strategy (positioning, priorities or targets)",
        }
    }

    /// Budget, lead quality and strategy make a workflow detailed on their own.
    pub fn is_high_stakes(self) -> bool {
        matches!(
            self,
            RiskFlag::Budget | RiskFlag::LeadQuality | RiskFlag::Strategy
        )
    }

    pub fn parse(s: &str) -> Result<RiskFlag, String> {
        RiskFlag::ALL
            .into_iter()
            .find(|f| f.as_str() == s.trim())
            .ok_or_else(|| format!("'{}' is not a risk keel knows: use budget, lead_quality, strategy, tracking, sales_handoff or customer_visible.", s.trim()))
    }
}

/// How often the workflow runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// On a routine: weekly, monthly, every campaign. (Workflows saved before frequency was
    /// asked read as recurring: that is what a workflow was meant to be.)
    #[default]
    Recurring,
    /// Now and then, without a routine.
    Occasional,
    /// Once, or for the first time.
    OneOff,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [
        Frequency::Recurring,
        Frequency::Occasional,
        Frequency::OneOff,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Recurring => "recurring",
            Frequency::Occasional => "occasional",
            Frequency::OneOff => "one_off",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Frequency::Recurring => "Recurring, on a routine",
            Frequency::Occasional => "Now and then",
            Frequency::OneOff => "Once, or for the first time",
        }
    }

    /// Empty means recurring.
    pub fn parse(s: &str) -> Result<Frequency, String> {
        if s.trim().is_empty() {
            return Ok(Frequency::default());
        }
        Frequency::ALL
            .into_iter()
            .find(|f| f.as_str() == s.trim())
            .ok_or_else(|| "Choose how often it runs: recurring, occasional or one_off.".into())
    }
}

/// How many people must line up for the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Complexity {
    /// One person can do it and check it. (Workflows saved before complexity was asked read
    /// as simple, which keeps the level they had.)
    #[default]
    Simple,
    /// Several people, a review or a hand-off.
    Coordinated,
}

impl Complexity {
    pub const ALL: [Complexity; 2] = [Complexity::Simple, Complexity::Coordinated];

    pub fn as_str(self) -> &'static str {
        match self {
            Complexity::Simple => "simple",
            Complexity::Coordinated => "coordinated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Complexity::Simple => "Simple: one person does and checks it",
            Complexity::Coordinated => "Needs review and coordination between people",
        }
    }

    /// Empty means simple.
    pub fn parse(s: &str) -> Result<Complexity, String> {
        if s.trim().is_empty() {
            return Ok(Complexity::default());
        }
        Complexity::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or_else(|| "Choose its complexity: simple or coordinated.".into())
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

/// The level a workflow's risks, frequency and complexity call for, and why in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelReason {
    pub level: ProcessLevel,
    pub reason: String,
}

fn and_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

pub fn process_level(
    flags: &[RiskFlag],
    frequency: Frequency,
    complexity: Complexity,
) -> LevelReason {
    let mut flags: Vec<RiskFlag> = flags.to_vec();
    flags.sort();
    flags.dedup();
    let high: Vec<String> = flags
        .iter()
        .filter(|f| f.is_high_stakes())
        .map(|f| f.label().to_string())
        .collect();
    if !high.is_empty() {
        return LevelReason {
            level: ProcessLevel::Detailed,
            reason: format!(
                "It {}: work that affects budget, lead quality or strategy is detailed.",
                and_list(&high)
            ),
        };
    }
    let mut review: Vec<String> = flags.iter().map(|f| f.label().to_string()).collect();
    if complexity == Complexity::Coordinated {
        review.push("needs review and coordination between people".into());
    }
    match frequency {
        Frequency::Recurring => {}
        Frequency::Occasional => review.push("runs now and then, without a routine".into()),
        Frequency::OneOff => review.push("runs once or for the first time".into()),
    }
    if !review.is_empty() {
        return LevelReason {
            level: ProcessLevel::Standard,
            reason: format!(
                "It {}: standard, with a review and coordination; lightweight is for low-risk recurring work.",
                and_list(&review)
            ),
        };
    }
    LevelReason {
        level: ProcessLevel::Lightweight,
        reason: "It is low-risk and recurring, and one person can do and check it: lightweight."
            .into(),
    }
}

#[cfg(test)]
mod tests;

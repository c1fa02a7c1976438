//! Leads from the CRM, as keel keeps them: where each came from, what it converted on, and what
//! sales said about it. keel does not replace the CRM; it imports what the CRM exports and takes
//! sales feedback, so the team can compare lead quality by source and offer.

use crate::{text, Date, Invalid};
use serde::{Deserialize, Serialize};

pub mod completeness;
pub mod quality;
pub mod report;
pub mod settings;
pub mod spend;
#[cfg(test)]
mod tests;

/// Longest text kept in one lead field; longer values are refused, not cut.
pub const MAX_FIELD: usize = 500;

/// What sales said about a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualification {
    Pending,
    Accepted,
    Rejected,
}

impl Qualification {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualification::Pending => "pending",
            Qualification::Accepted => "accepted",
            Qualification::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Result<Qualification, String> {
        match s.trim().to_lowercase().as_str() {
            "pending" => Ok(Qualification::Pending),
            "accepted" => Ok(Qualification::Accepted),
            "rejected" => Ok(Qualification::Rejected),
            other => Err(format!(
                "Qualification is pending, accepted or rejected (got '{other}')."
            )),
        }
    }
}

/// The reasons sales picks from when it rejects a lead in keel. Imports keep the CRM's own
/// words, which may be anything.
pub const REJECTION_REASONS: &[&str] = &[
    "Not our ideal customer profile",
    "No budget",
    "No need or project",
    "Too small",
    "Wrong region",
    "Student or job seeker",
    "Competitor",
    "Duplicate",
    "Bad contact data",
    "Spam",
];

/// A lead as it may be stored: every field parsed. `qualification` is `None` when the source
/// did not say (an export without qualification columns), so an import never overwrites
/// feedback given in keel with "pending".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct LeadDraft {
    /// The system the record id belongs to: "hubspot", "salesforce", "api", or a name given
    /// to a generic import.
    pub source_system: String,
    pub external_id: String,
    pub created: Date,
    pub source: Option<String>,
    pub source_detail: Option<String>,
    pub campaign: Option<String>,
    pub offer: Option<String>,
    pub channel: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub lead_status: Option<String>,
    pub owner: Option<String>,
    pub qualification: Option<Qualification>,
    pub disqualification_reason: Option<String>,
    pub objection: Option<String>,
    /// Money in cents of the workspace's currency.
    pub pipeline_cents: Option<i64>,
    pub won_cents: Option<i64>,
}

/// A stored lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lead {
    pub id: i64,
    pub source_system: String,
    pub external_id: String,
    pub created: Date,
    pub source: Option<String>,
    pub source_detail: Option<String>,
    pub campaign: Option<String>,
    pub offer: Option<String>,
    pub channel: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub lead_status: Option<String>,
    pub owner: Option<String>,
    pub qualification: Qualification,
    pub disqualification_reason: Option<String>,
    pub objection: Option<String>,
    pub pipeline_cents: Option<i64>,
    pub won_cents: Option<i64>,
    /// When sales last gave feedback in keel (unix seconds).
    pub feedback_at: Option<i64>,
    pub updated_at: i64,
    pub version: i64,
}

/// The month a date falls in, as `yyyymm` (202603): the grain of lead rollups and spend.
pub fn month_of(d: Date) -> i64 {
    let (y, m, _) = d.ymd();
    y * 100 + m as i64
}

/// Parses `YYYY-MM` into `yyyymm`.
pub fn parse_month(s: &str) -> Result<i64, String> {
    let bad = || {
        format!(
            "Enter the month as YYYY-MM, like 2026-03 (got '{}').",
            s.trim()
        )
    };
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 || !(y.chars().chain(m.chars())).all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let (y, m): (i64, i64) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) {
        return Err(bad());
    }
    Ok(y * 100 + m)
}

/// `yyyymm` as `YYYY-MM`.
pub fn month_label(m: i64) -> String {
    format!("{:04}-{:02}", m / 100, m % 100)
}

/// A cleaned optional text field: trimmed, empty as `None`, too long refused.
pub fn field(value: &str, what: &str) -> Result<Option<String>, String> {
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(format!(
            "{what} contains control characters (like NUL); remove them."
        ));
    }
    text::optional(value, what, MAX_FIELD)
}

/// Parses a money amount typed with a decimal point ("1234.50", "1,234.50"), into cents.
/// Imports handle decimal commas themselves (they know the file's convention).
pub fn parse_cents(s: &str, what: &str) -> Result<Option<i64>, String> {
    let t: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != ' ')
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || {
        format!(
            "{what} must be an amount like 1250 or 1250.50 (got '{}').",
            s.trim()
        )
    };
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() && frac.is_empty() || frac.len() > 2 {
        return Err(bad());
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    if w < 0 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let f: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    w.checked_mul(100)
        .and_then(|c| c.checked_add(f))
        .map(Some)
        .ok_or_else(bad)
}

/// A lead as typed in a form or sent as JSON (all text), before parsing.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LeadInput {
    pub external_id: String,
    pub created: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub source_detail: String,
    #[serde(default)]
    pub campaign: String,
    #[serde(default)]
    pub offer: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub lifecycle_stage: String,
    #[serde(default)]
    pub lead_status: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub qualification: String,
    #[serde(default)]
    pub disqualification_reason: String,
    #[serde(default)]
    pub objection: String,
    #[serde(default)]
    pub pipeline_amount: String,
    #[serde(default)]
    pub won_amount: String,
}

impl LeadInput {
    /// Parses every field, reporting all mistakes at once.
    pub fn parse(&self, source_system: &str) -> Result<LeadDraft, Invalid> {
        let mut e = Invalid::new();
        let external_id = e.take(
            "external_id",
            text::required(&self.external_id, "the CRM record id", 200),
        );
        let created = e.take("created", Date::parse(&self.created));
        let mut opt = |name: &str, v: &str, what: &str| e.take(name, field(v, what)).flatten();
        let source = opt("source", &self.source, "Source");
        let source_detail = opt("source_detail", &self.source_detail, "Source detail");
        let campaign = opt("campaign", &self.campaign, "Campaign");
        let offer = opt("offer", &self.offer, "Offer");
        let channel = opt("channel", &self.channel, "Channel");
        let lifecycle_stage = opt("lifecycle_stage", &self.lifecycle_stage, "Lifecycle stage");
        let lead_status = opt("lead_status", &self.lead_status, "Lead status");
        let owner = opt("owner", &self.owner, "Owner");
        let disqualification_reason = opt(
            "disqualification_reason",
            &self.disqualification_reason,
            "Disqualification reason",
        );
        let objection = opt("objection", &self.objection, "Objection");
        let qualification = if self.qualification.trim().is_empty() {
            None
        } else {
            e.take("qualification", Qualification::parse(&self.qualification))
        };
        let pipeline_cents = e
            .take(
                "pipeline_amount",
                parse_cents(&self.pipeline_amount, "Pipeline amount"),
            )
            .flatten();
        let won_cents = e
            .take("won_amount", parse_cents(&self.won_amount, "Won amount"))
            .flatten();
        let system = e.take("source_system", system_name(source_system));
        e.into_result(|| LeadDraft {
            source_system: system.unwrap_or_default(),
            external_id: external_id.unwrap_or_default(),
            created: created.unwrap_or_default(),
            source,
            source_detail,
            campaign,
            offer,
            channel,
            lifecycle_stage,
            lead_status,
            owner,
            qualification,
            disqualification_reason,
            objection,
            pipeline_cents,
            won_cents,
        })
    }
}

/// The name of a source system: lower-case letters, digits and dashes, like a slug.
pub fn system_name(s: &str) -> Result<String, String> {
    let t = s.trim().to_lowercase();
    if t.is_empty() || t.len() > 40 || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!(
            "The source system is a short name of letters, digits and dashes, like 'hubspot' (got '{}').",
            s.trim()
        ));
    }
    Ok(t)
}

/// Sales feedback on one lead: accepted, or rejected with a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub qualification: Qualification,
    pub reason: Option<String>,
    pub objection: Option<String>,
}

impl Feedback {
    /// A rejection needs one of `REJECTION_REASONS`; pending resets the judgement.
    pub fn parse(qualification: &str, reason: &str, objection: &str) -> Result<Feedback, Invalid> {
        let mut e = Invalid::new();
        let q = e.take("qualification", Qualification::parse(qualification));
        let objection = e.take("objection", field(objection, "Objection")).flatten();
        let reason = reason.trim();
        let reason = match q {
            Some(Qualification::Rejected) if reason.is_empty() => {
                e.push("reason", "Pick why the lead was rejected.");
                None
            }
            Some(Qualification::Rejected) => match REJECTION_REASONS
                .iter()
                .find(|r| r.eq_ignore_ascii_case(reason))
            {
                Some(r) => Some(r.to_string()),
                None => {
                    e.push(
                        "reason",
                        format!("'{reason}' is not one of the rejection reasons."),
                    );
                    None
                }
            },
            _ => None,
        };
        e.into_result(|| Feedback {
            qualification: q.unwrap_or(Qualification::Pending),
            reason,
            objection,
        })
    }
}

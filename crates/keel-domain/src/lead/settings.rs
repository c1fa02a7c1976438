//! The workspace's own thresholds for lead quality: below which acceptance rate a source ×
//! offer pair is a poor fit, the share of leads each CRM field should reach, how long a lead
//! may wait for sales feedback, and which lead sources are sales' own (so pipeline
//! contribution counts the rest as marketing's). Until a workspace sets them, keel's
//! defaults apply.

use super::completeness::DEFAULT_BAR;
use super::quality::DEFAULT_POOR_FIT_BELOW;
use crate::Invalid;
use serde::Serialize;

/// Leads wait at most this many days for sales feedback, unless the workspace says otherwise.
pub const DEFAULT_PENDING_DAYS: i64 = 14;
/// The longest wait a workspace may set, in days.
pub const MAX_PENDING_DAYS: i64 = 365;

/// The thresholds the lead-quality page, its API and the health rules judge by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadSettings {
    /// A source × offer pair is a poor fit when even the top of its acceptance rate's 95%
    /// interval is below this share (0–1).
    pub poor_fit_below: f64,
    /// The share of leads each CRM field should be set on (0–1).
    pub completeness_bar: f64,
    /// Leads pending feedback for longer than this many days are a finding.
    pub pending_days: i64,
    /// Lead sources that are sales' own work (outbound prospecting, say): pipeline from
    /// every other source is marketing's. Empty: all of it is.
    pub sales_sources: Vec<String>,
    /// 0 until the workspace first sets them.
    pub version: i64,
}

impl Default for LeadSettings {
    fn default() -> Self {
        LeadSettings {
            poor_fit_below: DEFAULT_POOR_FIT_BELOW,
            completeness_bar: DEFAULT_BAR,
            pending_days: DEFAULT_PENDING_DAYS,
            sales_sources: Vec::new(),
            version: 0,
        }
    }
}

/// Thresholds as they may be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadSettingsDraft {
    pub poor_fit_below: f64,
    pub completeness_bar: f64,
    pub pending_days: i64,
    pub sales_sources: Vec<String>,
}

/// Sources as typed, one per line or separated by commas, at most as long as one lead field
/// in all; blanks and repeats (in any case) dropped.
fn sources(raw: &str) -> Result<Vec<String>, String> {
    let raw = super::field(raw, "The list of sales-sourced lead sources")?.unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    for s in raw
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
            out.push(s.to_string());
        }
    }
    Ok(out)
}

/// A whole percent from `min` to `max` as typed ("40" or "40%"), as a share.
fn share(raw: &str, min: u32, max: u32, what: &str, example: u32) -> Result<f64, String> {
    raw.trim()
        .trim_end_matches('%')
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .map(|n| f64::from(n) / 100.0)
        .ok_or_else(|| {
            format!("Enter {what} as a whole percent from {min} to {max}, like {example}.")
        })
}

impl LeadSettingsDraft {
    /// Parses the form's (or the API's) values; each wrong one gets its own message.
    pub fn parse(
        poor_fit: &str,
        bar: &str,
        days: &str,
        sales_sources: &str,
    ) -> Result<LeadSettingsDraft, Invalid> {
        let mut e = Invalid::new();
        let p = e.take(
            "poor_fit_below",
            share(poor_fit, 1, 99, "the acceptance rate", 40),
        );
        let b = e.take("completeness_bar", share(bar, 1, 100, "the bar", 90));
        let d = e.take(
            "pending_days",
            days.trim()
                .parse::<i64>()
                .ok()
                .filter(|d| (1..=MAX_PENDING_DAYS).contains(d))
                .ok_or_else(|| {
                    format!(
                        "Enter the wait as a whole number of days from 1 to {MAX_PENDING_DAYS}, like 14."
                    )
                }),
        );
        let s = e.take("sales_sources", sources(sales_sources));
        e.into_result(|| LeadSettingsDraft {
            poor_fit_below: p.unwrap_or_default(),
            completeness_bar: b.unwrap_or_default(),
            pending_days: d.unwrap_or_default(),
            sales_sources: s.unwrap_or_default(),
        })
    }
}

impl LeadSettings {
    /// The values as a form shows them: whole percents, days, one source a line.
    pub fn as_typed(&self) -> (String, String, String, String) {
        (
            format!("{:.0}", self.poor_fit_below * 100.0),
            format!("{:.0}", self.completeness_bar * 100.0),
            self.pending_days.to_string(),
            self.sales_sources.join("\n"),
        )
    }

    /// Whether leads from `source` are sales' own (any case).
    pub fn is_sales_source(&self, source: &str) -> bool {
        self.sales_sources
            .iter()
            .any(|s| s.eq_ignore_ascii_case(source.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_parse_as_percents_days_and_sources() {
        let d =
            LeadSettingsDraft::parse("35%", " 80 ", "7", "Outbound, SDR\noutbound\n\n").unwrap();
        assert_eq!(
            (d.poor_fit_below, d.completeness_bar, d.pending_days),
            (0.35, 0.8, 7)
        );
        assert_eq!(d.sales_sources, ["Outbound", "SDR"]);
        let s = LeadSettings {
            poor_fit_below: 0.35,
            completeness_bar: 0.8,
            pending_days: 7,
            sales_sources: d.sales_sources,
            version: 1,
        };
        assert_eq!(
            s.as_typed(),
            ("35".into(), "80".into(), "7".into(), "Outbound\nSDR".into())
        );
        assert!(s.is_sales_source("sdr") && !s.is_sales_source("Referrals"));
        assert_eq!(
            LeadSettings::default().as_typed(),
            ("40".into(), "90".into(), "14".into(), String::new())
        );
    }

    #[test]
    fn each_wrong_threshold_says_what_to_type() {
        let long = "x".repeat(501);
        let e = LeadSettingsDraft::parse("0", "101", "two weeks", &long).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "poor_fit_below",
                "completeness_bar",
                "pending_days",
                "sales_sources"
            ]
        );
        assert!(e
            .message_for("poor_fit_below")
            .unwrap()
            .contains("from 1 to 99"));
        assert!(e.message_for("pending_days").unwrap().contains("days"));
        assert!(LeadSettingsDraft::parse("40", "90", "366", "").is_err());
        assert!(LeadSettingsDraft::parse("12.5", "90", "14", "").is_err());
    }
}

//! Health rules about leads: CRM fields below the completeness bar, source × offer pairs that
//! are a poor fit with enough leads to be sure, channels with spend and no leads, and leads
//! waiting too long for sales feedback. They read `LeadFacts`, which the store builds from
//! lead rollups (never from the leads themselves).

use super::{Finding, Model, Rule, Subject};
use crate::lead::completeness::Filled;
use crate::lead::month_label;
use crate::lead::quality::Counts;
use crate::lead::settings::LeadSettings;
use crate::Date;
/// Completeness is judged once there are this many leads (fewer say little).
pub const MIN_LEADS_FOR_COMPLETENESS: i64 = 20;

/// What the lead rules read about a workspace's recent leads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeadFacts {
    pub filled: Filled,
    /// (source, offer, counts); '' when not set.
    pub pairs: Vec<(String, String, Counts)>,
    /// (channel, month yyyymm, spend in cents, leads from the channel that month), for
    /// months that are over.
    pub channel_months: Vec<(String, i64, i64, i64)>,
    /// Leads pending feedback for longer than `settings.pending_days`, and the oldest one's date.
    pub pending_too_long: i64,
    pub oldest_pending: Option<Date>,
    /// The workspace's thresholds (keel's defaults until it sets its own).
    pub settings: LeadSettings,
    /// The last year's leads month by month, for the metrics keel computes from them.
    pub months: Vec<LeadMonth>,
}

/// One month of leads (created that month): counts and pipeline by source, and how complete
/// their CRM fields are.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeadMonth {
    /// `yyyymm`.
    pub month: i64,
    pub by_source: Vec<(String, Counts)>,
    pub filled: Filled,
}

fn money(cents: i64) -> String {
    let whole = (cents / 100).to_string();
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(super) fn completeness_below_bar(m: &Model, r: &Rule) -> Vec<Finding> {
    if m.leads.filled.leads < MIN_LEADS_FOR_COMPLETENESS {
        return vec![];
    }
    m.leads
        .filled
        .shares(m.leads.settings.completeness_bar)
        .into_iter()
        .enumerate()
        .filter(|(_, f)| f.below_bar)
        .map(|(i, f)| {
            r.finding(
                Subject { kind: "crm-field", id: i as i64, label: f.label.to_string() },
                format!(
                    "{} is set on {} of {} leads ({:.0}%), below the {:.0}% bar.",
                    f.label,
                    f.filled,
                    f.of,
                    f.share.unwrap_or(0.0) * 100.0,
                    m.leads.settings.completeness_bar * 100.0
                ),
                "Make the field required where leads are captured (forms, imports, the CRM), and fill it in for open leads.",
            )
        })
        .collect()
}

pub(super) fn poor_fit_pair(m: &Model, r: &Rule) -> Vec<Finding> {
    m.leads
        .pairs
        .iter()
        .enumerate()
        .filter(|(_, (_, _, c))| c.is_poor_fit(m.leads.settings.poor_fit_below))
        .map(|(i, (source, offer, c))| {
            let (lo, hi) = c.acceptance_interval().unwrap_or_default();
            let name = |s: &str| if s.is_empty() { "(not set)".to_string() } else { s.to_string() };
            r.finding(
                Subject { kind: "lead-pair", id: i as i64, label: format!("{} × {}", name(source), name(offer)) },
                format!(
                    "Sales accepted {} of {} judged leads ({:.0}%; 95% interval {:.0}–{:.0}%), below {:.0}%.",
                    c.accepted,
                    c.judged(),
                    c.acceptance_rate().unwrap_or(0.0) * 100.0,
                    lo * 100.0,
                    hi * 100.0,
                    m.leads.settings.poor_fit_below * 100.0
                ),
                "The audience or the qualification logic is weak: look first at the messaging, the form, and sales' rejection reasons for this pair.",
            )
        })
        .collect()
}

pub(super) fn spend_without_leads(m: &Model, r: &Rule) -> Vec<Finding> {
    m.leads
        .channel_months
        .iter()
        .enumerate()
        .filter(|(_, (_, _, spend, leads))| *spend > 0 && *leads == 0)
        .map(|(i, (channel, month, spend, _))| {
            r.finding(
                Subject { kind: "channel", id: i as i64, label: channel.clone() },
                format!("{} was spent on {channel} in {} and no lead came from it.", money(*spend), month_label(*month)),
                "Check the tracking (UTM rules, the source field on forms) before judging the channel; if leads really are missing, pause or fix it.",
            )
        })
        .collect()
}

pub(super) fn feedback_pending_too_long(m: &Model, r: &Rule) -> Vec<Finding> {
    if m.leads.pending_too_long == 0 {
        return vec![];
    }
    let since = m
        .leads
        .oldest_pending
        .map(|d| format!(" (the oldest since {d})"))
        .unwrap_or_default();
    vec![r.finding(
        Subject { kind: "leads", id: 0, label: "Sales feedback queue".into() },
        format!(
            "{} leads have waited more than {} days for sales feedback{since}.",
            m.leads.pending_too_long, m.leads.settings.pending_days
        ),
        "Ask sales to work the feedback queue, and agree a weekly slot for it; without feedback, lead quality cannot be judged.",
    )]
}

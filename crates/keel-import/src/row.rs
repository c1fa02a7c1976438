//! One row of an export into a lead, or an error naming its line, column, value and reason.

use crate::reader::{ragged, Shape};
use crate::{dates, numbers, RowError};
use csv::ByteRecord;
use keel_domain::lead::{field, LeadDraft, Qualification};
use keel_domain::text;

pub(crate) fn to_lead(shape: &Shape, r: &ByteRecord) -> Result<(u64, LeadDraft), RowError> {
    let line = r.position().map(|p| p.line()).unwrap_or(0);
    let width = shape.headers.len();
    let extra = r
        .iter()
        .skip(width)
        .any(|c| !c.iter().all(u8::is_ascii_whitespace));
    // A spreadsheet leaves trailing empty cells out: a short row there is not broken.
    if extra || (r.len() < width && shape.sheet.is_none()) {
        return Err(ragged(r, width));
    }
    let err = |col: usize, value: &str, reason: String| RowError {
        line,
        column: Some(shape.headers[col].trim().to_string()),
        value: Some(crate::shorten(value)),
        reason,
    };
    // Text of a mapped field ("" when unmapped or past a short row).
    let get = |f: &str| -> Result<(Option<usize>, String), RowError> {
        let Some(c) = shape.columns.get(f) else {
            return Ok((None, String::new()));
        };
        let bytes = r.get(c).unwrap_or_default();
        match std::str::from_utf8(bytes) {
            Ok(v) => Ok((Some(c), v.to_string())),
            Err(_) => Err(err(
                c,
                &String::from_utf8_lossy(bytes),
                "the value is not valid UTF-8 text (was the file saved in another encoding?)"
                    .into(),
            )),
        }
    };
    let text_field = |f: &str, what: &str| -> Result<Option<String>, RowError> {
        let (c, v) = get(f)?;
        field(&v, what).map_err(|m| err(c.unwrap_or(0), &v, m))
    };
    let (c, id) = get("external_id")?;
    let external_id =
        text::required(&id, "the record id", 200).map_err(|m| err(c.unwrap_or(0), &id, m))?;
    let (c, created) = get("created")?;
    let created_on = dates::parse(&created, shape.dates, &shape.zone).map_err(|m| {
        let m = if created.trim().is_empty() {
            "the lead has no create date".to_string()
        } else {
            m
        };
        err(c.unwrap_or(0), &created, m)
    })?;
    let amount = |f: &str| -> Result<Option<i64>, RowError> {
        let (c, v) = get(f)?;
        numbers::cents(&v, shape.decimal).map_err(|m| err(c.unwrap_or(0), &v, m))
    };
    let mut lead = LeadDraft {
        source_system: shape.profile.system.clone(),
        external_id,
        created: created_on,
        source: text_field("source", "Source")?,
        source_detail: text_field("source_detail", "Source detail")?,
        campaign: text_field("campaign", "Campaign")?,
        offer: text_field("offer", "Offer")?,
        channel: text_field("channel", "Channel")?,
        lifecycle_stage: text_field("lifecycle_stage", "Lifecycle stage")?,
        lead_status: text_field("lead_status", "Lead status")?,
        owner: text_field("owner", "Owner")?,
        qualification: None,
        disqualification_reason: text_field("disqualification_reason", "Disqualification reason")?,
        objection: text_field("objection", "Objection")?,
        pipeline_cents: amount("pipeline_amount")?,
        won_cents: amount("won_amount")?,
    };
    let (c, q) = get("qualification")?;
    lead.qualification = match q.trim().to_lowercase().as_str() {
        "" => None,
        "accepted" | "accept" | "yes" | "qualified" | "sql" => Some(Qualification::Accepted),
        "rejected" | "reject" | "no" | "unqualified" | "disqualified" => {
            Some(Qualification::Rejected)
        }
        "pending" => Some(Qualification::Pending),
        _ => {
            return Err(err(
                c.unwrap_or(0),
                &q,
                "qualification is accepted, rejected or pending".into(),
            ))
        }
    };
    if lead.qualification.is_none() {
        lead.qualification = shape.profile.judge(|f| match f {
            "lead_status" => lead.lead_status.clone(),
            "lifecycle_stage" => lead.lifecycle_stage.clone(),
            _ => None,
        });
    }
    Ok((line, lead))
}

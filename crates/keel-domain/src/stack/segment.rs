//! Market segments: who the team sells to, their needs, the drivers of value, the competing
//! alternatives, and the evidence behind it with the day it was gathered.

use super::long;
use crate::{text, Date, Invalid};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    pub id: i64,
    pub name: String,
    pub needs: Option<String>,
    pub value_drivers: Option<String>,
    pub alternatives: Option<String>,
    pub evidence: Option<String>,
    pub evidence_date: Option<Date>,
    pub version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct SegmentInput {
    pub name: String,
    pub needs: String,
    pub value_drivers: String,
    pub alternatives: String,
    pub evidence: String,
    pub evidence_date: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SegmentDraft {
    pub name: String,
    pub needs: Option<String>,
    pub value_drivers: Option<String>,
    pub alternatives: Option<String>,
    pub evidence: Option<String>,
    pub evidence_date: Option<Date>,
}

impl SegmentDraft {
    /// Evidence needs the day it was gathered (knowledge ages), and that day has passed.
    pub fn parse(i: &SegmentInput, today: Date) -> Result<SegmentDraft, Invalid> {
        let mut inv = Invalid::new();
        let name = inv.take("name", text::required(&i.name, "the segment's name", 120));
        let needs = inv.take("needs", long(&i.needs, "the needs")).flatten();
        let value_drivers = inv
            .take("value_drivers", long(&i.value_drivers, "the value drivers"))
            .flatten();
        let alternatives = inv
            .take(
                "alternatives",
                long(&i.alternatives, "the competing alternatives"),
            )
            .flatten();
        let evidence = inv
            .take("evidence", long(&i.evidence, "the evidence"))
            .flatten();
        let evidence_date = if i.evidence_date.trim().is_empty() {
            None
        } else {
            inv.take("evidence_date", Date::parse(&i.evidence_date))
        };
        if evidence_date.is_some_and(|d| d > today) {
            inv.push(
                "evidence_date",
                "Evidence cannot be dated in the future; enter the day it was gathered.",
            );
        }
        if evidence.is_some() && evidence_date.is_none() && i.evidence_date.trim().is_empty() {
            inv.push(
                "evidence_date",
                "Enter the day this evidence was gathered, so readers know how old it is.",
            );
        }
        if evidence.is_none() && evidence_date.is_some() {
            inv.push("evidence", "Say what the evidence is, or clear its date.");
        }
        inv.into_result(|| SegmentDraft {
            name: name.unwrap_or_default(),
            needs,
            value_drivers,
            alternatives,
            evidence,
            evidence_date,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_carries_its_date_and_bad_input_names_each_field() {
        let today = Date::parse("2026-12-01").unwrap();
        let i = SegmentInput {
            name: "Mid-market manufacturers".into(),
            needs: "Fewer unplanned stops\nAudit-ready records".into(),
            evidence: "14 win/loss interviews".into(),
            evidence_date: "2026-09-15".into(),
            ..Default::default()
        };
        let d = SegmentDraft::parse(&i, today).unwrap();
        assert_eq!(d.evidence_date, Some(Date::parse("2026-09-15").unwrap()));
        assert_eq!(
            d.needs.as_deref(),
            Some("Fewer unplanned stops\nAudit-ready records")
        );
        let undated = SegmentInput {
            evidence_date: String::new(),
            ..i.clone()
        };
        let e = SegmentDraft::parse(&undated, today).unwrap_err();
        assert!(e.message_for("evidence_date").unwrap().contains("gathered"));
        let bad = SegmentInput {
            name: " ".into(),
            evidence: String::new(),
            evidence_date: "2027-02-01".into(),
            ..Default::default()
        };
        let e = SegmentDraft::parse(&bad, today).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "evidence_date", "evidence"]);
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    pub fn segment(id: i64, name: &str) -> Segment {
        Segment {
            id,
            name: name.into(),
            needs: None,
            value_drivers: None,
            alternatives: None,
            evidence: None,
            evidence_date: None,
            version: 1,
        }
    }
}

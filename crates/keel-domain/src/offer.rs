//! Offers: what a lead converts on (a demo, a trial, a guide, a webinar, an assessment…), who
//! it is for, one internal owner, a status, and the channels that carry it.

use crate::health::Model;
use crate::{objective, text, Invalid};
use serde::{Deserialize, Serialize};

/// Channels one offer may name.
pub const MAX_CHANNELS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OfferKind {
    Demo,
    Trial,
    Guide,
    Webinar,
    Assessment,
    Consultation,
    Other,
}

impl OfferKind {
    pub const ALL: &'static [OfferKind] = &[
        OfferKind::Demo,
        OfferKind::Trial,
        OfferKind::Guide,
        OfferKind::Webinar,
        OfferKind::Assessment,
        OfferKind::Consultation,
        OfferKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OfferKind::Demo => "demo",
            OfferKind::Trial => "trial",
            OfferKind::Guide => "guide",
            OfferKind::Webinar => "webinar",
            OfferKind::Assessment => "assessment",
            OfferKind::Consultation => "consultation",
            OfferKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<OfferKind, String> {
        let s = s.trim().to_lowercase();
        OfferKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                "Choose demo, trial, guide, webinar, assessment, consultation or other.".into()
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OfferStatus {
    Planned,
    Active,
    Retired,
}

impl OfferStatus {
    pub const ALL: &'static [OfferStatus] = &[
        OfferStatus::Planned,
        OfferStatus::Active,
        OfferStatus::Retired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OfferStatus::Planned => "planned",
            OfferStatus::Active => "active",
            OfferStatus::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Result<OfferStatus, String> {
        let s = s.trim().to_lowercase();
        OfferStatus::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| "Choose planned, active or retired.".into())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    pub id: i64,
    pub name: String,
    pub kind: OfferKind,
    /// The segment or persona it is for, in words (until the strategy stack holds them).
    pub audience: Option<String>,
    pub owner_id: Option<i64>,
    pub status: OfferStatus,
    /// The channels that carry it, by id.
    pub channel_ids: Vec<i64>,
    pub version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct OfferInput {
    pub name: String,
    pub kind: String,
    pub audience: String,
    pub owner_id: String,
    pub status: String,
    pub channel_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfferDraft {
    pub name: String,
    pub kind: OfferKind,
    pub audience: Option<String>,
    pub owner_id: Option<i64>,
    pub status: OfferStatus,
    pub channel_ids: Vec<i64>,
}

impl OfferDraft {
    /// Parses an offer against the author's view: the owner internal, every channel one the
    /// author sees (each once).
    pub fn parse(i: &OfferInput, m: &Model) -> Result<OfferDraft, Invalid> {
        let mut inv = Invalid::new();
        let name = inv.take("name", text::required(&i.name, "the offer's name", 120));
        let kind = inv.take("kind", OfferKind::parse(&i.kind));
        let audience = inv
            .take(
                "audience",
                text::optional(&i.audience, "who it is for", 200),
            )
            .flatten();
        let owner_id = inv
            .take("owner_id", objective::owner(&i.owner_id, &m.people))
            .flatten();
        let status = inv.take("status", OfferStatus::parse(&i.status));
        let mut channel_ids: Vec<i64> = Vec::new();
        for raw in i
            .channel_ids
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match raw
                .parse::<i64>()
                .ok()
                .filter(|id| m.channels.iter().any(|c| c.id == *id))
            {
                Some(id) if !channel_ids.contains(&id) => channel_ids.push(id),
                Some(_) => {}
                None => {
                    inv.push("channel_ids", "Choose the channels from the list.");
                    break;
                }
            }
        }
        if channel_ids.len() > MAX_CHANNELS {
            inv.push(
                "channel_ids",
                format!("Name at most {MAX_CHANNELS} channels."),
            );
        }
        channel_ids.sort_unstable();
        inv.into_result(|| OfferDraft {
            name: name.unwrap_or_default(),
            kind: kind.unwrap_or(OfferKind::Other),
            audience,
            owner_id,
            status: status.unwrap_or(OfferStatus::Planned),
            channel_ids,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::{Channel, ChannelStatus, Phase};
    use crate::objective::tests::person;
    use crate::PersonKind;

    fn channel(id: i64) -> Channel {
        Channel {
            id,
            name: format!("C{id}"),
            owner_id: Some(1),
            phase: Phase::SegmentMarketing,
            status: ChannelStatus::Active,
            monthly_budget: 0.0,
            version: 1,
        }
    }

    #[test]
    fn an_offer_parses_and_bad_input_names_every_field() {
        let m = Model {
            people: vec![
                person(1, PersonKind::Internal, 40.0),
                person(2, PersonKind::Agency, 20.0),
            ],
            channels: vec![channel(3), channel(4)],
            ..Default::default()
        };
        let i = OfferInput {
            name: "ROI assessment".into(),
            kind: "Assessment".into(),
            audience: "Operations leads at mid-market manufacturers".into(),
            owner_id: "1".into(),
            status: "active".into(),
            channel_ids: vec!["4".into(), "3".into(), "4".into(), " ".into()],
        };
        let d = OfferDraft::parse(&i, &m).unwrap();
        assert_eq!((d.kind, d.channel_ids), (OfferKind::Assessment, vec![3, 4]));
        let bad = OfferInput {
            name: "".into(),
            kind: "coupon".into(),
            owner_id: "2".into(),
            status: "live".into(),
            channel_ids: vec!["99".into()],
            ..Default::default()
        };
        let e = OfferDraft::parse(&bad, &m).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "kind", "owner_id", "status", "channel_ids"]
        );
    }
}

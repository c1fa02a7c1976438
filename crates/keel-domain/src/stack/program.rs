//! Tactics programs: what the team runs in one of the four phases (segment marketing, lead
//! nurturing, sales enablement, customer marketing), with an owner, a goal, and the channels,
//! offers and workflows it uses.

use super::{long, picked};
use crate::channel::Phase;
use crate::health::Model;
use crate::{objective, text, Invalid};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Program {
    pub id: i64,
    pub name: String,
    pub phase: Phase,
    pub owner_id: Option<i64>,
    pub goal: Option<String>,
    pub channel_ids: Vec<i64>,
    pub offer_ids: Vec<i64>,
    pub workflow_ids: Vec<i64>,
    pub version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct ProgramInput {
    pub name: String,
    pub phase: String,
    pub owner_id: String,
    pub goal: String,
    pub channel_ids: Vec<String>,
    pub offer_ids: Vec<String>,
    pub workflow_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProgramDraft {
    pub name: String,
    pub phase: Phase,
    pub owner_id: Option<i64>,
    pub goal: Option<String>,
    pub channel_ids: Vec<i64>,
    pub offer_ids: Vec<i64>,
    pub workflow_ids: Vec<i64>,
}

impl ProgramDraft {
    /// Parses a program against the author's view: an internal owner, and only channels,
    /// offers and workflows the author sees.
    pub fn parse(i: &ProgramInput, m: &Model) -> Result<ProgramDraft, Invalid> {
        let mut inv = Invalid::new();
        let name = inv.take("name", text::required(&i.name, "the program's name", 120));
        let phase = inv.take("phase", Phase::parse(&i.phase));
        let owner_id = inv
            .take("owner_id", objective::owner(&i.owner_id, &m.people))
            .flatten();
        let goal = inv
            .take("goal", long(&i.goal, "the program's goal"))
            .flatten();
        let ids = |v: &[i64]| v.to_vec();
        let channel_ids = inv.take(
            "channel_ids",
            picked(
                &i.channel_ids,
                &ids(&m.channels.iter().map(|c| c.id).collect::<Vec<_>>()),
                "channels",
            ),
        );
        let offer_ids = inv.take(
            "offer_ids",
            picked(
                &i.offer_ids,
                &m.offers.iter().map(|o| o.id).collect::<Vec<_>>(),
                "offers",
            ),
        );
        let workflow_ids = inv.take(
            "workflow_ids",
            picked(
                &i.workflow_ids,
                &m.workflows.iter().map(|w| w.id).collect::<Vec<_>>(),
                "workflows",
            ),
        );
        inv.into_result(|| ProgramDraft {
            name: name.unwrap_or_default(),
            phase: phase.unwrap_or(Phase::SegmentMarketing),
            owner_id,
            goal,
            channel_ids: channel_ids.unwrap_or_default(),
            offer_ids: offer_ids.unwrap_or_default(),
            workflow_ids: workflow_ids.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::{Channel, ChannelStatus};
    use crate::objective::tests::person;
    use crate::PersonKind;

    #[test]
    fn a_program_links_only_what_its_author_sees() {
        let m = Model {
            people: vec![
                person(1, PersonKind::Internal, 40.0),
                person(2, PersonKind::Agency, 20.0),
            ],
            channels: vec![Channel {
                id: 3,
                name: "Email".into(),
                owner_id: Some(1),
                phase: Phase::LeadNurturing,
                status: ChannelStatus::Active,
                monthly_budget: 0.0,
                version: 1,
            }],
            ..Default::default()
        };
        let i = ProgramInput {
            name: "Trial nurture".into(),
            phase: "lead-nurturing".into(),
            owner_id: "1".into(),
            channel_ids: vec!["3".into(), "3".into()],
            ..Default::default()
        };
        let d = ProgramDraft::parse(&i, &m).unwrap();
        assert_eq!((d.phase, d.channel_ids), (Phase::LeadNurturing, vec![3]));
        let bad = ProgramInput {
            phase: "awareness".into(),
            owner_id: "2".into(),
            channel_ids: vec!["4".into()],
            offer_ids: vec!["1".into()],
            workflow_ids: vec!["x".into()],
            ..Default::default()
        };
        let e = ProgramDraft::parse(&bad, &m).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "phase",
                "owner_id",
                "channel_ids",
                "offer_ids",
                "workflow_ids"
            ]
        );
    }
}

//! The message map: for each persona and buying stage, the message, the proof point that backs
//! it and the asset that carries it. A cell without a message is empty, and shown as such.

use super::{long, Persona, Stack};
use crate::Invalid;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageCell {
    pub persona_id: i64,
    /// The stage's position in the buying stages, from 0.
    pub stage: usize,
    pub message: Option<String>,
    pub proof_point: Option<String>,
    pub asset: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct MessageInput {
    pub stage: String,
    pub message: String,
    pub proof_point: String,
    pub asset: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MessageDraft {
    pub stage: usize,
    pub message: Option<String>,
    pub proof_point: Option<String>,
    pub asset: Option<String>,
}

impl MessageDraft {
    /// `stages` are the workspace's buying stages. A proof point or asset without a message is
    /// refused: the message is what the cell is for. All three empty clears the cell.
    pub fn parse(i: &MessageInput, stages: &[String]) -> Result<MessageDraft, Invalid> {
        let mut inv = Invalid::new();
        let stage = inv.take(
            "stage",
            i.stage
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|s| *s < stages.len())
                .ok_or_else(|| {
                    format!(
                        "Choose one of the {} buying stages (0 to {}).",
                        stages.len(),
                        stages.len().saturating_sub(1)
                    )
                }),
        );
        let message = inv
            .take("message", long(&i.message, "the message"))
            .flatten();
        let proof_point = inv
            .take("proof_point", long(&i.proof_point, "the proof point"))
            .flatten();
        let asset = inv
            .take("asset", crate::text::optional(&i.asset, "the asset", 300))
            .flatten();
        if message.is_none() && (proof_point.is_some() || asset.is_some()) {
            inv.push(
                "message",
                "Write the message this proof point or asset supports, or clear them all to empty the cell.",
            );
        }
        inv.into_result(|| MessageDraft {
            stage: stage.unwrap_or_default(),
            message,
            proof_point,
            asset,
        })
    }

    /// Saving an empty draft removes the cell.
    pub fn is_empty(&self) -> bool {
        self.message.is_none()
    }
}

/// One persona's row of the map: a cell per stage, `None` where nothing is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapRow {
    pub persona: Persona,
    pub cells: Vec<Option<MessageCell>>,
}

impl MapRow {
    pub fn empty(&self) -> usize {
        self.cells.iter().filter(|c| c.is_none()).count()
    }
}

/// The message map, primary personas first, with a cell for every stage.
pub fn map(s: &Stack) -> Vec<MapRow> {
    let n = s.stages().len();
    let mut personas: Vec<&Persona> = s.personas.iter().collect();
    personas.sort_by_key(|p| (!p.primary, p.name.to_lowercase(), p.id));
    personas
        .into_iter()
        .map(|p| MapRow {
            persona: p.clone(),
            cells: (0..n)
                .map(|stage| {
                    s.messages
                        .iter()
                        .find(|c| c.persona_id == p.id && c.stage == stage && c.message.is_some())
                        .cloned()
                })
                .collect(),
        })
        .collect()
}

/// The stages a persona has no message for, by name.
pub fn empty_stages(s: &Stack, persona_id: i64) -> Vec<String> {
    s.stages()
        .into_iter()
        .enumerate()
        .filter(|(i, _)| {
            !s.messages
                .iter()
                .any(|c| c.persona_id == persona_id && c.stage == *i && c.message.is_some())
        })
        .map(|(_, name)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn persona(id: i64, primary: bool) -> Persona {
        Persona {
            id,
            segment_id: 1,
            name: format!("P{id}"),
            primary,
            goals: None,
            pains: None,
            objections: None,
            version: 1,
        }
    }

    fn cell(persona_id: i64, stage: usize) -> MessageCell {
        MessageCell {
            persona_id,
            stage,
            message: Some("m".into()),
            proof_point: None,
            asset: None,
            version: 1,
        }
    }

    #[test]
    fn the_map_has_a_cell_per_stage_and_shows_the_empty_ones() {
        let s = Stack {
            personas: vec![persona(1, false), persona(2, true)],
            messages: vec![cell(2, 0), cell(2, 5), cell(1, 1)],
            ..Default::default()
        };
        let rows = map(&s);
        assert_eq!(rows[0].persona.id, 2, "primary first");
        assert_eq!(rows[0].cells.len(), 6);
        assert_eq!((rows[0].empty(), rows[1].empty()), (4, 5));
        assert_eq!(
            empty_stages(&s, 2),
            [
                "Pain recognized",
                "Exploring solutions",
                "Selecting a vendor",
                "Validating"
            ]
        );
    }

    #[test]
    fn a_cell_needs_its_message_and_a_stage_that_exists() {
        let stages: Vec<String> = ["A", "B"].iter().map(|s| s.to_string()).collect();
        let e = MessageDraft::parse(
            &MessageInput {
                stage: "2".into(),
                proof_point: "Cut audit prep from 9 days to 2".into(),
                ..Default::default()
            },
            &stages,
        )
        .unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["stage", "message"]);
        let cleared = MessageDraft::parse(
            &MessageInput {
                stage: "1".into(),
                ..Default::default()
            },
            &stages,
        )
        .unwrap();
        assert!(cleared.is_empty());
    }
}

//! The strategy stack: four layers, slowest at the bottom (market knowledge, business
//! strategy, buyer tools, tactics), each with its own planning cycle, owner and last review.
//!
//! - `layer.rs`: a layer's settings (owner, cycle, last reviewed, goals) and what only one
//!   layer holds (the revenue goal and go-to-market choices; the buying stages).
//! - `segment.rs`, `persona.rs`: market segments with needs, value drivers, competing
//!   alternatives and dated evidence; personas per segment with goals, pains and objections.
//! - `message.rs`: the message map (persona × buying stage) with its empty cells.
//! - `program.rs`: tactics programs in the four phases, linked to channels, offers, workflows.
//! - `cascade.rs`: what the faster layers above learned since a layer's last review.

use serde::Serialize;

pub mod cascade;
pub mod layer;
pub mod message;
pub mod persona;
pub mod program;
pub mod segment;

pub use crate::objective::Layer;
pub use layer::{Cycle, LayerDraft, LayerInput, LayerSettings};
pub use message::{MessageCell, MessageDraft, MessageInput};
pub use persona::{Persona, PersonaDraft, PersonaInput};
pub use program::{Program, ProgramDraft, ProgramInput};
pub use segment::{Segment, SegmentDraft, SegmentInput};

/// Long texts (needs, pains, messages) may hold a few paragraphs, not a document.
pub const MAX_TEXT: usize = 2000;

/// Everything the stack holds for one workspace. `layers` holds only the layers someone saved;
/// `Stack::layer` fills in the defaults for the others.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stack {
    pub layers: Vec<LayerSettings>,
    pub segments: Vec<Segment>,
    pub personas: Vec<Persona>,
    /// Sorted by (persona, stage).
    pub messages: Vec<MessageCell>,
    pub programs: Vec<Program>,
}

impl Stack {
    /// A layer's settings as stored, or its defaults (version 0: never saved).
    pub fn layer(&self, l: Layer) -> LayerSettings {
        self.layers
            .iter()
            .find(|s| s.layer == l)
            .cloned()
            .unwrap_or_else(|| LayerSettings::default_for(l))
    }

    /// The buying stages of the message map: the buyer layer's, or the six defaults.
    pub fn stages(&self) -> Vec<String> {
        self.layer(Layer::Buyer).stages()
    }

    /// Whether a layer holds anything to review (records, or goals written down).
    pub fn holds_anything(&self, l: Layer) -> bool {
        let s = self.layer(l);
        s.goals.is_some()
            || match l {
                Layer::Market => !self.segments.is_empty(),
                Layer::Business => s.revenue_goal.is_some() || s.go_to_market.is_some(),
                Layer::Buyer => !self.personas.is_empty(),
                Layer::Tactics => !self.programs.is_empty(),
            }
    }
}

/// An optional long text.
pub(crate) fn long(raw: &str, what: &str) -> Result<Option<String>, String> {
    crate::text::optional(raw, what, MAX_TEXT)
}

/// Ids picked from a list: each must be one of `known`, each kept once, sorted.
pub(crate) fn picked(raw: &[String], known: &[i64], what: &str) -> Result<Vec<i64>, String> {
    let mut ids: Vec<i64> = Vec::new();
    for r in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match r.parse::<i64>().ok().filter(|id| known.contains(id)) {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => return Err(format!("Choose the {what} from the list.")),
        }
    }
    if ids.len() > 50 {
        return Err(format!("Name at most 50 {what}."));
    }
    ids.sort_unstable();
    Ok(ids)
}

/// The business layer's revenue goal in words, when one is set: what the SMART check's
/// "relevant" and the priority test name.
pub fn revenue_goal(m: &crate::health::Model) -> Option<String> {
    let s = m.stack.layer(Layer::Business);
    let goal = s.revenue_goal?;
    let period = match (s.revenue_from, s.revenue_to) {
        (Some(f), Some(t)) => format!(" from {} to {}", f.long(), t.long()),
        _ => String::new(),
    };
    Some(format!(
        "the revenue goal of {}{period}",
        crate::metric::trend::round(goal)
    ))
}

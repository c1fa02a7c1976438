//! Buyer personas, each in one segment, with goals, pains and objections. A primary persona
//! is one the team writes its message map for first.

use super::{long, Segment};
use crate::{text, Invalid};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Persona {
    pub id: i64,
    pub segment_id: i64,
    pub name: String,
    pub primary: bool,
    pub goals: Option<String>,
    pub pains: Option<String>,
    pub objections: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Default)]
pub struct PersonaInput {
    pub segment_id: String,
    pub name: String,
    /// "true", "on" or "1" for a primary persona.
    pub primary: String,
    pub goals: String,
    pub pains: String,
    pub objections: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonaDraft {
    pub segment_id: i64,
    pub name: String,
    pub primary: bool,
    pub goals: Option<String>,
    pub pains: Option<String>,
    pub objections: Option<String>,
}

impl PersonaDraft {
    /// The segment must be one the author sees.
    pub fn parse(i: &PersonaInput, segments: &[Segment]) -> Result<PersonaDraft, Invalid> {
        let mut inv = Invalid::new();
        let segment_id = inv.take(
            "segment_id",
            i.segment_id
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| segments.iter().any(|s| s.id == *id))
                .ok_or_else(|| {
                    if segments.is_empty() {
                        "Add a market segment first: every persona belongs to one.".to_string()
                    } else {
                        "Choose the segment this persona belongs to.".to_string()
                    }
                }),
        );
        let name = inv.take("name", text::required(&i.name, "the persona's name", 120));
        let primary = matches!(
            i.primary.trim().to_lowercase().as_str(),
            "true" | "on" | "1" | "yes"
        );
        if !matches!(
            i.primary.trim().to_lowercase().as_str(),
            "" | "true" | "on" | "1" | "yes" | "false" | "off" | "0" | "no"
        ) {
            inv.push("primary", "Say yes or no: is this a primary persona?");
        }
        let goals = inv.take("goals", long(&i.goals, "the goals")).flatten();
        let pains = inv.take("pains", long(&i.pains, "the pains")).flatten();
        let objections = inv
            .take("objections", long(&i.objections, "the objections"))
            .flatten();
        inv.into_result(|| PersonaDraft {
            segment_id: segment_id.unwrap_or_default(),
            name: name.unwrap_or_default(),
            primary,
            goals,
            pains,
            objections,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::segment::tests_support::segment;

    #[test]
    fn a_persona_belongs_to_a_segment_the_author_sees() {
        let segs = [segment(4, "Mid-market manufacturers")];
        let i = PersonaInput {
            segment_id: "4".into(),
            name: "Plant operations manager".into(),
            primary: "on".into(),
            pains: "Spreadsheets that nobody trusts".into(),
            ..Default::default()
        };
        let d = PersonaDraft::parse(&i, &segs).unwrap();
        assert!(d.primary);
        assert_eq!(d.segment_id, 4);
        let e = PersonaDraft::parse(
            &PersonaInput {
                segment_id: "9".into(),
                primary: "maybe".into(),
                ..Default::default()
            },
            &segs,
        )
        .unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["segment_id", "name", "primary"]);
        let e = PersonaDraft::parse(&i, &[]).unwrap_err();
        assert!(e
            .message_for("segment_id")
            .unwrap()
            .contains("Add a market segment first"));
    }
}

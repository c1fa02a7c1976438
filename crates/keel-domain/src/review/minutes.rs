//! A review's minutes: who met, what the agenda held (an open review's agenda as it reads
//! now, a closed one's notes and the topics it raised), the notes per agenda item, the
//! ratings and the decisions with their owners and due dates. Built once here; the printable
//! page and the Markdown download both render this, so they say the same.

use super::{agenda, decisions_of, Review, ReviewStatus};
use crate::health::Model;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq)]
pub struct Minutes {
    /// "Weekly review, 7 Dec 2026".
    pub title: String,
    pub purpose: &'static str,
    pub open: bool,
    pub facilitator: String,
    pub attendees: Vec<String>,
    /// (attendee, rating) given at the close.
    pub ratings: Vec<(String, u8)>,
    pub average: Option<f64>,
    pub sections: Vec<MinuteSection>,
    /// What the agenda raised when the review closed.
    pub topics: Vec<String>,
    pub decisions: Vec<MinuteDecision>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MinuteSection {
    pub key: String,
    pub title: String,
    /// The agenda's items (an open review); a closed review keeps only its notes.
    pub items: Vec<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MinuteDecision {
    pub what: String,
    pub kind: &'static str,
    pub category: Option<&'static str>,
    pub rationale: Option<String>,
    pub owner: String,
    /// "21 Dec 2026", or none ("no change").
    pub due: Option<String>,
    pub status: &'static str,
    pub evidence: Vec<String>,
}

/// "Blocked work" for "blocked", from the review's agenda when it has that section; else the
/// key in words (a closed review's agenda may no longer hold a section it had notes on).
fn title(a: &agenda::Agenda, key: &str) -> String {
    a.section(key)
        .map(|s| s.title.to_string())
        .unwrap_or_else(|| crate::text::capitalise(&key.replace('-', " ")))
}

fn name(m: &Model, id: i64) -> String {
    m.people
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.display())
        .unwrap_or_else(|| "someone no longer here".into())
}

/// The minutes of `r` as the reader of `m` sees them.
pub fn minutes(m: &Model, r: &Review) -> Minutes {
    let open = r.status == ReviewStatus::Open;
    let a = agenda::agenda(r.kind, m, r.date);
    let note = |key: &str| r.note(key).filter(|t| !t.is_empty()).map(String::from);
    let mut sections: Vec<MinuteSection> = if open {
        a.sections
            .iter()
            .map(|s| MinuteSection {
                key: s.key.into(),
                title: s.title.into(),
                items: s
                    .items
                    .iter()
                    .map(|i| match i.flag {
                        Some(f) => format!("{} ({f})", i.text),
                        None => i.text.clone(),
                    })
                    .collect(),
                notes: note(s.key),
            })
            .collect()
    } else {
        r.notes
            .iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(k, t)| MinuteSection {
                key: k.clone(),
                title: title(&a, k),
                items: vec![],
                notes: Some(t.clone()),
            })
            .collect()
    };
    // Notes on an item the agenda no longer holds (the work was unblocked since) are kept.
    if open {
        for (k, t) in r.notes.iter().filter(|(_, t)| !t.is_empty()) {
            if a.section(k).is_none() {
                sections.push(MinuteSection {
                    key: k.clone(),
                    title: title(&a, k),
                    items: vec![],
                    notes: Some(t.clone()),
                });
            }
        }
    }
    Minutes {
        title: format!("{}, {}", r.kind.label(), r.date.long()),
        purpose: r.kind.purpose(),
        open,
        facilitator: r
            .facilitator_id
            .map(|p| name(m, p))
            .unwrap_or_else(|| "nobody named".into()),
        attendees: r.attendee_ids.iter().map(|p| name(m, *p)).collect(),
        ratings: r.ratings.iter().map(|(p, v)| (name(m, *p), *v)).collect(),
        average: r.average_rating(),
        sections,
        topics: r.topics.iter().map(|e| agenda::label(m, *e)).collect(),
        decisions: decisions_of(&m.decisions, r.id)
            .into_iter()
            .map(|d| MinuteDecision {
                what: d.what.clone(),
                kind: d.kind.label(),
                category: d.category.map(|c| c.label()),
                rationale: d.rationale.clone(),
                owner: d
                    .owner_id
                    .map(|p| name(m, p))
                    .unwrap_or_else(|| "no owner".into()),
                due: d.due.map(|x| x.long()),
                status: d.status.label(),
                evidence: d.evidence.iter().map(|e| agenda::label(m, *e)).collect(),
            })
            .collect(),
    }
}

/// Text as Markdown shows it literally: the characters that would start emphasis, code,
/// links, headings, tables or HTML are escaped, so a note never becomes markup.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Several lines as one Markdown paragraph that keeps its line breaks.
fn block(s: &str) -> String {
    s.lines()
        .map(|l| escape(l.trim_end()))
        .collect::<Vec<_>>()
        .join("  \n")
}

impl Minutes {
    /// The minutes as a Markdown document.
    pub fn markdown(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "# {}\n", escape(&self.title));
        let _ = writeln!(o, "_{}_\n", escape(self.purpose));
        let _ = writeln!(o, "- Status: {}", if self.open { "open" } else { "closed" });
        let _ = writeln!(o, "- Facilitator: {}", escape(&self.facilitator));
        if !self.attendees.is_empty() {
            let _ = writeln!(o, "- Attendees: {}", escape(&self.attendees.join(", ")));
        }
        if let Some(a) = self.average {
            let ratings: Vec<String> = self
                .ratings
                .iter()
                .map(|(n, v)| format!("{} {v}", escape(n)))
                .collect();
            let _ = writeln!(o, "- Rating: {a} / 10 ({})", ratings.join(", "));
        }
        o.push('\n');
        if !self.sections.is_empty() {
            let _ = writeln!(o, "## {}\n", if self.open { "Agenda" } else { "Notes" });
        }
        for s in &self.sections {
            let _ = writeln!(o, "### {}\n", escape(&s.title));
            for i in &s.items {
                let _ = writeln!(o, "- {}", escape(i));
            }
            if !s.items.is_empty() {
                o.push('\n');
            }
            if let Some(n) = &s.notes {
                let _ = writeln!(o, "{}\n", block(n));
            }
        }
        if !self.topics.is_empty() {
            let _ = writeln!(o, "## What the agenda raised\n");
            for t in &self.topics {
                let _ = writeln!(o, "- {}", escape(t));
            }
            o.push('\n');
        }
        let _ = writeln!(o, "## Decisions\n");
        if self.decisions.is_empty() {
            let _ = writeln!(o, "No decision recorded yet.");
        }
        for (i, d) in self.decisions.iter().enumerate() {
            let _ = writeln!(o, "{}. **{}** ({})", i + 1, escape(&d.what), d.kind);
            let due = d.due.as_deref().unwrap_or("no due date");
            let _ = writeln!(
                o,
                "   - Owner: {}; due {due}; {}",
                escape(&d.owner),
                d.status.to_lowercase()
            );
            if let Some(c) = d.category {
                let _ = writeln!(o, "   - Cause: {c}");
            }
            if let Some(r) = &d.rationale {
                let _ = writeln!(o, "   - Why: {}", block(r).replace("  \n", "  \n     "));
            }
            if !d.evidence.is_empty() {
                let _ = writeln!(o, "   - Evidence: {}", escape(&d.evidence.join("; ")));
            }
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::tests::{busy, decision, review, ON};
    use crate::review::{Evidence, EvidenceKind, Kind};

    #[test]
    fn an_open_review_minutes_its_agenda_and_a_closed_one_its_record() {
        let mut m = busy();
        let mut r = review(50, Kind::Weekly, ON, vec![]);
        r.status = ReviewStatus::Open;
        r.ratings = vec![];
        r.notes = vec![
            (
                "blocked".into(),
                "Legal answers by *Thursday*.\nAna follows up.".into(),
            ),
            ("concentration".into(), "Ana decides too much.".into()),
        ];
        let mut d = decision(60, Some("2026-12-21"));
        d.review_id = Some(50);
        d.what = "<b>Pause</b> the webinar".into();
        d.rationale = Some("Two weeks of [no] leads".into());
        m.decisions.push(d);
        m.reviews.push(r.clone());

        let open = minutes(&m, &r);
        assert!(open.open);
        let blocked = open.sections.iter().find(|s| s.key == "blocked").unwrap();
        assert_eq!(blocked.title, "Blocked work");
        assert!(!blocked.items.is_empty());
        let kept = open.sections.last().unwrap();
        assert_eq!(
            (kept.title.as_str(), kept.notes.as_deref()),
            ("Concentration", Some("Ana decides too much.")),
            "a note on an item the agenda no longer holds is kept"
        );
        let md = open.markdown();
        assert!(md.starts_with("# Weekly review, 7 Dec 2026\n"), "{md}");
        assert!(md.contains("## Agenda\n\n### Blocked work\n\n- "), "{md}");
        assert!(
            md.contains("Legal answers by \\*Thursday\\*.  \nAna follows up.\n"),
            "a note keeps its lines and never becomes markup: {md}"
        );
        assert!(
            md.contains("1. **\\<b\\>Pause\\</b\\> the webinar** (Fix)\n   - Owner: "),
            "{md}"
        );
        assert!(md.contains("due 21 Dec 2026; open"), "{md}");
        assert!(md.contains("   - Why: Two weeks of \\[no\\] leads"), "{md}");

        r.status = ReviewStatus::Closed;
        r.ratings = vec![(1, 7), (3, 8)];
        r.topics = vec![Evidence::new(EvidenceKind::Work, 11)];
        let closed = minutes(&m, &r);
        assert_eq!(
            closed.sections.len(),
            2,
            "a closed review keeps its notes only"
        );
        assert!(closed.sections[0].items.is_empty());
        assert_eq!(closed.average, Some(7.5));
        let md = closed.markdown();
        assert!(md.contains("- Status: closed\n"), "{md}");
        assert!(md.contains("- Rating: 7.5 / 10 ("), "{md}");
        assert!(md.contains("## Notes\n\n### Blocked work\n"), "{md}");
        assert!(md.contains("## What the agenda raised\n\n- "), "{md}");
    }

    #[test]
    fn a_review_without_decisions_says_so() {
        let m = busy();
        let r = review(51, Kind::Monthly, ON, vec![]);
        let md = minutes(&m, &r).markdown();
        assert!(
            md.contains("## Decisions\n\nNo decision recorded yet."),
            "{md}"
        );
    }
}

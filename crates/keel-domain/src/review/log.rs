//! The decision log's filter: kind, category, owner, status, a period of decision days and
//! words to search for in what was decided and why.

use super::{Category, Decision, DecisionKind, DecisionStatus};
use crate::{Date, Invalid};

/// What a log filter says as typed (query string or API parameters).
#[derive(Debug, Clone, Default)]
pub struct FilterInput {
    pub kind: String,
    pub category: String,
    pub owner_id: String,
    pub status: String,
    pub from: String,
    pub to: String,
    pub q: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub kind: Option<DecisionKind>,
    pub category: Option<Category>,
    pub owner_id: Option<i64>,
    pub status: Option<DecisionStatus>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Lower-case words that must all appear in the decision, its rationale or its kind.
    pub words: Vec<String>,
}

fn opt<T>(
    inv: &mut Invalid,
    field: &str,
    raw: &str,
    p: impl Fn(&str) -> Result<T, String>,
) -> Option<T> {
    if raw.trim().is_empty() {
        None
    } else {
        inv.take(field, p(raw))
    }
}

impl Filter {
    pub fn parse(i: &FilterInput) -> Result<Filter, Invalid> {
        let mut inv = Invalid::new();
        let kind = opt(&mut inv, "kind", &i.kind, DecisionKind::parse);
        let category = opt(&mut inv, "category", &i.category, Category::parse);
        let owner_id = opt(&mut inv, "owner_id", &i.owner_id, |s| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| "Choose an owner from the list.".to_string())
        });
        let status = opt(&mut inv, "status", &i.status, DecisionStatus::parse);
        let from = opt(&mut inv, "from", &i.from, Date::parse);
        let to = opt(&mut inv, "to", &i.to, Date::parse);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                inv.push("to", "The end of the period is before its start.");
            }
        }
        let words =
            i.q.split_whitespace()
                .take(10)
                .map(|w| w.to_lowercase())
                .collect();
        inv.into_result(|| Filter {
            kind,
            category,
            owner_id,
            status,
            from,
            to,
            words,
        })
    }

    pub fn matches(&self, d: &Decision) -> bool {
        let text = || {
            format!(
                "{} {} {}",
                d.what,
                d.rationale.as_deref().unwrap_or_default(),
                d.kind.label()
            )
            .to_lowercase()
        };
        self.kind.is_none_or(|k| d.kind == k)
            && self.category.is_none_or(|c| d.category == Some(c))
            && self.owner_id.is_none_or(|o| d.owner_id == Some(o))
            && self.status.is_none_or(|s| d.status == s)
            && self.from.is_none_or(|f| d.decided_on >= f)
            && self.to.is_none_or(|t| d.decided_on <= t)
            && (self.words.is_empty() || {
                let t = text();
                self.words.iter().all(|w| t.contains(w.as_str()))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::tests::decision;

    #[test]
    fn the_log_filters_by_every_field_and_searches_words() {
        let mut a = decision(1, Some("2026-12-14"));
        a.rationale = Some("Webinar leads were rejected by sales".into());
        let mut b = decision(2, Some("2026-12-20"));
        b.kind = DecisionKind::Pause;
        b.status = DecisionStatus::Done;
        b.owner_id = Some(3);
        let all = [a, b];
        let hits = |i: FilterInput| -> Vec<i64> {
            let f = Filter::parse(&i).unwrap();
            all.iter().filter(|d| f.matches(d)).map(|d| d.id).collect()
        };
        assert_eq!(hits(FilterInput::default()), [1, 2]);
        assert_eq!(
            hits(FilterInput {
                kind: "pause".into(),
                ..Default::default()
            }),
            [2]
        );
        assert_eq!(
            hits(FilterInput {
                status: "open".into(),
                ..Default::default()
            }),
            [1]
        );
        assert_eq!(
            hits(FilterInput {
                owner_id: "3".into(),
                ..Default::default()
            }),
            [2]
        );
        assert_eq!(
            hits(FilterInput {
                q: "WEBINAR sales".into(),
                ..Default::default()
            }),
            [1]
        );
        assert_eq!(
            hits(FilterInput {
                from: "2026-11-24".into(),
                ..Default::default()
            }),
            Vec::<i64>::new()
        );
        assert_eq!(
            hits(FilterInput {
                category: "process".into(),
                ..Default::default()
            }),
            [1, 2]
        );
        let e = Filter::parse(&FilterInput {
            from: "2026-12-01".into(),
            to: "2026-11-01".into(),
            kind: "bogus".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.message_for("to").is_some() && e.message_for("kind").is_some());
    }
}

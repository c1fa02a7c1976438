//! Search across what a reader sees: work items, workflows, people and functions. The caller
//! passes the reader's view (`Reader::view`), so a hidden record is never found. Matching is
//! plain: every word of the query must appear in the record's text, ignoring case and
//! accents' case (Unicode lower case), so both databases give the same answer.

use crate::health::Model;
use crate::work::WorkItem;
use crate::workflow::Workflow;
use crate::{Function, Invalid, Person};

/// The longest query taken; a longer one is refused with this number in the message.
pub const MAX_QUERY: usize = 200;

/// A query, parsed: its words in lower case, at least one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    words: Vec<String>,
}

impl Query {
    /// What was typed, read once: blank, too long or with control characters is an error on
    /// the field `q`.
    pub fn parse(typed: &str) -> Result<Query, Invalid> {
        let t = typed.trim();
        if t.is_empty() {
            return Err(Invalid::one("q", "Type a word to search for."));
        }
        if t.chars().count() > MAX_QUERY {
            return Err(Invalid::one(
                "q",
                format!("Keep the search under {MAX_QUERY} characters."),
            ));
        }
        crate::text::plain(t, "the search").map_err(|m| Invalid::one("q", m))?;
        Ok(Query {
            words: t.split_whitespace().map(str::to_lowercase).collect(),
        })
    }

    /// Every word is in one of the texts.
    pub fn matches(&self, texts: &[&str]) -> bool {
        self.words
            .iter()
            .all(|w| texts.iter().any(|h| contains_folded(h, w)))
    }
}

/// Whether `hay` contains `word` (already lowercase) in any case. An ASCII word is compared
/// byte by byte without copying `hay` (a search reads every title of tens of thousands of
/// items; UTF-8 never hides an ASCII byte inside another character); any other word
/// lowercases `hay` first.
fn contains_folded(hay: &str, word: &str) -> bool {
    if word.is_ascii() {
        let (h, w) = (hay.as_bytes(), word.as_bytes());
        w.is_empty() || h.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w))
    } else {
        hay.to_lowercase().contains(word)
    }
}

/// What a search found, per kind, each at most `limit` long, with how many there were.
#[derive(Debug)]
pub struct Hits<'a> {
    pub work: Vec<&'a WorkItem>,
    pub work_total: usize,
    pub workflows: Vec<&'a Workflow>,
    pub workflows_total: usize,
    pub people: Vec<&'a Person>,
    pub people_total: usize,
    pub functions: Vec<&'a Function>,
    pub functions_total: usize,
}

impl Hits<'_> {
    pub fn total(&self) -> usize {
        self.work_total + self.workflows_total + self.people_total + self.functions_total
    }
}

fn take<'a, T>(it: impl Iterator<Item = &'a T>, limit: usize) -> (Vec<&'a T>, usize) {
    let mut shown = Vec::new();
    let mut total = 0;
    for x in it {
        total += 1;
        if shown.len() < limit {
            shown.push(x);
        }
    }
    (shown, total)
}

/// Searches the reader's view. Work is newest first; the rest in the model's order (by name).
pub fn search<'a>(seen: &'a Model, q: &Query, limit: usize) -> Hits<'a> {
    let mut work: Vec<&WorkItem> = seen
        .work
        .iter()
        .filter(|w| q.matches(&[&w.title]))
        .collect();
    work.sort_by_key(|w| std::cmp::Reverse(w.id));
    let work_total = work.len();
    work.truncate(limit);
    let (workflows, workflows_total) = take(
        seen.workflows
            .iter()
            .filter(|w| q.matches(&[&w.spec.name, &w.spec.purpose])),
        limit,
    );
    let (people, people_total) = take(
        seen.people.iter().filter(|p| {
            q.matches(&[
                &p.name,
                p.email.as_deref().unwrap_or(""),
                p.organization.as_deref().unwrap_or(""),
                p.title.as_deref().unwrap_or(""),
            ])
        }),
        limit,
    );
    let (functions, functions_total) = take(
        seen.functions
            .iter()
            .filter(|f| q.matches(&[&f.name, f.description.as_deref().unwrap_or("")])),
        limit,
    );
    Hits {
        work,
        work_total,
        workflows,
        workflows_total,
        people,
        people_total,
        functions,
        functions_total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_in_any_case_with_accents_too() {
        assert!(contains_folded("Spring WEBINAR", "webinar"));
        assert!(contains_folded("Café Crème launch", "crème"));
        assert!(contains_folded("CAFÉ", "café"));
        assert!(!contains_folded("Webina", "webinar"));
        assert!(!contains_folded("", "a"));
    }

    #[test]
    fn every_word_must_match_in_any_case() {
        let q = Query::parse("  Spring  WEB ").unwrap();
        assert!(q.matches(&["Spring webinar"]));
        assert!(q.matches(&["Webinar", "spring launch"]));
        assert!(!q.matches(&["Spring launch"]));
        assert!(Query::parse("Été").unwrap().matches(&["Campagne d'été"]));
    }

    #[test]
    fn a_blank_or_long_query_is_named() {
        assert!(Query::parse("  ")
            .unwrap_err()
            .to_string()
            .contains("Type a word"));
        let long = "x".repeat(MAX_QUERY + 1);
        assert!(Query::parse(&long)
            .unwrap_err()
            .to_string()
            .contains("under 200 characters"));
        assert!(Query::parse("a\u{7}b").is_err());
    }

    #[test]
    fn hits_are_counted_beyond_what_is_shown() {
        let mut m = Model::default();
        for i in 0..5 {
            m.people.push(Person {
                id: i,
                name: format!("Sam {i}"),
                kind: crate::PersonKind::Internal,
                organization: None,
                title: None,
                email: Some(format!("sam{i}@acme.test")),
                weekly_capacity: 40.0,
                user_id: None,
                version: 1,
            });
        }
        let h = search(&m, &Query::parse("sam").unwrap(), 3);
        assert_eq!((h.people.len(), h.people_total, h.total()), (3, 5, 5));
        let h = search(&m, &Query::parse("sam4@").unwrap(), 3);
        assert_eq!(h.people.iter().map(|p| p.id).collect::<Vec<_>>(), [4]);
    }
}

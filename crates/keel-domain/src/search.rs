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

/// Work titles in lower case, one per line, built once per data version (the web layer keeps
/// it beside the cached model): a search then scans one string with the standard library's
/// substring search instead of every item. Titles never hold a line break
/// (`text::required`), and a query word never holds whitespace, so a match never spans two
/// items; the answer is `Query::matches`'s.
#[derive(Debug, Default)]
pub struct WorkIndex {
    text: String,
    /// Where each item's title starts in `text`, in the order of the work it was built from.
    starts: Vec<usize>,
}

impl WorkIndex {
    pub fn new(work: &[WorkItem]) -> WorkIndex {
        let mut text = String::with_capacity(work.iter().map(|w| w.title.len() + 1).sum());
        let mut starts = Vec::with_capacity(work.len());
        for w in work {
            starts.push(text.len());
            text.push_str(&w.title.to_lowercase());
            text.push('\n');
        }
        WorkIndex { text, starts }
    }

    fn title(&self, i: usize) -> &str {
        let end = self.starts.get(i + 1).copied().unwrap_or(self.text.len());
        &self.text[self.starts[i]..end]
    }

    /// Positions (into the work the index was built from) of the items whose title holds
    /// every word of `q`, in order.
    pub fn find(&self, q: &Query) -> Vec<usize> {
        let Some((first, rest)) = q.words.split_first() else {
            return vec![];
        };
        let mut hits: Vec<usize> = self
            .text
            .match_indices(first.as_str())
            .map(|(at, _)| self.starts.partition_point(|s| *s <= at) - 1)
            .collect();
        hits.dedup();
        hits.retain(|&i| rest.iter().all(|w| self.title(i).contains(w.as_str())));
        hits
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
    let work: Vec<&WorkItem> = seen
        .work
        .iter()
        .filter(|w| q.matches(&[&w.title]))
        .collect();
    search_with(seen, q, limit, work)
}

/// `search` with the matching work already found, by a `WorkIndex` over the whole model and
/// narrowed to what the reader sees (the same items `search` would find, in any order).
pub fn search_with<'a>(
    seen: &'a Model,
    q: &Query,
    limit: usize,
    mut work: Vec<&'a WorkItem>,
) -> Hits<'a> {
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
    fn the_index_finds_what_matching_finds() {
        let titles = [
            "Spring webinar: forecasting",
            "Webinar follow-up emails",
            "Café Crème launch",
            "Pricing page",
            "webinar webinar twice",
        ];
        let work: Vec<WorkItem> = titles
            .iter()
            .enumerate()
            .map(|(i, t)| WorkItem {
                title: t.to_string(),
                ..crate::capacity::tests::item(i as i64 + 1, 1, 1.0, None, None)
            })
            .collect();
        let index = WorkIndex::new(&work);
        for typed in [
            "webinar",
            "WEBINAR emails",
            "crème",
            "page pricing",
            "nothing",
            "g p",
        ] {
            let q = Query::parse(typed).unwrap();
            let plain: Vec<usize> = (0..work.len())
                .filter(|&i| q.matches(&[&work[i].title]))
                .collect();
            assert_eq!(index.find(&q), plain, "{typed}");
        }
    }

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

//! What a work item carries besides its moves: a description (Markdown), links to where the
//! work lives (title and an http or https address) and comments, which may name people with
//! `@Name`. The rules are here so pages, API and the demo refuse the same things.

use crate::{text, Invalid, Person};

/// Longest description kept, in characters (a long brief fits; a pasted book does not).
pub const DESCRIPTION_MAX: usize = 20_000;
/// Longest comment kept, in characters.
pub const COMMENT_MAX: usize = 5_000;
/// Longest link address kept, in characters.
pub const URL_MAX: usize = 2_000;

/// A description as typed: line breaks kept (as `\n`), surrounding blank space dropped, no
/// control characters but tabs. Empty is allowed: it removes the description.
pub fn description(raw: &str) -> Result<String, String> {
    // Counted as typed, so the API's documented maxLength and this rule agree.
    if raw.chars().count() > DESCRIPTION_MAX {
        return Err(format!(
            "Keep the description under {DESCRIPTION_MAX} characters; link to a longer brief instead."
        ));
    }
    let v = lines(raw);
    text::plain(&v, "the description")?;
    Ok(v)
}

/// Blank space as a browser's `\s` sees it: Unicode white space and the byte-order mark.
fn blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Line breaks as `\n`, blank space around the text dropped.
fn lines(raw: &str) -> String {
    raw.replace("\r\n", "\n")
        .replace('\r', "\n")
        .trim_matches(blank)
        .to_string()
}

/// What a form or body says about a link.
#[derive(Debug, Clone, Default)]
pub struct LinkInput {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkDraft {
    pub title: String,
    pub url: String,
}

impl LinkDraft {
    pub fn parse(i: &LinkInput) -> Result<LinkDraft, Invalid> {
        let mut inv = Invalid::new();
        let title = inv.take(
            "title",
            text::required(&i.title, "a title for the link", 160),
        );
        let url = inv.take("url", url(&i.url));
        inv.into_result(|| LinkDraft {
            title: title.unwrap_or_default(),
            url: url.unwrap_or_default(),
        })
    }
}

/// A web address a browser opens safely: `http://` or `https://`, a host, no spaces, quotes
/// or angle brackets. Anything else (`javascript:`, `data:`, a bare word) is refused, so a
/// link on the page can never run code.
pub fn url(raw: &str) -> Result<String, String> {
    if raw.chars().count() > URL_MAX {
        return Err(format!("Keep the address under {URL_MAX} characters."));
    }
    let v = raw.trim_matches(blank);
    if v.is_empty() {
        return Err("Enter the link's address, starting with https://.".into());
    }
    let lower = v.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("http://") {
        r
    } else {
        return Err(
            "A link starts with https:// or http:// (copy it from the browser's address bar)."
                .into(),
        );
    };
    if v.chars()
        .any(|c| blank(c) || c.is_control() || matches!(c, '"' | '<' | '>' | '`'))
    {
        return Err(
            "The address contains spaces, quotes or angle brackets; copy it again from the browser's address bar."
                .into(),
        );
    }
    if rest
        .chars()
        .next()
        .is_none_or(|c| matches!(c, '/' | '?' | '#' | '@' | ':' | '.'))
    {
        return Err("The address has no site name after https://.".into());
    }
    Ok(v.to_string())
}

/// A comment as stored: its text and the people it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentDraft {
    pub body: String,
    pub mentions: Vec<i64>,
}

impl CommentDraft {
    /// `people` are the people the author sees: only they can be named.
    pub fn parse(body: &str, people: &[Person]) -> Result<CommentDraft, Invalid> {
        if body.chars().count() > COMMENT_MAX {
            return Err(Invalid::one(
                "body",
                format!("Keep a comment under {COMMENT_MAX} characters."),
            ));
        }
        let v = lines(body);
        if v.is_empty() {
            return Err(Invalid::one("body", "Write the comment first."));
        }
        text::plain(&v, "the comment").map_err(|m| Invalid::one("body", m))?;
        Ok(CommentDraft {
            mentions: mentions(&v, people),
            body: v,
        })
    }
}

/// The people a text names with `@` followed by their full name (any case), in the order
/// first named. The longest name wins where two start alike ("@Ana Lopez" names Ana Lopez,
/// not Ana), and a name must end there ("@Anabel" does not name Ana).
pub fn mentions(body: &str, people: &[Person]) -> Vec<i64> {
    let lower = body.to_lowercase();
    // Lower-casing can change byte lengths; work on the lower-cased text throughout.
    let mut by_length: Vec<(&Person, String)> = people
        .iter()
        .map(|p| (p, p.name.trim().to_lowercase()))
        .filter(|(_, n)| !n.is_empty())
        .collect();
    by_length.sort_by_key(|(_, n)| std::cmp::Reverse(n.len()));
    let mut found: Vec<(usize, i64)> = Vec::new();
    for (at, _) in lower.match_indices('@') {
        let after = &lower[at + 1..];
        let hit = by_length.iter().find(|(_, name)| {
            after.starts_with(name.as_str())
                && after[name.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-')
        });
        if let Some((p, _)) = hit {
            if !found.iter().any(|(_, id)| *id == p.id) {
                found.push((at, p.id));
            }
        }
    }
    found.into_iter().map(|(_, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::PersonKind;

    fn person(id: i64, name: &str) -> Person {
        Person {
            id,
            name: name.into(),
            kind: PersonKind::Internal,
            organization: None,
            title: None,
            email: None,
            weekly_capacity: 40.0,
            user_id: None,
            version: 1,
        }
    }

    #[test]
    fn links_must_be_web_addresses() {
        let ok = |u: &str| url(u).unwrap();
        assert_eq!(
            ok(" https://example.com/brief?x=1#a "),
            "https://example.com/brief?x=1#a"
        );
        assert_eq!(ok("HTTP://Example.com"), "HTTP://Example.com");
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "example.com",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com/\"onmouseover=\"x",
            "https://example.com/<script>",
            "https://exa\u{feff}mple.com",
            "https://@example.com",
            "https://.example.com",
            "",
        ] {
            assert!(url(bad).is_err(), "{bad} was accepted");
        }
        let e = LinkDraft::parse(&LinkInput {
            title: "".into(),
            url: "javascript:alert(1)".into(),
        })
        .unwrap_err();
        assert!(e.message_for("title").is_some());
        assert!(e.message_for("url").unwrap().contains("https://"));
    }

    #[test]
    fn descriptions_keep_lines_and_refuse_control_characters() {
        assert_eq!(description(" a\r\nb \n").unwrap(), "a\nb");
        assert_eq!(description("   ").unwrap(), "");
        assert!(description("a\u{0}b").is_err());
        assert!(description(&"x".repeat(DESCRIPTION_MAX + 1)).is_err());
    }

    #[test]
    fn comments_name_people_by_their_full_name() {
        let people = [
            person(1, "Ana"),
            person(2, "Ana Lopez"),
            person(3, "Ben Okafor"),
            person(4, "Élodie Durand"),
        ];
        assert_eq!(
            mentions("@ana lopez and @Ben Okafor, see @Ben Okafor", &people),
            vec![2, 3]
        );
        assert_eq!(mentions("@Ana: please check", &people), vec![1]);
        assert_eq!(
            mentions("@Anabel and ana@example.com", &people),
            Vec::<i64>::new()
        );
        assert_eq!(mentions("merci @élodie durand", &people), vec![4]);
        let c = CommentDraft::parse(" \r\n@Ben Okafor ready?\r\n", &people).unwrap();
        assert_eq!(c.body, "@Ben Okafor ready?");
        assert_eq!(c.mentions, vec![3]);
        assert!(CommentDraft::parse("  ", &people).is_err());
        assert!(CommentDraft::parse(" \u{feff} ", &people).is_err());
        assert!(CommentDraft::parse("a\u{1b}[31m", &people).is_err());
    }
}

//! Markdown that people type (work descriptions, comments) turned into HTML a page may hold.
//!
//! Two layers, so one mistake is not enough: pulldown-cmark renders the text with every piece of
//! raw HTML turned back into visible text, then ammonia keeps only an allow-list of tags and
//! attributes, links only to http, https and mailto addresses (so `javascript:` and `data:`
//! links lose their address), and marks every link `noopener noreferrer nofollow`.

use pulldown_cmark::{html, Event, Options, Parser};
use std::sync::OnceLock;

fn cleaner() -> &'static ammonia::Builder<'static> {
    static C: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    C.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(["http", "https", "mailto"].into_iter().collect())
            .url_relative(ammonia::UrlRelative::Deny)
            .link_rel(Some("noopener noreferrer nofollow"))
            // Images would load from anywhere (the CSP refuses them anyway): a link is enough.
            .rm_tags(["img"]);
        b
    })
}

/// Safe HTML for a Markdown text.
pub fn render(text: &str) -> String {
    let opts = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    // Raw HTML is shown as typed, not interpreted: a brief may quote markup.
    let events = Parser::new_ext(text, opts).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        e => e,
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    cleaner().clean(&out).to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_is_rendered() {
        let h = render("# Brief\n\n**Goal**: 40 demo requests\n\n- one\n- two\n\n[plan](https://example.com/plan)");
        assert!(h.contains("<h1>Brief</h1>"), "{h}");
        assert!(h.contains("<strong>Goal</strong>"), "{h}");
        assert!(h.contains("<li>one</li>"), "{h}");
        assert!(
            h.contains(
                r#"<a href="https://example.com/plan" rel="noopener noreferrer nofollow">plan</a>"#
            ),
            "{h}"
        );
    }

    #[test]
    fn hostile_input_is_neutralised() {
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "[click](JAVASCRIPT:alert(1))",
            "[click](  javascript:alert(1) )",
            "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<div style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\">x</div>",
            "![x](https://evil.example/pixel.gif)",
            "<svg onload=alert(1)>",
            "[x](vbscript:msgbox)",
            "<<script>script>alert(1)<</script>/script>",
            "`<script>`",
            "[a](<javascript:alert(1)>)",
            "<form action=\"https://evil.example\"><button>Go</button></form>",
        ];
        for c in cases {
            let h = render(c);
            // Escaped text (&lt;script&gt;) shows and does not run: every real tag starts with
            // '<', so those are the ones to look at.
            for tag in h
                .split('<')
                .skip(1)
                .map(|t| t.split('>').next().unwrap_or(""))
            {
                let t = tag.to_lowercase();
                let name = t
                    .trim_start_matches('/')
                    .split([' ', '/'])
                    .next()
                    .unwrap_or("");
                assert!(
                    ["p", "a", "code", "pre", "em", "strong", "ul", "li", "br"].contains(&name),
                    "{c:?} kept the tag <{tag}> in {h:?}"
                );
                for bad in ["javascript", "vbscript", "data:", " on", "style", "src"] {
                    assert!(!t.contains(bad), "{c:?} kept <{tag}> in {h:?}");
                }
            }
        }
        // Raw HTML stays visible as text.
        assert!(render("<b>hi</b>").contains("&lt;b&gt;hi&lt;/b&gt;"));
    }
}

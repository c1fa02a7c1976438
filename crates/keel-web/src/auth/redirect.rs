//! Where a browser may be sent after signing in: only a path on this site.

/// `next` when it is a path on this site, else the home page.
///
/// A path starts with exactly one `/`; `//host` and `/\host` are addresses on other sites to a
/// browser. Only visible ASCII is kept: browsers drop tabs and newlines from a URL (so
/// `/\t/evil.example` becomes `//evil.example`), control characters cannot go in a header,
/// and the paths keel sends people to are already percent-encoded. A backslash anywhere is
/// refused, as browsers read it as `/`. A value starting with `/` has no scheme.
pub fn local_path(next: &str) -> &str {
    let b = next.as_bytes();
    let one_slash = b.first() == Some(&b'/') && !matches!(b.get(1), Some(b'/' | b'\\'));
    let visible = b.iter().all(|c| (b'!'..=b'~').contains(c) && *c != b'\\');
    if one_slash && visible {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn paths_on_this_site_survive() {
        for p in [
            "/",
            "/w/acme",
            "/w/acme/people?x=1&y=%2F",
            "/login?next=%2Fw",
        ] {
            assert_eq!(local_path(p), p);
        }
    }

    #[test]
    fn anything_else_goes_home() {
        for p in [
            "",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/x",
            "/\r/x",
            "/a b",
            "/\u{0}",
            "/\u{7f}",
            "/ü",
            "/a\\b",
            "https://evil.example",
            "https:/evil.example",
            "javascript:alert(1)",
            "evil.example",
            " /x",
        ] {
            assert_eq!(local_path(p), "/", "{p:?}");
        }
    }
}

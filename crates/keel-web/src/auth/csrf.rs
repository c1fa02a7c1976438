//! CSRF protection, checked once for every unsafe request by the session layer:
//! - page forms carry a `csrf` field equal to the session's token (or, before sign-in, to the
//!   `keel_pre` cookie: double submit); a file upload's form carries it in its action's query;
//! - API calls authenticated by the session cookie send it in the `X-CSRF-Token` header;
//! - API calls with a bearer token need nothing, as browsers never attach one by themselves.
//!
//! Beside the token, every unsafe browser request must come from this site
//! ([`from_this_site`]), as OWASP's CSRF guidance recommends: a second layer that holds even
//! if a token leaks, and that covers the forms shown before sign-in, whose token is a
//! double-submit cookie a sibling subdomain could plant.

use super::secret;
use crate::config::PublicUrl;
use axum::http::{header, HeaderMap, Method};

pub const FIELD: &str = "csrf";
pub const HEADER: &str = "x-csrf-token";

pub fn is_unsafe(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The value of the `csrf` parameter of a URL's query: a file upload's form
/// (multipart/form-data) carries its token in its action, so the file streams to disk
/// instead of being read whole to find the field.
pub fn query_token(query: Option<&str>) -> Option<String> {
    serde_urlencoded_field(query?.as_bytes(), FIELD)
}

/// Whether a request body is a multipart form (a file upload).
pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// The value of the `csrf` field in a urlencoded form body.
pub fn form_token(body: &[u8]) -> Option<String> {
    serde_urlencoded_field(body, FIELD)
}

fn serde_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

pub fn matches(expected: Option<&str>, given: Option<&str>) -> bool {
    match (expected, given) {
        (Some(e), Some(g)) if !e.is_empty() => secret::equal(e, g),
        _ => false,
    }
}

/// Whether an unsafe request comes from a page of this site, by the headers browsers set and
/// pages cannot change:
/// - `Sec-Fetch-Site` (all current browsers) is the browser's own verdict: only
///   `same-origin`, or `none` (the user acted directly), pass. `same-site` does not: a
///   sibling subdomain is another party.
/// - Else `Origin` (sent with every cross-origin POST since about 2020) must be keel's public
///   address, or the scheme and host the request was sent to (the `Host` of a browser's
///   request is the site it is talking to, which a page elsewhere cannot choose). `null`
///   (sandboxed frames, some redirects) does not pass.
/// - With neither, the request comes from an older browser or a program, not from a page
///   driving a current browser across sites; the token still guards it, and refusing would
///   break scripts that sign in with a session.
pub fn from_this_site(headers: &HeaderMap, public: Option<&PublicUrl>) -> bool {
    let text = |name| headers.get(name).map(|v| v.to_str().unwrap_or_default());
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        return matches!(site.trim(), "same-origin" | "none");
    }
    let Some(origin) = text(header::ORIGIN) else {
        return true;
    };
    let origin = origin.trim();
    if public.is_some_and(|p| p.origin().eq_ignore_ascii_case(origin)) {
        return true;
    }
    let host = text(header::HOST).unwrap_or_default();
    origin.split_once("://").is_some_and(|(scheme, authority)| {
        matches!(scheme, "http" | "https")
            && !host.is_empty()
            && authority.eq_ignore_ascii_case(host.trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.append(*k, v.parse().unwrap());
        }
        m
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        let p = PublicUrl::parse("https://keel.example.com").unwrap();
        for (site, ok) in [
            ("same-origin", true),
            ("none", true),
            ("same-site", false),
            ("cross-site", false),
            ("junk", false),
        ] {
            // Even with a matching Origin, the browser's verdict wins.
            let m = h(&[
                ("sec-fetch-site", site),
                ("origin", "https://keel.example.com"),
            ]);
            assert_eq!(from_this_site(&m, Some(&p)), ok, "{site}");
        }
    }

    #[test]
    fn origin_must_be_the_public_address_or_the_requested_host() {
        let p = PublicUrl::parse("https://keel.example.com").unwrap();
        let ok = |pairs: &[(&'static str, &str)]| from_this_site(&h(pairs), Some(&p));
        assert!(ok(&[("origin", "https://keel.example.com")]));
        assert!(ok(&[
            ("origin", "http://10.0.0.5:8080"),
            ("host", "10.0.0.5:8080")
        ]));
        assert!(!ok(&[
            ("origin", "https://evil.example"),
            ("host", "keel.example.com")
        ]));
        assert!(!ok(&[("origin", "https://keel.example.com.evil.example")]));
        assert!(!ok(&[("origin", "null"), ("host", "keel.example.com")]));
        assert!(!ok(&[("origin", "https://evil.example")]));
        assert!(ok(&[]), "neither header: an older browser or a program");
        assert!(from_this_site(
            &h(&[("origin", "http://a.test"), ("host", "a.test")]),
            None
        ));
    }
}

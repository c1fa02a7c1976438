//! CSRF protection, checked once for every unsafe request by the session layer:
//! - page forms carry a `csrf` field equal to the session's token (or, before sign-in, to the
//!   `keel_pre` cookie: double submit);
//! - API calls authenticated by the session cookie send it in the `X-CSRF-Token` header;
//! - API calls with a bearer token need nothing, as browsers never attach one by themselves.

use super::secret;
use axum::http::Method;

pub const FIELD: &str = "csrf";
pub const HEADER: &str = "x-csrf-token";

pub fn is_unsafe(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
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
